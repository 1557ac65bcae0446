/*
 * Readers of /proc for the controller: a thread's scheduler state, the
 * system call it sleeps in, its signal masks, and a zombie's exit code.
 * Entries vanish whenever a task is reaped, so every reader treats a
 * missing file, or one cut short, as "gone" rather than as an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "host/internal.h"

/* Reads a whole small file; returns its length, or -1 if it is gone. */
static ssize_t read_small(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, len = 0;

	if (fd < 0)
		return -1;
	while ((size_t)len < cap - 1) {
		n = read(fd, buf + len, cap - 1 - (size_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len > 0 ? len : -1;
}

/* stat: "pid (comm) S ppid ..."; comm may hold spaces and parentheses, so
 * fields count from the last ')'.  Field 52 is exit_code. */
static int parse_stat(const char *buf, struct proc_thread *out)
{
	const char *p = strrchr(buf, ')');
	int field = 2;

	if (!p || p[1] != ' ')
		return -1;
	p += 2;
	out->state = *p;
	out->exit_code = 0;
	for (field = 3; *p; p++) {
		if (*p != ' ')
			continue;
		field++;
		if (field == 4)
			out->ppid = (int)strtol(p + 1, NULL, 10);
		if (field == 20)
			out->num_threads = (int)strtol(p + 1, NULL, 10);
		if (field == 52) {
			out->exit_code = (int)strtol(p + 1, NULL, 10);
			break;
		}
	}
	return 0;
}

static uint64_t status_mask(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	if (!p)
		return 0;
	return strtoull(p + strlen(key), NULL, 16);
}

int proc_read_thread(pid_t pid, pid_t tid, struct proc_thread *out)
{
	char path[96], buf[4096];
	char *end;

	memset(out, 0, sizeof *out);
	out->syscall_nr = -2;
	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	if (read_small(path, buf, sizeof buf) < 0) {
		out->gone = true;
		return 0;
	}
	if (parse_stat(buf, out) < 0)
		return -1;
	if (out->state == 'Z' || out->state == 'X')
		return 0;
	snprintf(path, sizeof path, "/proc/%d/task/%d/status", (int)pid, (int)tid);
	if (read_small(path, buf, sizeof buf) < 0) {
		out->gone = true;
		return 0;
	}
	out->sigpnd = status_mask(buf, "\nSigPnd:");
	out->shdpnd = status_mask(buf, "\nShdPnd:");
	out->sigblk = status_mask(buf, "\nSigBlk:");
	out->sigign = status_mask(buf, "\nSigIgn:");
	out->sigcgt = status_mask(buf, "\nSigCgt:");
	snprintf(path, sizeof path, "/proc/%d/task/%d/syscall", (int)pid, (int)tid);
	if (read_small(path, buf, sizeof buf) < 0)
		return 0;	/* vanished: the next poll says so */
	if (!strncmp(buf, "running", 7))
		return 0;
	out->syscall_nr = strtol(buf, &end, 10);
	out->arg0 = strtol(end, NULL, 16);
	return 0;
}

bool proc_exists(pid_t pid)
{
	char path[32];

	snprintf(path, sizeof path, "/proc/%d", (int)pid);
	return access(path, F_OK) == 0;
}

/* PIDFD_GET_INFO (Linux 6.15): the exit status of a process that was
 * reaped, whoever reaped it, through a pidfd opened before.  Defined here
 * as the uapi has it (version 0, 64 bytes), for older headers. */
struct pidfd_info_v0 {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	int32_t exit_code;
};
#define SIGLAB_PIDFD_GET_INFO _IOWR(0xFF, 11, struct pidfd_info_v0)
#define SIGLAB_PIDFD_INFO_EXIT (1ull << 3)

bool proc_pidfd_exit_status(int pidfd, int *status)
{
	struct pidfd_info_v0 info;

	if (pidfd < 0)
		return false;
	memset(&info, 0, sizeof info);
	info.mask = SIGLAB_PIDFD_INFO_EXIT;
	if (ioctl(pidfd, SIGLAB_PIDFD_GET_INFO, &info) < 0 ||
	    !(info.mask & SIGLAB_PIDFD_INFO_EXIT))
		return false;
	*status = info.exit_code;
	return true;
}

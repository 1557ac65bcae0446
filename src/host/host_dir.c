/*
 * The run's private directory: a fresh directory under the system's
 * temporary one, the working directory of every agent.  It holds the
 * scenario's regular file (pwrite) and the core files a Core action
 * writes when the scenario allows dumps (RLIMIT_CORE raised): the
 * machine's core_pattern is only read, never changed, and a scenario
 * that would dump is run only when the pattern names a plain file
 * relative to the working directory.  Everything in it is removed with
 * it at the end of the run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/internal.h"

static bool stmt_states_core(const struct sc_stmt *st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct sc_stmt *x = &st[i];

		if (x->op == SC_OP_PRCTL &&
		    (x->how == SL_PR_SET_DUMPABLE || x->how == SL_PR_GET_DUMPABLE))
			return true;
		if ((x->op == SC_OP_SETRLIMIT || x->op == SC_OP_PRLIMIT) &&
		    x->how == SL_RLIMIT_CORE && !x->null_set)
			return true;
		if (x->op == SC_OP_REPEAT && stmt_states_core(x->body, x->nbody))
			return true;
	}
	return false;
}

bool host_core_dumps(const struct scenario *s)
{
	for (size_t i = 0; i < s->nsteps; i++)
		if (stmt_states_core(&s->steps[i].stmt, 1))
			return true;
	for (size_t i = 0; i < s->nhandlers; i++)
		if (stmt_states_core(s->handlers[i].body, s->handlers[i].nbody))
			return true;
	return false;
}

/* fs/coredump.c format_corename: a pattern starting with '|' pipes the
 * core to a helper, which the kernel starts even with RLIMIT_CORE 0 (only
 * 1 refuses, the mark of a helper dumping itself), and whether the dump
 * is reported then depends on the helper reading it all; '@' sends it to
 * a socket; a '/' puts it outside the private directory. */
const char *host_core_skip(const struct scenario *s, char *buf, size_t n)
{
	char pat[256];
	FILE *f;
	size_t len;

	if (!host_core_dumps(s))
		return NULL;
	f = fopen("/proc/sys/kernel/core_pattern", "r");
	if (!f) {
		snprintf(buf, n, "cannot read /proc/sys/kernel/core_pattern: %s", strerror(errno));
		return buf;
	}
	len = fread(pat, 1, sizeof pat - 1, f);
	fclose(f);
	pat[len] = '\0';
	pat[strcspn(pat, "\n")] = '\0';
	if (pat[0] == '|')
		snprintf(buf, n, "core_pattern pipes cores to a helper (%.60s): the kernel "
			 "ignores RLIMIT_CORE 0 then, and whether a dump is reported is the "
			 "helper's doing", pat);
	else if (pat[0] == '@')
		snprintf(buf, n, "core_pattern sends cores to a socket (%.60s)", pat);
	else if (strchr(pat, '/') || !pat[0])
		snprintf(buf, n, "core_pattern '%.60s' does not write a file in the working "
			 "directory, where the host keeps the run's cores", pat);
	else
		return NULL;
	return buf;
}

/* Open to every uid (the agents run as the scenario's users), with the
 * regular file, empty, writable by all of them. */
int host_dir_make(char *dir, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	char path[128];
	int fd;

	if (!tmp || tmp[0] != '/' || strlen(tmp) + 30 > n)
		tmp = "/tmp";
	snprintf(dir, n, "%s/siglab-host.XXXXXX", tmp);
	if (!mkdtemp(dir) || chmod(dir, 0777) < 0) {
		dir[0] = '\0';
		return -errno;
	}
	snprintf(path, sizeof path, "%s/%s", dir, HOST_FILE_NAME);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 || fchmod(fd, 0666) < 0) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		host_dir_remove(dir);
		return -err;
	}
	close(fd);
	return 0;
}

/* Its files (the regular file, core files) and itself; nothing else
 * makes entries there. */
void host_dir_remove(const char *dir)
{
	DIR *d;
	struct dirent *e;

	if (!dir[0])
		return;
	d = opendir(dir);
	if (d) {
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				(void)unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	(void)rmdir(dir);
}

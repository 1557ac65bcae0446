/* Guest memory: the one place that reads and writes the address space of
 * a guest task.  process_vm_readv/writev, falling back to /proc/PID/mem
 * (which also writes read-only pages, as ptrace's POKE would: the kernel
 * writes a signal frame with the user's own permissions, so the fallback
 * is used only when process_vm is unavailable).  A bad pointer gives
 * -SL_EFAULT, as copy_from_user / copy_to_user do. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>

#include "exec/exec.h"

static int mem_fallback(pid_t tid, uint64_t addr, void *buf, size_t n, bool wr)
{
	char path[64];
	ssize_t done;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/mem", (int)tid);
	fd = open(path, wr ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		return -SL_EFAULT;
	done = wr ? pwrite(fd, buf, n, (off_t)addr) : pread(fd, buf, n, (off_t)addr);
	close(fd);
	return done == (ssize_t)n ? 0 : -SL_EFAULT;
}

static int mem_io(pid_t tid, uint64_t addr, void *buf, size_t n, bool wr)
{
	struct iovec local = { buf, n }, remote = { (void *)(uintptr_t)addr, n };
	ssize_t done;

	if (!n)
		return 0;
	if (addr + n < addr)
		return -SL_EFAULT;
	done = wr ? process_vm_writev(tid, &local, 1, &remote, 1, 0)
		  : process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (done == (ssize_t)n)
		return 0;
	if (done < 0 && errno == ENOSYS)
		return mem_fallback(tid, addr, buf, n, wr);
	return -SL_EFAULT;
}

/* Two writes in one process_vm_writev (a signal frame and its xsave
 * area): 0 when both are written whole. */
int guest_write2(pid_t tid, uint64_t a1, const void *b1, size_t n1, uint64_t a2,
		 const void *b2, size_t n2)
{
	struct iovec local[2] = { { (void *)(uintptr_t)b1, n1 }, { (void *)(uintptr_t)b2, n2 } };
	struct iovec remote[2] = { { (void *)(uintptr_t)a1, n1 }, { (void *)(uintptr_t)a2, n2 } };
	ssize_t done;

	if (a1 + n1 < a1 || a2 + n2 < a2)
		return -SL_EFAULT;
	done = process_vm_writev(tid, local, 2, remote, 2, 0);
	if (done == (ssize_t)(n1 + n2))
		return 0;
	if (done < 0 && errno == ENOSYS)
		return guest_write(tid, a1, b1, n1) ? -SL_EFAULT : guest_write(tid, a2, b2, n2);
	return -SL_EFAULT;
}

int guest_read(pid_t tid, uint64_t addr, void *buf, size_t n)
{
	return mem_io(tid, addr, buf, n, false);
}

int guest_write(pid_t tid, uint64_t addr, const void *buf, size_t n)
{
	return mem_io(tid, addr, (void *)(uintptr_t)buf, n, true);
}

/* The seccomp-BPF filter of every guest: the served system calls stop in
 * the tracer (SECCOMP_RET_TRACE), every other one runs on the host at
 * native speed.  Calls of another ABI (i386 int $0x80, x32) are refused
 * with ENOSYS: the served table is x86-64's. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/exec.h"

/* The served calls (syscalls.c has their adapters). */
static const long served[] = {
	SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_rt_sigreturn, SYS_pause,
	SYS_nanosleep, SYS_getitimer, SYS_alarm, SYS_setitimer, SYS_kill,
	SYS_rt_sigpending, SYS_rt_sigtimedwait, SYS_rt_sigqueueinfo,
	SYS_rt_sigsuspend, SYS_sigaltstack, SYS_tkill, SYS_tgkill,
	SYS_rt_tgsigqueueinfo, SYS_timer_create, SYS_timer_settime,
	SYS_timer_gettime, SYS_timer_getoverrun, SYS_timer_delete,
	SYS_clock_nanosleep, SYS_exit, SYS_exit_group, SYS_wait4, SYS_waitid,
	SYS_setpgid, SYS_setsid, SYS_pidfd_open, SYS_pidfd_send_signal,
	SYS_prctl, SYS_getppid, SYS_ptrace,
	/* a read is the model's when its descriptor is a guest's signalfd */
	SYS_signalfd, SYS_signalfd4, SYS_read,
	SYS_setuid, SYS_setreuid, SYS_setresuid,
};

#define NSERVED (sizeof served / sizeof served[0])

bool exec_is_served(long nr)
{
	for (size_t i = 0; i < NSERVED; i++)
		if (served[i] == nr)
			return true;
	return false;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* A search tree over the sorted numbers: a call that is not served meets
 * about log2(n) + 4 tests, not n, on its way to ALLOW. */
static unsigned short emit_tree(struct sock_filter *f, unsigned short n, const long *v,
				size_t lo, size_t hi)
{
	size_t mid;
	unsigned short at;

	if (hi - lo <= 4) {
		for (size_t i = lo; i < hi; i++)
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							      (unsigned)v[i],
							      (unsigned char)(hi - i), 0);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
		return n;
	}
	mid = (lo + hi) / 2;
	at = n++;
	n = emit_tree(f, n, v, lo, mid);
	f[at] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (unsigned)v[mid],
					     (unsigned char)(n - at - 1), 0);
	return emit_tree(f, n, v, mid, hi);
}

int exec_install_filter(void)
{
	struct sock_filter f[4 * NSERVED + 16];
	struct sock_fprog prog;
	long sorted[NSERVED];
	unsigned short n = 0;

	memcpy(sorted, served, sizeof sorted);
	qsort(sorted, NSERVED, sizeof sorted[0], cmp_long);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	/* x32 calls carry bit 30 */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	n = emit_tree(f, n, sorted, 0, NSERVED);
	prog.len = n;
	prog.filter = f;
	/* SPEC_ALLOW: no speculative-store-bypass mitigation forced on the
	 * guest for having a filter, so it runs as it would natively. */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_SPEC_ALLOW, &prog) == 0)
		return 0;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

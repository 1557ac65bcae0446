/* sigaltstack: set and query; a handler with SA_ONSTACK runs on the
 * alternate stack and sees SS_ONSTACK, and its ucontext's uc_stack is the
 * alternate stack; changing it while on it is EPERM; too small ENOMEM; bad
 * flags EINVAL; SS_DISABLE; bad pointers EFAULT; a stack overflow's
 * SIGSEGV handled on the alternate stack. */
#include "t.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <ucontext.h>

static char *alt;
static size_t alt_size = 64 * 1024;
static volatile int on_alt, flags_in_handler, change_err, uc_stack_ok;

static int on_stack(const void *p)
{
	return (const char *)p >= alt && (const char *)p < alt + alt_size;
}

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	stack_t cur, nss;
	int local = 0;

	(void)sig;
	(void)si;
	on_alt = on_stack(&local);
	sigaltstack(NULL, &cur);
	flags_in_handler = cur.ss_flags;
	memset(&nss, 0, sizeof(nss));
	nss.ss_sp = alt;
	nss.ss_size = alt_size;
	change_err = sigaltstack(&nss, NULL) == -1 ? errno : 0;
	uc_stack_ok = uc->uc_stack.ss_sp == alt && uc->uc_stack.ss_size == alt_size;
}

static volatile int segv_on_alt;

static void on_segv(int sig)
{
	int local = 0;

	(void)sig;
	segv_on_alt = on_stack(&local);
	_exit(segv_on_alt ? 0 : 1);
}

static int recurse(int n)
{
	volatile char buf[4096];

	buf[0] = (char)n;
	if (n < 0)              /* never: n only grows */
		return 0;
	return recurse(n + 1) + buf[0];
}

int main(void)
{
	struct sigaction sa;
	stack_t ss, old;
	pid_t p;
	int st;

	t_start("sigaltstack", 20);
	alt = mmap(NULL, alt_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT(sigaltstack(NULL, &old), 0, 0);
	CHECK(old.ss_flags == SS_DISABLE, "no alternate stack at first");
	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = alt;
	ss.ss_size = 1024;
	EXPECT(sigaltstack(&ss, NULL), -1, ENOMEM);
	ss.ss_size = alt_size;
	ss.ss_flags = 0x1234;
	EXPECT(sigaltstack(&ss, NULL), -1, EINVAL);
	ss.ss_flags = 0;
	EXPECT(sigaltstack(&ss, NULL), 0, 0);
	EXPECT(sigaltstack(NULL, &old), 0, 0);
	CHECK(old.ss_sp == alt && old.ss_size == alt_size && old.ss_flags == 0,
	      "queried back as set, not on it");
	EXPECT(sigaltstack(T_BAD, NULL), -1, EFAULT);
	EXPECT(sigaltstack(NULL, T_BAD), -1, EFAULT);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK(on_alt, "the SA_ONSTACK handler ran on the alternate stack");
	CHECK(flags_in_handler == SS_ONSTACK, "sigaltstack reports SS_ONSTACK inside");
	CHECK(change_err == EPERM, "changing it while on it: EPERM");
	CHECK(uc_stack_ok, "uc_stack in the frame is the alternate stack");
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK(!on_alt, "without SA_ONSTACK: the normal stack");

	/* A stack overflow: SIGSEGV on the alternate stack (in a child). */
	p = fork();
	if (p == 0) {
		struct rlimit rl = { 1 << 20, 1 << 20 };

		setrlimit(RLIMIT_STACK, &rl);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_segv;
		sa.sa_flags = SA_ONSTACK;
		sigaction(SIGSEGV, &sa, NULL);
		recurse(0);
		_exit(2);
	}
	st = t_reap(p);
	printf("overflowing child: %s\n", t_status(st));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "its SIGSEGV handler ran on the alternate stack");

	ss.ss_flags = SS_DISABLE;
	EXPECT(sigaltstack(&ss, &old), 0, 0);
	EXPECT(sigaltstack(NULL, &old), 0, 0);
	CHECK(old.ss_flags == SS_DISABLE, "disabled");
	return t_end();
}

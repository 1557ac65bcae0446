/* Faults, as the CPU raises them and force_sig_fault reports them:
 * SIGSEGV SEGV_MAPERR with si_addr the address touched, SEGV_ACCERR on a
 * read-only page (the handler fixes the protection and returns: the
 * instruction runs again); SIGBUS BUS_ADRERR past the end of a mapped
 * file; SIGFPE FPE_INTDIV; SIGILL ILL_ILLOPN at ud2 with si_addr the
 * instruction; SIGTRAP from int3 (SI_KERNEL); a fault whose signal is
 * blocked or ignored kills the process (in children). */
#include "t.h"
#include <fcntl.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

static sigjmp_buf env;
static siginfo_t got;
static char *page;
static volatile int fixes;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got = *si;
	siglongjmp(env, 1);
}

static void on_accerr(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got = *si;
	fixes++;
	mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static void catch_all(void (*h)(int, siginfo_t *, void *))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = h;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGTRAP, &sa, NULL);
}

extern char ud2_at[];

__attribute__((noinline)) static void do_ud2(void)
{
	__asm__ volatile(".globl ud2_at\nud2_at: ud2");
}

__attribute__((noinline)) static void int3(void)
{
	__asm__ volatile("int3");
}

/* A real idiv: gcc turns 1 / x into compares, so both operands are read
 * from memory. */
__attribute__((noinline)) static int divide(volatile int a, volatile int b)
{
	return a / b;
}

static volatile int *volatile bad16 = (volatile int *)16;

int main(void)
{
	struct rlimit no_core = { 0, 0 };
	volatile int zero = 0, r;
	char path[] = "/tmp/siglab-faults-XXXXXX";
	char *fmap;
	pid_t p;
	int fd, st;

	t_start("faults", 20);
	setrlimit(RLIMIT_CORE, &no_core);
	catch_all(on_fault);
	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(page + 4096, 4096);

	if (!sigsetjmp(env, 1))
		page[4096 + 8] = 1;
	CHECK(got.si_signo == SIGSEGV && got.si_code == SEGV_MAPERR &&
	      got.si_addr == page + 4096 + 8, "unmapped write: SIGSEGV SEGV_MAPERR at the address");
	if (!sigsetjmp(env, 1))
		r = *bad16;
	CHECK(got.si_code == SEGV_MAPERR && got.si_addr == (void *)16, "NULL+16 read: SEGV_MAPERR at 0x10");

	mprotect(page, 4096, PROT_READ);
	catch_all(on_accerr);
	((volatile char *)page)[100] = 7;
	__asm__ volatile("" ::: "memory");   /* the handler ran: reread */
	CHECK(got.si_code == SEGV_ACCERR && got.si_addr == page + 100 && fixes == 1 && ((volatile char *)page)[100] == 7,
	      "read-only write: SEGV_ACCERR, fixed by the handler, the write done on return");
	catch_all(on_fault);

	fd = mkstemp(path);
	unlink(path);
	if (ftruncate(fd, 100))
		return 1;
	fmap = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	if (!sigsetjmp(env, 1))
		r = fmap[4096 + 1];
	CHECK(got.si_signo == SIGBUS && got.si_code == BUS_ADRERR && got.si_addr == fmap + 4096 + 1,
	      "past the end of a file: SIGBUS BUS_ADRERR at the address");
	close(fd);

	if (!sigsetjmp(env, 1))
		r = divide(7, zero);
	CHECK(got.si_signo == SIGFPE && got.si_code == FPE_INTDIV, "7 / 0: SIGFPE FPE_INTDIV");
	if (!sigsetjmp(env, 1))
		do_ud2();
	CHECK(got.si_signo == SIGILL && got.si_code == ILL_ILLOPN && got.si_addr == (void *)ud2_at,
	      "ud2: SIGILL ILL_ILLOPN at the instruction");
	if (!sigsetjmp(env, 1))
		int3();
	CHECK(got.si_signo == SIGTRAP && got.si_code == SI_KERNEL, "int3: SIGTRAP SI_KERNEL");

	/* Blocked or ignored, a fault kills. */
	p = fork();
	if (p == 0) {
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGSEGV);
		sigprocmask(SIG_BLOCK, &set, NULL);
		r = *bad16;
		_exit(0);
	}
	st = t_reap(p);
	printf("child faulting with SIGSEGV blocked: %s\n", t_status(st));
	p = fork();
	if (p == 0) {
		signal(SIGFPE, SIG_IGN);
		r = divide(7, zero);
		_exit(0);
	}
	st = t_reap(p);
	printf("child dividing by zero with SIGFPE ignored: %s\n", t_status(st));
	p = fork();
	if (p == 0) {
		signal(SIGILL, SIG_DFL);
		do_ud2();
		_exit(0);
	}
	st = t_reap(p);
	printf("child at ud2, SIGILL default: %s\n", t_status(st));
	(void)r;
	return t_end();
}

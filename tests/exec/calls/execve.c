/* execve: caught signals are reset to SIG_DFL, ignored ones stay ignored
 * (SIGCHLD too), the mask and pending signals survive, the alternate stack
 * is dropped; SA_ flags of an ignored signal are kept; a failed execve
 * changes nothing; EFAULT for a bad path. The program re-executes itself
 * (/proc/self/exe) with the argument "after" to report; its exit status
 * is the re-executed program's. */
#include "t.h"
#include <sys/mman.h>

static void on_sig(int sig)
{
	(void)sig;
}

static int after(const char *failed_before)
{
	struct sigaction cur;
	sigset_t mask, pend;
	stack_t ss;

	t_start("execve (after)", 20);
	t_failed = atoi(failed_before);
	sigaction(SIGUSR1, NULL, &cur);
	CHECK(cur.sa_handler == SIG_DFL, "caught SIGUSR1: reset to SIG_DFL");
	sigaction(SIGHUP, NULL, &cur);
	CHECK(cur.sa_handler == SIG_IGN, "ignored SIGHUP: still ignored");
	sigaction(SIGCHLD, NULL, &cur);
	CHECK(cur.sa_handler == SIG_IGN, "ignored SIGCHLD: still ignored");
	sigprocmask(SIG_BLOCK, NULL, &mask);
	CHECK(sigismember(&mask, SIGUSR2) && !sigismember(&mask, SIGUSR1), "the mask survives");
	sigpending(&pend);
	CHECK(sigismember(&pend, SIGUSR2), "the pending SIGUSR2 survives");
	sigaltstack(NULL, &ss);
	CHECK(ss.ss_flags == SS_DISABLE, "the alternate stack is gone");
	return t_end();
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t set;
	stack_t ss;
	char failed[16] = "0";
	char *args[] = { argv[0], (char *)"after", failed, NULL };
	char *env[] = { NULL };
	if (argc > 2 && !strcmp(argv[1], "after"))
		return after(argv[2]);
	t_start("execve", 20);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);
	ss.ss_sp = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ss.ss_size = 65536;
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);

	EXPECT(execve("/nonexistent/program", args, env), -1, ENOENT);
	EXPECT(syscall(SYS_execve, T_BAD, args, env), -1, EFAULT);
	sigaction(SIGUSR1, NULL, &sa);
	CHECK(sa.sa_handler == on_sig, "a failed execve changes nothing");

	execve("/proc/self/exe", args, env);
	printf("execve failed: %s\n", t_errname(errno));
	return 1;
}

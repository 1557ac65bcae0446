/* wait4 and waitid, and exit statuses: exit codes 0, 3 and 255 (exit(256)
 * is 0), deaths by signal with and without a core flag, stop and continue
 * reports (WUNTRACED, WCONTINUED; waitid's CLD_STOPPED/CLD_CONTINUED),
 * WNOHANG with nothing to report, WNOWAIT leaves the zombie, P_PGID,
 * ECHILD with no such child, EINVAL for bad options or idtype, EFAULT for
 * a bad status pointer (the child is reaped all the same). */
#include "t.h"
#include <sys/resource.h>

static pid_t spawn_exit(int code)
{
	pid_t p = fork();

	if (p == 0)
		_exit(code);
	return p;
}

static pid_t spawn_pause(void)
{
	pid_t p = fork();

	if (p == 0) {
		for (;;)
			pause();
	}
	return p;
}

int main(void)
{
	struct rlimit no_core = { 0, 0 };
	siginfo_t si;
	pid_t p;
	int st;

	t_start("wait4, waitid and exit statuses", 20);
	setrlimit(RLIMIT_CORE, &no_core);       /* SIGQUIT dumps nothing */
	EXPECT(wait4(-1, &st, WNOHANG, NULL), -1, ECHILD);

	int codes[] = { 0, 3, 255, 256 };
	for (int i = 0; i < 4; i++) {
		p = spawn_exit(codes[i]);
		EXPECT(wait4(p, &st, 0, NULL) == p, 1, 0);
		printf("_exit(%d): %s (status %#x)\n", codes[i], t_status(st), st);
	}
	int sigs[] = { SIGTERM, SIGKILL, SIGQUIT, SIGSEGV };
	for (int i = 0; i < 4; i++) {
		p = spawn_pause();
		kill(p, sigs[i]);
		EXPECT(wait4(p, &st, 0, NULL) == p, 1, 0);
		printf("kill %s: %s (status %#x)\n", sigabbrev_np(sigs[i]), t_status(st), st);
	}

	p = spawn_pause();
	EXPECT(wait4(p, &st, WNOHANG, NULL), 0, 0);
	kill(p, SIGSTOP);
	EXPECT(wait4(p, &st, WUNTRACED, NULL) == p, 1, 0);
	printf("after SIGSTOP: %s (status %#x)\n", t_status(st), st);
	EXPECT(wait4(p, &st, WUNTRACED | WNOHANG, NULL), 0, 0);  /* reported once */
	kill(p, SIGCONT);
	EXPECT(wait4(p, &st, WCONTINUED, NULL) == p, 1, 0);
	CHECK(WIFCONTINUED(st), "after SIGCONT: continued (status %#x)", st);
	kill(p, SIGSTOP);
	memset(&si, 0, sizeof(si));
	EXPECT(waitid(P_PID, (id_t)p, &si, WSTOPPED), 0, 0);
	CHECK(si.si_code == CLD_STOPPED && si.si_status == SIGSTOP && si.si_pid == p &&
	      si.si_signo == SIGCHLD, "waitid: CLD_STOPPED, SIGSTOP");
	kill(p, SIGCONT);
	EXPECT(waitid(P_PID, (id_t)p, &si, WCONTINUED), 0, 0);
	CHECK(si.si_code == CLD_CONTINUED && si.si_status == SIGCONT, "waitid: CLD_CONTINUED");
	memset(&si, 0, sizeof(si));
	EXPECT(waitid(P_ALL, 0, &si, WEXITED | WNOHANG), 0, 0);
	CHECK(si.si_pid == 0, "waitid WNOHANG with nothing to report: si_pid 0");
	kill(p, SIGTERM);
	EXPECT(waitid(P_PID, (id_t)p, &si, WEXITED | WNOWAIT), 0, 0);
	CHECK(si.si_code == CLD_KILLED && si.si_status == SIGTERM, "WNOWAIT: CLD_KILLED, SIGTERM");
	EXPECT(waitid(P_PID, (id_t)p, &si, WEXITED), 0, 0);
	CHECK(si.si_code == CLD_KILLED, "still there after WNOWAIT, then reaped");
	EXPECT(waitid(P_PID, (id_t)p, &si, WEXITED), -1, ECHILD);

	p = spawn_exit(9);
	EXPECT(waitid(P_PGID, 0, &si, WEXITED), 0, 0);
	CHECK(si.si_code == CLD_EXITED && si.si_status == 9 && si.si_pid == p,
	      "P_PGID 0 (own group): CLD_EXITED 9");

	EXPECT(wait4(-1, &st, 0x40000, NULL), -1, EINVAL);
	EXPECT(waitid(P_ALL, 0, &si, 0), -1, EINVAL);
	EXPECT(waitid(77, 0, &si, WEXITED), -1, EINVAL);
	EXPECT(wait4(getpid(), &st, 0, NULL), -1, ECHILD);
	EXPECT(waitid(P_PID, (id_t)getpid(), &si, WEXITED), -1, ECHILD);

	p = spawn_exit(1);
	EXPECT(wait4(p, T_BAD, 0, NULL), -1, EFAULT);
	EXPECT(wait4(p, &st, WNOHANG, NULL), -1, ECHILD);  /* reaped despite EFAULT */
	p = spawn_exit(1);
	EXPECT(waitid(P_PID, (id_t)p, T_BAD, WEXITED), -1, EFAULT);
	EXPECT(waitid(P_PID, (id_t)p, &si, WEXITED | WNOHANG), -1, ECHILD);
	p = spawn_exit(1);
	EXPECT(wait4(p, &st, 0, T_BAD), -1, EFAULT);
	return t_end();
}

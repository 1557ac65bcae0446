/* A guest that ptraces its own child (seed 003's tracer in small): the
 * child asks PTRACE_TRACEME and stops itself with SIGSTOP; the parent
 * then runs it with PTRACE_SYSCALL and prints, of every syscall-stop, the
 * entries and exits of getpid (three), of kill (a SIGUSR1 to itself, which
 * stops it in a signal-delivery-stop and is passed on to its handler) and
 * of exit_group, with the results it reads with PTRACE_GETREGS and
 * PTRACE_PEEKUSER, and the child's wait status at its exit.  Under exec
 * the ptrace is the model's and the registers the real ones
 * (src/exec/ptrace.c). */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got++;
}

static void child(void)
{
	signal(SIGUSR1, on_usr1);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0))
		_exit(10);
	raise(SIGSTOP);
	for (int i = 0; i < 3; i++)
		syscall(SYS_getpid);
	syscall(SYS_kill, syscall(SYS_getpid), SIGUSR1);
	syscall(SYS_exit_group, got == 1 ? 7 : 8);
}

int main(void)
{
	struct user_regs_struct r;
	int st, entry = 1, sig = 0;
	pid_t p = fork();

	if (p == 0)
		child();
	if (waitpid(p, &st, 0) != p || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGSTOP) {
		printf("no SIGSTOP stop: %#x\n", st);
		return 1;
	}
	printf("stopped by SIGSTOP\n");
	ptrace(PTRACE_SETOPTIONS, p, 0, (void *)PTRACE_O_TRACESYSGOOD);
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, p, 0, (void *)(long)sig))
			return 2;
		sig = 0;
		if (waitpid(p, &st, 0) != p)
			return 3;
		if (WIFEXITED(st)) {
			printf("exited %d\n", WEXITSTATUS(st));
			return 0;
		}
		if (WSTOPSIG(st) != (SIGTRAP | 0x80)) {
			printf("signal-delivery-stop: %s\n", WSTOPSIG(st) == SIGUSR1 ? "SIGUSR1" : "other");
			sig = WSTOPSIG(st);
			continue;
		}
		ptrace(PTRACE_GETREGS, p, 0, &r);
		if (r.orig_rax == SYS_getpid || r.orig_rax == SYS_kill ||
		    r.orig_rax == SYS_exit_group) {
			long rax = ptrace(PTRACE_PEEKUSER, p,
					  (void *)offsetof(struct user_regs_struct, rax), 0);

			if (entry)
				printf("enter %s rax=%ld\n", r.orig_rax == SYS_getpid ? "getpid" :
				       r.orig_rax == SYS_kill ? "kill" : "exit_group", rax);
			else
				printf("leave %s = %s\n", r.orig_rax == SYS_getpid ? "getpid" : "kill",
				       r.orig_rax == SYS_getpid ? ((pid_t)rax == p ? "its pid" : "?")
								: (rax == 0 ? "0" : "?"));
		}
		entry = !entry;
	}
}

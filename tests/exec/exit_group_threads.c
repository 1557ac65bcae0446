/* exit_group while a new thread is starting, forty times: the thread may
 * die before it ever ran (its first ptrace stop never comes); the model
 * must still finish the process's death, or the parent's waitpid never
 * returns (an intermittent hang of siglab exec, fixed by
 * tracer.c model_follows_death; exectests.sh bounds its time).  Also a thread killed by a fatal signal
 * sent to another thread right after it was created. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *sleeper(void *a)
{
	(void)a;
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	int bad = 0;

	for (int i = 0; i < 40; i++) {
		pthread_t s;
		pid_t p = fork();
		int st;

		if (p == 0) {
			pthread_create(&s, NULL, sleeper, NULL);
			if (i % 2)
				syscall(SYS_exit_group, 42);
			raise(SIGTERM);
			_exit(1);
		}
		if (waitpid(p, &st, 0) != p)
			bad++;
		else if (i % 2 ? !WIFEXITED(st) || WEXITSTATUS(st) != 42
			       : !WIFSIGNALED(st) || WTERMSIG(st) != SIGTERM)
			bad++;
	}
	printf("exit_group / SIGTERM with a starting thread, 40 children: %d wrong\n", bad);
	return bad != 0;
}

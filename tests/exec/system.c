/* system() and popen(): posix_spawn (clone3 with CLONE_VFORK), the
 * shell as a grandchild, its exit status and a shell that kills itself. */
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/wait.h>
int main(void) {
	setvbuf(stdout, NULL, _IONBF, 0);
	int r = system("echo from-shell; exit 3");
	printf("system = %d\n", WEXITSTATUS(r));
	FILE *p = popen("echo piped", "r"); char buf[64];
	if (fgets(buf, sizeof buf, p)) printf("popen: %s", buf);
	printf("pclose = %d\n", pclose(p));
	r = system("kill -TERM $$");
	printf("killed shell: signaled=%d sig=%d\n", WIFSIGNALED(r), WTERMSIG(r));
	return 0;
}

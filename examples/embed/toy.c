/*
 * A toy runtime that embeds libsiglab: the smallest program that does what
 * an emulator does with it.  Two processes; one installs a handler and
 * sleeps in pause(), the child interrupts it with kill(); the handler runs
 * and pause() returns -EINTR; then the child faults and dies, and the
 * parent reaps it.  The "CPU" here is a printf: a real runtime runs
 * guest code where this one prints what it would run.
 *
 * Built against the installed library (scripts/install-check.sh):
 *   cc toy.c $(pkg-config --cflags --libs siglab)
 */
#include <siglab.h>
#include <stdio.h>

/* The guest's handler: to the engine an opaque value, here the address
 * where a real runtime would find its code. */
#define GUEST_HANDLER 0x401000u

static void on_event(void *ud, const struct sl_event *ev)
{
	(void)ud;
	switch (ev->kind) {
	case SL_EV_GENERATE:
		printf("  event: %d sends %s to %d: %s\n", ev->tid, sl_signal_name(ev->sig),
		       ev->target, sl_trace_result_name((int)ev->result));
		break;
	case SL_EV_DELIVER:
		printf("  event: %d takes %s\n", ev->tid, sl_signal_name(ev->sig));
		break;
	case SL_EV_SYSCALL_RETURN:
		printf("  event: %d's blocking call returns %ld (%s)\n", ev->tid, ev->ret,
		       ev->ret < 0 ? sl_errno_name((int)-ev->ret) : "ok");
		break;
	case SL_EV_EXIT:
		printf("  event: %d dies of %s\n", ev->tid, sl_signal_name(ev->code));
		break;
	default:
		break;
	}
}

/* What the runtime does each time a task goes back to user mode: let the
 * engine act on its signals, and run each handler it sets up. */
static void return_to_user(sl_kernel *k, int tid)
{
	struct sl_ksignal ks;

	while (sl_task_has_work(k, tid)) {
		switch (sl_return_to_user(k, tid, &ks)) {
		case SL_DELIVER_HANDLER:
			printf("%d runs its handler at %#llx for %s\n", tid,
			       (unsigned long long)ks.ka.handler, sl_signal_name(ks.sig));
			sl_sys_rt_sigreturn(k, tid);	/* the handler returned */
			break;
		case SL_DELIVER_STOPPED:
		case SL_DELIVER_EXITED:
			return;
		case SL_DELIVER_NONE:
			break;
		}
	}
}

int main(void)
{
	struct sl_config cfg = { .event = on_event };
	struct sl_spawn how = { .kind = SL_SPAWN_PROCESS };
	struct sl_sigaction act = { .handler = GUEST_HANDLER };
	const char *what;
	sl_kernel *k;
	int a, b, status = 0;
	long r;

	if (sl_version() != SL_VERSION || sl_version() >> 16 != SL_VERSION_MAJOR) {
		fprintf(stderr, "toy: built for libsiglab %d.%d.%d, runs with %s\n", SL_VERSION_MAJOR,
			SL_VERSION_MINOR, SL_VERSION_PATCH, sl_version_string());
		return 1;
	}
	printf("libsiglab %s\n", sl_version_string());
	if (sl_kernel_new(&cfg, &k) != 0)
		return 1;
	a = sl_spawn(k, &how);
	how.parent = a;
	b = sl_spawn(k, &how);
	printf("process %d and its child %d\n", a, b);

	r = sl_sys_rt_sigaction(k, a, SL_SIGUSR1, &act, NULL);
	printf("%d: sigaction(SIGUSR1) = %ld\n", a, r);
	r = sl_sys_pause(k, a);
	printf("%d: pause() %s\n", a, r == SL_SYSCALL_BLOCKED ? "sleeps" : "returns at once");

	r = sl_sys_kill(k, b, a, SL_SIGUSR1);
	printf("%d: kill(%d, SIGUSR1) = %ld\n", b, a, r);
	return_to_user(k, a);

	printf("%d: faults at address 0\n", b);
	sl_fault(k, b, SL_SIGSEGV, SL_SEGV_MAPERR, 0);
	return_to_user(k, b);

	r = sl_sys_wait4(k, a, b, &status, 0);
	printf("%d: wait4(%d) = %ld, killed by %s\n", a, b, r, sl_signal_name(status & 0x7f));

	if (sl_check(k, &what) != 0) {
		fprintf(stderr, "toy: invariant broken: %s\n", what);
		return 1;
	}
	sl_kernel_free(k);
	return 0;
}

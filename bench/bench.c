/*
 * siglab benchmarks.  Every engine figure is printed next to the same
 * operation on the real kernel, measured in the same run, and as a ratio;
 * then how the engine's per-operation cost grows with queued signals,
 * threads and tasks (and, where the kernel can be measured the same way,
 * how the kernel's does).
 *
 * Host code: it uses real signals, so it is not part of the library.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "siglab.h"

static volatile sig_atomic_t handled;

static void on_signal(int sig)
{
	(void)sig;
	handled++;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ---- the real kernel -------------------------------------------------------- */

/* kill(getpid(), SIGUSR1) with a handler: generation, delivery, frame,
 * handler, rt_sigreturn. */
static double kernel_kill_self(long iters)
{
	struct sigaction sa = { 0 };
	pid_t me = getpid();
	double t0;

	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	handled = 0;
	t0 = now_ns();
	for (long i = 0; i < iters; i++)
		kill(me, SIGUSR1);
	t0 = (now_ns() - t0) / (double)iters;
	if (handled != iters)
		fprintf(stderr, "bench: kernel handled %d of %ld\n", (int)handled, iters);
	return t0;
}

/* The same with `queued` instances of SIGRTMIN queued and blocked: the
 * kernel's collect_signal walks its single pending list. */
static double kernel_kill_self_queued(long iters, long queued)
{
	sigset_t set;
	struct sigaction sa = { 0 };
	union sigval v = { 0 };
	pid_t me = getpid();
	double t;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (long i = 0; i < queued; i++)
		if (sigqueue(me, SIGRTMIN, v) < 0) {
			queued = i;
			break;
		}
	sa.sa_handler = on_signal;
	sigaction(SIGRTMIN + 1, &sa, NULL);
	handled = 0;
	t = now_ns();
	for (long i = 0; i < iters; i++)
		kill(me, SIGRTMIN + 1);
	t = (now_ns() - t) / (double)iters;
	/* Drop the queue: ignoring a signal discards its pending instances. */
	signal(SIGRTMIN, SIG_IGN);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGRTMIN, SIG_DFL);
	return t;
}

/* ---- the engine --------------------------------------------------------------- */

static sl_kernel *new_kernel(uint64_t rlimit)
{
	struct sl_config cfg = { .rlimit_sigpending = rlimit };
	sl_kernel *k;

	if (sl_kernel_new(&cfg, &k) < 0) {
		fprintf(stderr, "bench: sl_kernel_new failed\n");
		exit(1);
	}
	return k;
}

static int spawn(sl_kernel *k, int parent)
{
	struct sl_spawn how = { .kind = SL_SPAWN_PROCESS, .parent = parent };
	int tid = sl_spawn(k, &how);

	if (tid < 0) {
		fprintf(stderr, "bench: sl_spawn failed (%d)\n", tid);
		exit(1);
	}
	return tid;
}

/* One kill-to-self with delivery to a handler and rt_sigreturn. */
static void engine_kill_deliver(sl_kernel *k, int sender, int target, int sig)
{
	struct sl_ksignal ks;

	sl_sys_kill(k, sender, target, sig);
	if (sl_return_to_user(k, target, &ks) != SL_DELIVER_HANDLER)
		abort();
	sl_sys_rt_sigreturn(k, target);
}

static int setup_handler(sl_kernel *k, int tid, int sig)
{
	struct sl_sigaction act = { .handler = 16 };

	return (int)sl_sys_rt_sigaction(k, tid, sig, &act, NULL);
}

static double engine_kill_self(long iters)
{
	sl_kernel *k = new_kernel(0);
	int t = spawn(k, 0);
	double t0;

	setup_handler(k, t, SL_SIGUSR1);
	t0 = now_ns();
	for (long i = 0; i < iters; i++)
		engine_kill_deliver(k, t, t, SL_SIGUSR1);
	t0 = (now_ns() - t0) / (double)iters;
	sl_kernel_free(k);
	return t0;
}

static double engine_kill_self_queued(long iters, long queued)
{
	sl_kernel *k = new_kernel((uint64_t)queued + 16);
	int t = spawn(k, 0);
	sl_sigset set = sl_sigmask(SL_SIGRTMIN + 2);
	struct sl_siginfo info = { .code = SL_SI_QUEUE };
	double t0;

	sl_sys_rt_sigprocmask(k, t, SL_SIG_BLOCK, &set, NULL);
	for (long i = 0; i < queued; i++) {
		info.pid = t;
		info.value = (uint64_t)i;
		if (sl_sys_rt_sigqueueinfo(k, t, t, SL_SIGRTMIN + 2, &info) < 0)
			abort();
	}
	setup_handler(k, t, SL_SIGRTMIN + 3);
	t0 = now_ns();
	for (long i = 0; i < iters; i++)
		engine_kill_deliver(k, t, t, SL_SIGRTMIN + 3);
	t0 = (now_ns() - t0) / (double)iters;
	sl_kernel_free(k);
	return t0;
}

/* kill(tgid) to a process of `threads` threads; in the worst case every
 * thread but the last blocks the signal, and complete_signal's search for
 * a thread that wants it walks them all (as Linux does). */
static double engine_kill_threads(long iters, long threads, int worst)
{
	sl_kernel *k = new_kernel(0);
	int p = spawn(k, 0), sender = spawn(k, 0), last = p;
	sl_sigset set = sl_sigmask(SL_SIGUSR1);
	double t0;

	setup_handler(k, p, SL_SIGUSR1);
	if (threads < 2)
		worst = 0;
	if (worst)
		sl_sys_rt_sigprocmask(k, p, SL_SIG_BLOCK, &set, NULL);
	for (long i = 1; i < threads; i++) {
		last = (int)sl_sys_clone_thread(k, p);
		if (last < 0)
			abort();
		if (worst && i + 1 < threads)
			continue;
		if (worst)
			sl_sys_rt_sigprocmask(k, last, SL_SIG_UNBLOCK, &set, NULL);
	}
	t0 = now_ns();
	for (long i = 0; i < iters; i++)
		engine_kill_deliver(k, sender, worst ? last : p, SL_SIGUSR1);
	t0 = (now_ns() - t0) / (double)iters;
	sl_kernel_free(k);
	return t0;
}

/* kill() between two processes among `tasks` processes. */
static double engine_kill_tasks(long iters, long tasks)
{
	sl_kernel *k = new_kernel(0);
	int a = spawn(k, 0), b = spawn(k, 0);
	double t0;

	for (long i = 2; i < tasks; i++)
		spawn(k, 0);
	setup_handler(k, b, SL_SIGUSR1);
	t0 = now_ns();
	for (long i = 0; i < iters; i++)
		engine_kill_deliver(k, a, b, SL_SIGUSR1);
	t0 = (now_ns() - t0) / (double)iters;
	sl_kernel_free(k);
	return t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Kernel and engine rounds alternate, many and short, so that a machine
 * whose speed changes during the run (a busy neighbour on a shared core)
 * affects both alike; the best round of each estimates the cost on a quiet
 * machine, and the medians show how noisy the run was. */
#define ROUNDS 101
/* Each cell of the tables is the best of this many runs. */
#define TABLE_ROUNDS 3

/* ---- memory ----------------------------------------------------------------- */

/* An allocator that counts the bytes the engine holds (by the sizes it
 * passes, as Lua's lua_Alloc contract gives them). */
struct counting {
	long long live;
};

static void *count_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct counting *c = ud;
	void *p;

	if (nsize == 0) {
		free(ptr);
		c->live -= ptr ? (long long)osize : 0;
		return NULL;
	}
	p = realloc(ptr, nsize);
	if (p)
		c->live += (long long)nsize - (ptr ? (long long)osize : 0);
	return p;
}

/* The engine memory an idle process costs: n processes spawned (default
 * dispositions, nothing pending), the growth divided by n. */
static double bytes_per_idle_process(long n)
{
	struct counting c = { 0 };
	struct sl_config cfg = { .alloc = count_alloc, .alloc_ud = &c };
	struct sl_spawn how = { .kind = SL_SPAWN_INIT };
	long long before;
	sl_kernel *k;
	int init;

	if (sl_kernel_new(&cfg, &k) < 0)
		return -1;
	init = sl_spawn(k, &how);
	before = c.live;
	for (long i = 0; i < n; i++) {
		how = (struct sl_spawn){ .kind = SL_SPAWN_PROCESS, .parent = init };
		if (sl_spawn(k, &how) < 0)
			break;
	}
	before = c.live - before;
	sl_kernel_free(k);
	return (double)before / (double)n;
}

static double min_ns(double a, double b)
{
	return a < b ? a : b;
}

static void headline(void)
{
	double kr[ROUNDS], er[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		kr[r] = kernel_kill_self(10000);
		er[r] = engine_kill_self(300000);
	}
	qsort(kr, ROUNDS, sizeof kr[0], cmp_double);
	qsort(er, ROUNDS, sizeof er[0], cmp_double);
	printf("kill-to-self + handler + sigreturn: kernel %.1f ns, engine %.1f ns, "
	       "engine is %.0fx faster\n", kr[0], er[0], kr[0] / er[0]);
	printf("  (best of %d alternating rounds; medians: kernel %.1f ns, engine %.1f ns, %.0fx)\n\n",
	       ROUNDS, kr[ROUNDS / 2], er[ROUNDS / 2], kr[ROUNDS / 2] / er[ROUNDS / 2]);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	static const long queued[] = { 10, 100, 1000, 10000, 100000 };
	static const long threads[] = { 1, 10, 100, 1000, 10000 };
	static const long tasks[] = { 10, 1000, 100000, 1000000 };
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	setrlimit(RLIMIT_SIGPENDING, &rl);
	if (argc > 1 && strcmp(argv[1], "--headline") == 0) {
		headline();
		return 0;
	}
	/* --engine-only N: N engine kill-to-self rounds and nothing else, for
	 * an instruction count (valgrind --tool=callgrind with N and 2N). */
	if (argc > 2 && strcmp(argv[1], "--engine-only") == 0) {
		engine_kill_self(strtol(argv[2], NULL, 10));
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--idle-bytes") == 0) {
		printf("idle process: %.1f bytes of engine memory (%ld sl_spawn calls)\n",
		       bytes_per_idle_process(100000), 100000L);
		return 0;
	}
	printf("# siglab bench: ns per operation (each table cell: best of %d runs)\n",
	       TABLE_ROUNDS);
	headline();

	printf("queued RT signals   kernel ns/op   engine ns/op   ratio\n");
	for (size_t i = 0; i < sizeof queued / sizeof queued[0]; i++) {
		double kq = 1e30, eq = 1e30;

		for (int r = 0; r < TABLE_ROUNDS; r++) {
			kq = min_ns(kq, kernel_kill_self_queued(queued[i] >= 10000 ? 1000 : 20000,
								queued[i]));
			eq = min_ns(eq, engine_kill_self_queued(200000, queued[i]));
		}
		printf("%17ld   %12.1f   %12.1f   %5.0fx\n", queued[i], kq, eq, kq / eq);
	}
	printf("\nthreads in group    engine ns/op (main thread wants it)   "
	       "engine ns/op (only the last thread does)\n");
	for (size_t i = 0; i < sizeof threads / sizeof threads[0]; i++) {
		double main_wants = 1e30, last_wants = 1e30;

		for (int r = 0; r < TABLE_ROUNDS; r++) {
			main_wants = min_ns(main_wants, engine_kill_threads(200000, threads[i], 0));
			last_wants = min_ns(last_wants,
					    engine_kill_threads(threads[i] >= 1000 ? 2000 : 20000,
								threads[i], 1));
		}
		printf("%16ld   %37.1f   %40.1f\n", threads[i], main_wants, last_wants);
	}
	printf("\nidle process: %.0f bytes of engine memory (counting allocator, %ld sl_spawn calls)\n",
	       bytes_per_idle_process(100000), 100000L);
	printf("\ntasks               engine ns/op (kill between two of them)\n");
	for (size_t i = 0; i < sizeof tasks / sizeof tasks[0]; i++) {
		double e = 1e30;

		for (int r = 0; r < TABLE_ROUNDS; r++)
			e = min_ns(e, engine_kill_tasks(200000, tasks[i]));
		printf("%16ld   %12.1f\n", tasks[i], e);
	}
	return 0;
}

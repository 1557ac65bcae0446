/*
 * Shared fixtures for the engine unit tests: a fresh kernel per test, an
 * event recorder, and an allocator that fails the Nth allocation; and for
 * the parser tests, scenarios that must parse or must fail.
 *
 * Every test file declares its suite with TEST_SUITE_FX(name), which gives
 * each test a fresh kernel in K (default config) with events recorded in
 * REC; a test that needs another config calls fx_remake().  CHECK() runs
 * sl_check and fails the test with the invariant that broke.
 */
#ifndef SIGLAB_TESTS_HELPERS_H
#define SIGLAB_TESTS_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "siglab.h"

/* ---- event recorder ------------------------------------------------------ */

struct recorder {
	struct sl_event *ev;
	size_t n, cap;
};

/* The sl_event_fn to put in a config; ud is a struct recorder. */
void rec_sink(void *ud, const struct sl_event *ev);
void rec_clear(struct recorder *r);
void rec_free(struct recorder *r);
/* Events of `kind` for `sig` (sig 0: any signal). */
size_t rec_count(const struct recorder *r, enum sl_event_kind kind, int sig);
/* The nth (0-based) event of `kind` for `sig` (0: any), or NULL. */
const struct sl_event *rec_nth(const struct recorder *r, enum sl_event_kind kind,
			       int sig, size_t nth);
/* The last event of `kind` (any signal), or NULL. */
const struct sl_event *rec_last(const struct recorder *r, enum sl_event_kind kind);

/* ---- failing allocator --------------------------------------------------- */

struct failalloc {
	long fail_at;		/* fail the fail_at-th growing allocation; 0: never */
	long calls;		/* growing allocations seen so far */
	long failures;		/* allocations refused */
	long live_blocks;	/* blocks allocated and not yet freed */
	long long live_bytes;	/* bytes, by the osize/nsize the engine passes */
	long bad_osize;		/* frees or reallocs whose osize was not the
				 * block's true size */
};

/* An sl_alloc_fn; ud is a struct failalloc. */
void *fail_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* ---- the kernel of the current test -------------------------------------- */

extern sl_kernel *K;
extern struct recorder REC;

void fx_setup(void);
void fx_teardown(void);
/* Replaces K with a kernel made from this config (event sink: REC). */
void fx_remake(unsigned what_if, uint64_t rlimit_sigpending);
/* Same, with an allocator. Returns sl_kernel_new's result; K may be NULL. */
int fx_remake_alloc(unsigned what_if, uint64_t rlimit_sigpending,
		    sl_alloc_fn alloc, void *ud);

#define TEST_SUITE_FX(name) TestSuite(name, .init = fx_setup, .fini = fx_teardown)

void check_at(const char *file, int line);
#define CHECK() check_at(__FILE__, __LINE__)

/* ---- short forms; each calls CHECK() after the operation ------------------ */

/* A user process, child of `parent` (0: of init), in a new process group. */
int proc(int parent, uint32_t uid);
/* Any kind of task, with explicit pgid/sid (0: defaults). */
int spawn_kind(enum sl_spawn_kind kind, int parent, uint32_t uid, int pgid, int sid);
int thread(int caller);

long set_action(int tid, int sig, uint64_t handler, uint64_t flags, sl_sigset mask);
struct sl_sigaction get_action(int tid, int sig);
long mask_op(int tid, int how, sl_sigset set);
sl_sigset blocked_of(int tid);
/* sigpending as the task sees it: (private | shared) & blocked. */
sl_sigset sigpending_of(int tid);
struct sl_task_info info_of(int tid);
long kill_(int caller, int pid, int sig);
long tkill_(int caller, int tid, int sig);
long tgkill_(int caller, int tgid, int tid, int sig);
long sigqueue_(int caller, int tgid, int sig, int code, uint64_t value);
enum sl_delivery ret_user(int tid, struct sl_ksignal *out);
/* Returns to user mode until nothing is left to do; records each handler
 * signal into sigs (at most max) and returns with every frame popped by
 * sigreturn.  Returns the number of handler runs; *last gets the final
 * delivery result. */
int drain(int tid, int *sigs, int max, enum sl_delivery *last);

sl_sigset setof(int n, ...);
/* The value the last blocking call returned to user space (its
 * SL_EV_SYSCALL_RETURN event); fails the test when there is none. */
long returned(void);
/* The task sleeps in a blocking call. */
bool asleep(int tid);
/* A child of a parent in another process group of the same session, so
 * that SIGSTOP stops it (its group is not orphaned). */
int child(void);
#define SET(...) setof((int)(sizeof((int[]){__VA_ARGS__}) / sizeof(int)), __VA_ARGS__)

/* A user handler value: anything but SL_SIG_DFL/SL_SIG_IGN. */
#define H1 ((uint64_t)0x401000)
#define H2 ((uint64_t)0x402000)

/* ---- scenarios ----------------------------------------------------------- */

struct scenario;

/* Parses `text` as "t.scn"; it must parse. */
struct scenario *parse_ok(const char *text);
/* Parses the first `len` bytes of `text`, which must fail, and returns
 * "line:col: message" (a static buffer, overwritten by the next call). */
const char *parse_err_len(const char *text, size_t len);
const char *parse_err(const char *text);
#define ASSERT_ERR(text, want) cr_expect_str_eq(parse_err(text), want)

/* ---- files (fake /proc trees) ------------------------------------------------ */

/* Writes text to dir/name; fails the test when it cannot. */
void put(const char *dir, const char *name, const char *text);
/* Removes a scratch tree made under /tmp. */
void rm_tree(const char *root);
/* A real child for the tests that read /proc: it runs setup(arg) (NULL:
 * none), tells the parent it is ready, and pauses until it is killed (it
 * dies by itself after 20 s should the test not kill it).  Returns its
 * pid once it is ready; the caller kills and reaps it. */
int spawn_waiting_child(void (*setup)(void *arg), void *arg);

#endif

/*
 * Kernel snapshots (src/engine/snapshot.c): an arena kernel restored from
 * a snapshot digests equal to the kernel the snapshot was taken of, and
 * behaves identically from there (same events, same results, same state
 * after the same calls); a snapshot of another arena is refused.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* A byte-exact digest, to compare states. */
struct bytes {
	unsigned char *p;
	size_t n, cap;
};

static void put_bytes(void *ud, const void *p, size_t n)
{
	struct bytes *b = ud;

	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		b->p = realloc(b->p, b->cap);
		cr_assert_not_null(b->p);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static struct bytes digest(void)
{
	struct bytes b = { 0 };

	sl_kernel_digest(K, put_bytes, &b);
	return b;
}

static bool same(struct bytes x, struct bytes y)
{
	return x.n == y.n && memcmp(x.p, y.p, x.n) == 0;
}

static void arena_kernel(void)
{
	struct sl_config cfg = { .event = rec_sink, .event_ud = &REC, .seed = 1 };

	sl_kernel_free(K);
	K = NULL;
	rec_clear(&REC);
	cr_assert_eq(sl_kernel_new_arena(&cfg, 1u << 20, &K), 0);
	CHECK();
}

static void *take(size_t *len)
{
	void *buf;

	*len = sl_kernel_snapshot_size(K);
	cr_assert_gt(*len, 0);
	buf = malloc(*len);
	cr_assert_not_null(buf);
	cr_assert_eq(sl_kernel_snapshot(K, buf, *len), (long)*len);
	return buf;
}

/* Some traffic: queued RT signals, a handler, a mask change, a thread. */
static void traffic(int a, int b, int t)
{
	cr_assert_eq(sigqueue_(a, b, SL_SIGRTMIN + 1, SL_SI_QUEUE, 7), 0);
	cr_assert_eq(kill_(a, b, SL_SIGUSR1), 0);
	mask_op(t, SL_SIG_UNBLOCK, SET(SL_SIGUSR1));
	set_action(b, SL_SIGUSR2, SL_SIG_IGN, 0, 0);
	cr_assert_eq(kill_(a, b, SL_SIGRTMIN + 1), 0);
	cr_assert_geq(proc(a, 0), 1);
}

TEST_SUITE_FX(engine_snapshot);

Test(engine_snapshot, a_plain_kernel_has_no_snapshot)
{
	char buf[64];

	cr_assert_eq(sl_kernel_snapshot_size(K), 0);
	cr_assert_eq(sl_kernel_snapshot(K, buf, sizeof buf), -SL_EINVAL);
	cr_assert_eq(sl_kernel_restore(K, buf, sizeof buf), -SL_EINVAL);
}

Test(engine_snapshot, restored_kernel_digests_equal_and_behaves_identically)
{
	int a, b, t, sigs1[16], sigs2[16], n1, n2;
	enum sl_delivery last1, last2;
	struct bytes d0, d1, d2, after1, after2;
	size_t len, ev1;
	void *snap;

	arena_kernel();
	a = proc(0, 0);
	b = proc(0, 0);
	t = thread(b);
	set_action(b, SL_SIGUSR1, 0x1000, 0, 0);
	set_action(b, SL_SIGRTMIN + 1, 0x2000, SL_SA_SIGINFO, 0);
	mask_op(b, SL_SIG_BLOCK, SET(SL_SIGUSR1) | SET(SL_SIGRTMIN + 1));
	mask_op(t, SL_SIG_BLOCK, SET(SL_SIGUSR1) | SET(SL_SIGRTMIN + 1));
	d0 = digest();
	snap = take(&len);

	/* Run on, then come back. */
	traffic(a, b, t);
	n1 = drain(t, sigs1, 16, &last1);
	after1 = digest();
	ev1 = REC.n;
	cr_assert(!same(d0, after1), "the traffic changed the state");
	cr_assert_eq(sl_kernel_restore(K, snap, len), 0);
	CHECK();
	d1 = digest();
	cr_assert(same(d0, d1), "a restored kernel digests as it did when saved");

	/* The same calls again: the same results, events and end state. */
	rec_clear(&REC);
	traffic(a, b, t);
	n2 = drain(t, sigs2, 16, &last2);
	after2 = digest();
	cr_assert_eq(n1, n2);
	cr_assert_arr_eq(sigs1, sigs2, (size_t)n1 * sizeof *sigs1);
	cr_assert_eq(last1, last2);
	cr_assert_eq(REC.n, ev1, "the same events, in number");
	cr_assert(same(after1, after2), "and the same end state");

	/* Restoring twice is idempotent; the digest is independent of history. */
	cr_assert_eq(sl_kernel_restore(K, snap, len), 0);
	d2 = digest();
	cr_assert(same(d0, d2));
	free(d0.p);
	free(d1.p);
	free(d2.p);
	free(after1.p);
	free(after2.p);
	free(snap);
}

Test(engine_snapshot, a_snapshot_of_another_arena_is_refused)
{
	struct sl_config cfg = { 0 };
	sl_kernel *other;
	size_t len;
	void *snap;

	arena_kernel();
	proc(0, 0);
	snap = take(&len);
	cr_assert_eq(sl_kernel_new_arena(&cfg, 1u << 16, &other), 0);
	cr_assert_eq(sl_kernel_restore(other, snap, len), -SL_EINVAL);
	cr_assert_eq(sl_kernel_restore(K, snap, len - 16), -SL_EINVAL);
	sl_kernel_free(other);
	free(snap);
}

Test(engine_snapshot, a_full_arena_fails_with_enomem)
{
	struct sl_config cfg = { 0 };
	sl_kernel *k;
	int tid = 0, last = 0;

	cr_assert_eq(sl_kernel_new_arena(&cfg, 1u << 14, &k), 0);
	for (int i = 0; i < 1000 && tid >= 0; i++) {
		struct sl_spawn how = { .kind = SL_SPAWN_PROCESS };

		last = tid;
		tid = sl_spawn(k, &how);
	}
	cr_assert_eq(tid, -SL_ENOMEM, "spawning stops with ENOMEM (last tid %d)", last);
	cr_assert_eq(sl_check(k, NULL), 0);
	sl_kernel_free(k);
}

/* The tasks that have work to do on their way back to user mode: the
 * model's counterpart of the scheduler's runqueue plus TIF_SIGPENDING /
 * TIF_NOTIFY_SIGNAL (kernel/sched/core.c, include/linux/sched/signal.h).
 * A runner settles a step by running exactly these tasks; with a set kept
 * where the state changes, that costs O(tasks with work), not O(tasks).
 *
 * The set is two bitmaps: one bit per tid, and one bit per word of the
 * first saying the word is not 0, so that the next task with work after a
 * tid is found in a few word reads whatever the number of tasks. */
#include <string.h>

#include "engine/internal.h"

static size_t sum_words(size_t words)
{
	return (words + 63) / 64;
}

/* Both bitmaps live in one block, `work` then `work_sum`, so that one
 * allocation grows them together and each size follows from nwork. */
static size_t work_block_words(size_t words)
{
	return words + sum_words(words);
}

int work_grow(sl_kernel *k)
{
	size_t words = (k->ntasks_cap + 63) / 64, old = k->nwork;
	size_t olds = sum_words(old), news = sum_words(words);
	uint64_t *b;

	if (words <= old)
		return 0;
	b = krealloc(k, k->work, work_block_words(old) * sizeof *b,
		     work_block_words(words) * sizeof *b);
	if (!b)
		return -SL_ENOMEM;
	memmove(b + words, b + old, olds * sizeof *b);
	memset(b + old, 0, (words - old) * sizeof *b);
	memset(b + words + olds, 0, (news - olds) * sizeof *b);
	k->work = b;
	k->work_sum = b + words;
	k->nwork = words;
	return 0;
}

void work_free(sl_kernel *k)
{
	kfree(k, k->work, work_block_words(k->nwork) * sizeof *k->work);
	k->work = k->work_sum = NULL;
	k->nwork = 0;
}

void work_add(sl_kernel *k, struct task *t)
{
	unsigned tid = (unsigned)t->tid, w = tid / 64;

	t->on_work = true;
	k->work[w] |= (uint64_t)1 << (tid % 64);
	k->work_sum[w / 64] |= (uint64_t)1 << (w % 64);
}

/* What brings a task back to user mode with something to do: a signal
 * to act on (TIF_SIGPENDING), a resume from a group stop to report, a
 * CLD report its process owes the parent, or a woken call to finish. */
bool task_has_work(const struct task *t)
{
	if (t->state != TASK_RUNNING || (t->flags & PF_KTHREAD))
		return false;
	return t->sigpending || t->resumed || (t->group->flags & SIGNAL_CLD_MASK) ||
	       sys_has_work(t);
}

bool sl_task_has_work(const sl_kernel *k, int tid)
{
	const struct task *t = find_task(k, tid);

	return t && task_has_work(t);
}

/* The first set bit at or after bit `from`, or k->nwork * 64. */
static size_t work_next_bit(const sl_kernel *k, size_t from)
{
	size_t w = from / 64, end = k->nwork * 64;
	uint64_t bits;

	if (from >= end)
		return end;
	bits = k->work[w] & (~(uint64_t)0 << (from % 64));
	if (bits)
		return w * 64 + (size_t)__builtin_ctzll(bits);
	/* The summary names the next non-zero word. */
	for (size_t s = (w + 1) / 64; s < sum_words(k->nwork); s++) {
		uint64_t sum = k->work_sum[s];

		if (s == (w + 1) / 64)
			sum &= ~(uint64_t)0 << ((w + 1) % 64);
		if (sum) {
			size_t nw = s * 64 + (size_t)__builtin_ctzll(sum);

			return nw * 64 + (size_t)__builtin_ctzll(k->work[nw]);
		}
	}
	return end;
}

static void work_clear(sl_kernel *k, size_t tid)
{
	size_t w = tid / 64;
	struct task *t = k->tasks[tid];

	if (t)
		t->on_work = false;
	k->work[w] &= ~((uint64_t)1 << (tid % 64));
	if (!k->work[w])
		k->work_sum[w / 64] &= ~((uint64_t)1 << (w % 64));
}

int sl_next_task_with_work(sl_kernel *k, int tid)
{
	size_t bit;

	SL_ASSERT(k != NULL);
	if (!k || tid < 0)
		return 0;
	for (bit = work_next_bit(k, (size_t)tid + 1); bit < k->nwork * 64;
	     bit = work_next_bit(k, bit + 1)) {
		const struct task *t = find_task(k, (int)bit);

		if (t && task_has_work(t))
			return (int)bit;
		work_clear(k, bit);
	}
	return 0;
}

const char *check_work(const sl_kernel *k, const struct task *t)
{
	size_t w = (size_t)t->tid / 64;

	if (w < k->nwork && t->on_work != !!(k->work[w] & ((uint64_t)1 << (t->tid % 64))))
		return "a task's copy of its work bit is wrong";
	if (!task_has_work(t))
		return NULL;
	if (w >= k->nwork || !(k->work[w] & ((uint64_t)1 << (t->tid % 64))))
		return "a task with work is missing from the work set";
	if (!(k->work_sum[w / 64] & ((uint64_t)1 << (w % 64))))
		return "the work set's summary misses a word with a task in it";
	return NULL;
}

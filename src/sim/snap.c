/*
 * A snapshot of a run in progress, for explore: the kernel (its arena,
 * sl_kernel_snapshot) and the runner's record beside it, so that a run
 * can go back to a choice point and take another branch from there
 * instead of replaying from the start.
 *
 * Rules: a snapshot is taken only at a par block's choice point (sim.step_pick),
 * where every held event has been flushed and the run is between moves;
 * resuming it is sim_schedule from sm->block.  Restoring reuses the run's
 * own buffers and the snapshot's, so that a search that saves and
 * restores allocates nothing once they have grown to size.
 */
#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sim/simstate.h"

/* Grows *buf to hold n bytes; false when out of memory. */
static bool reserve(void **buf, size_t *cap, size_t n)
{
	void *nb;

	if (n <= *cap)
		return true;
	nb = realloc(*buf, n);
	if (!nb)
		return false;
	*buf = nb;
	*cap = n;
	return true;
}

static bool save_bytes(struct snap_bytes *b, const void *p, size_t n)
{
	if (!reserve(&b->p, &b->cap, n))
		return false;
	if (n)
		memcpy(b->p, p, n);
	b->len = n;
	return true;
}

static bool save_str(struct snap_bytes *b, const struct strbuf *sb)
{
	return save_bytes(b, sb->s, sb->s ? sb->len + 1 : 0);
}

/* Puts a saved string back into a strbuf, reusing its buffer. */
static bool restore_str(struct strbuf *sb, const struct snap_bytes *b)
{
	if (!b->len) {
		if (sb->s)
			sb->s[0] = '\0';
		sb->len = 0;
		return true;
	}
	if (!reserve((void **)&sb->s, &sb->cap, b->len))
		return false;
	memcpy(sb->s, b->p, b->len);
	sb->len = b->len - 1;
	return true;
}

/*
 * A record copied: everything but the last siginfo of each signal, and
 * that only for the signals that have one (got_info): a record's info[]
 * and info_pid[] are read only where got_info is set (sim/expect.c), and
 * they are most of its bytes.
 */
static_assert(offsetof(struct task_record, info_pid) ==
		      offsetof(struct task_record, info) + sizeof(((struct task_record *)0)->info) &&
	      offsetof(struct task_record, got_info) ==
		      offsetof(struct task_record, info_pid) +
			      sizeof(((struct task_record *)0)->info_pid),
	      "info and info_pid lie together, between norder and got_info");

static void rec_copy(struct task_record *to, const struct task_record *from)
{
	size_t head = offsetof(struct task_record, info), tail = offsetof(struct task_record, got_info);

	memcpy(to, from, head);
	memcpy((char *)to + tail, (const char *)from + tail, sizeof *to - tail);
	for (int sig = 1; sig <= SL_NSIG; sig++) {
		if (!from->got_info[sig])
			continue;
		to->info[sig] = from->info[sig];
		to->info_pid[sig] = from->info_pid[sig];
	}
}

/* The per-task arrays, zeroed: version 0 is the empty record. */
static int snap_tasks(struct sim_snap *sn, size_t nt)
{
	if (sn->rec)
		return 0;
	sn->rec = calloc(nt + 1, sizeof *sn->rec);
	sn->rec_ver = calloc(nt + 1, sizeof *sn->rec_ver);
	sn->rest = calloc(nt + 1, sizeof *sn->rest);
	return sn->rec && sn->rec_ver && sn->rest ? 0 : -1;
}

/* Only the records written since this buffer last saved them: a record's
 * version names its content (sim_rec_w). */
static int save_recs(struct sim_snap *sn, const struct sim *sm)
{
	for (size_t t = 0; t < sm->s->ntasks; t++) {
		const struct task_record *rec = &sm->rec[t];

		if (sn->rec_ver[t] == sm->rec_ver[t])
			continue;
		rec_copy(&sn->rec[t], rec);
		sn->rec[t].rest = NULL;
		if (!save_bytes(&sn->rest[t], rec->rest, rec->nrest * sizeof *rec->rest))
			return -1;
		sn->rec_ver[t] = sm->rec_ver[t];
	}
	return 0;
}

int sim_snap_save(struct sim_snap *sn, const struct sim *sm)
{
	size_t nt = sm->s->ntasks;
	long klen;

	if (!reserve(&sn->kbuf, &sn->kcap, sl_kernel_snapshot_size(sm->k)))
		return -1;
	klen = sl_kernel_snapshot(sm->k, sn->kbuf, sn->kcap);
	if (klen < 0)
		return -1;
	sn->klen = (size_t)klen;
	sn->sm = *sm;
	if (snap_tasks(sn, nt) < 0 || save_recs(sn, sm) < 0 ||
	    !save_bytes(&sn->task_tid, sm->task_tid, nt * sizeof *sm->task_tid) ||
	    !save_bytes(&sn->tid_task, sm->tid_task, sm->ntids * sizeof *sm->tid_task) ||
	    !save_bytes(&sn->name_of, sm->name_of, sm->ntids * sizeof *sm->name_of) ||
	    !save_bytes(&sn->generated, sm->generated, sm->ngen * sizeof *sm->generated) ||
	    !save_bytes(&sn->delivered, sm->delivered, sm->ndel * sizeof *sm->delivered) ||
	    !save_str(&sn->out, &sm->out) || !save_str(&sn->not_run, &sm->not_run))
		return -1;
	return 0;
}

/* The arrays that follow the number of tids (a fork names a new tid). */
static int restore_tids(struct sim *sm, const struct sim_snap *sn)
{
	size_t n = sn->sm.ntids, c1 = sm->ntids * sizeof *sm->tid_task,
	       c2 = sm->ntids * sizeof *sm->name_of;

	if (!reserve((void **)&sm->tid_task, &c1, n * sizeof *sm->tid_task) ||
	    !reserve((void **)&sm->name_of, &c2, n * sizeof *sm->name_of))
		return -1;
	if (n) {
		memcpy(sm->tid_task, sn->tid_task.p, sn->tid_task.len);
		memcpy(sm->name_of, sn->name_of.p, sn->name_of.len);
	}
	sm->ntids = n;
	sm->names.names = sm->name_of;
	sm->names.ntids = n;
	return 0;
}

/* Only the records that differ from the snapshot's, by version. */
static int restore_rec(struct sim *sm, const struct sim_snap *sn)
{
	for (size_t t = 0; t < sm->s->ntasks; t++) {
		struct sl_ksignal *mine = sm->rec[t].rest;
		const struct snap_bytes *rest = &sn->rest[t];

		if (sm->rec_ver[t] == sn->rec_ver[t])
			continue;
		rec_copy(&sm->rec[t], &sn->rec[t]);
		sm->rec[t].rest = NULL;
		sm->rec_ver[t] = sn->rec_ver[t];
		if (rest->len) {
			sm->rec[t].rest = malloc(rest->len);
			if (!sm->rec[t].rest) {
				sm->rec[t].nrest = 0;
				sm->rec_ver[t] = ++sm->rec_clock;
				free(mine);
				return -1;
			}
			memcpy(sm->rec[t].rest, rest->p, rest->len);
		}
		free(mine);
	}
	return 0;
}

int sim_snap_restore(struct sim *sm, const struct sim_snap *sn)
{
	struct sim live = *sm;
	size_t gcap = live.gen_cap * sizeof *live.generated,
	       dcap = live.del_cap * sizeof *live.delivered;

	if (sl_kernel_restore(sm->k, sn->kbuf, sn->klen) < 0)
		return -1;
	/* The scalars from the snapshot; the buffers stay the run's own. */
	*sm = sn->sm;
	sm->task_tid = live.task_tid;
	sm->rec = live.rec;
	sm->rec_ver = live.rec_ver;
	sm->rec_clock = live.rec_clock;
	sm->held_map = live.held_map;
	sm->touched = live.touched;
	/* Any restored task may be held: every bit set, stale ones dropped. */
	memset(sm->held_map, 0xff, (sm->s->ntasks / 64 + 1) * sizeof *sm->held_map);
	sm->tid_task = live.tid_task;
	sm->name_of = live.name_of;
	sm->ntids = live.ntids;
	sm->out = live.out;
	sm->report = live.report;
	sm->not_run = live.not_run;
	sm->held = live.held;
	sm->held_cap = live.held_cap;
	sm->nheld = 0;
	sm->lines = live.lines;
	sm->nlines = live.nlines;
	sm->lines_cap = live.lines_cap;
	if (!reserve((void **)&live.generated, &gcap, sn->generated.len) ||
	    !reserve((void **)&live.delivered, &dcap, sn->delivered.len)) {
		sm->generated = live.generated;
		sm->delivered = live.delivered;
		sm->gen_cap = gcap / sizeof *sm->generated;
		sm->del_cap = dcap / sizeof *sm->delivered;
		sm->ngen = sm->ndel = 0;
		return -1;
	}
	sm->generated = live.generated;
	sm->delivered = live.delivered;
	sm->gen_cap = gcap / sizeof *sm->generated;
	sm->del_cap = dcap / sizeof *sm->delivered;
	if (sn->generated.len)
		memcpy(sm->generated, sn->generated.p, sn->generated.len);
	if (sn->delivered.len)
		memcpy(sm->delivered, sn->delivered.p, sn->delivered.len);
	if (sn->task_tid.len)
		memcpy(sm->task_tid, sn->task_tid.p, sn->task_tid.len);
	if (restore_tids(sm, sn) < 0 || restore_rec(sm, sn) < 0 ||
	    !restore_str(&sm->out, &sn->out) || !restore_str(&sm->not_run, &sn->not_run))
		return -1;
	return 0;
}

void sim_snap_free(struct sim_snap *sn, size_t ntasks)
{
	free(sn->kbuf);
	free(sn->task_tid.p);
	for (size_t t = 0; sn->rest && t < ntasks; t++)
		free(sn->rest[t].p);
	free(sn->rest);
	free(sn->rec);
	free(sn->rec_ver);
	free(sn->tid_task.p);
	free(sn->name_of.p);
	free(sn->generated.p);
	free(sn->delivered.p);
	free(sn->out.p);
	free(sn->not_run.p);
	memset(sn, 0, sizeof *sn);
}

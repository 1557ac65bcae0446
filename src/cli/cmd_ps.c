/*
 * siglab ps [--proc DIR] [--json] [-T] [PID...]: every process (or the
 * given ones), one line each, sorted by pid: state, its number of threads,
 * the signal sets of /proc/PID/status as names, and what makes a process
 * special to signals (kernel thread, namespace init, traced, zombie); with
 * -T, one line per thread (as ps -T), each with its own state, pending and
 * blocked sets (a blocked mask is per thread: kernel/signal.c
 * sigprocmask sets current->blocked); with --json, one JSON object per
 * process (with -T, its "tasks").  Reads /proc only.  Exit status: 0, 1
 * when a given pid does not exist, 2 a usage error.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "why/why.h"
#include "why/json.h"

#define SET_MAX 512

struct ps_row {
	int pid;
	int tid;		/* with -T: the thread; else 0 */
	char thr[12];		/* the process's number of threads */
	char state;
	char comm[PROC_COMM_MAX];
	char flags[64];
	char pnd[SET_MAX], blk[SET_MAX], ign[SET_MAX], cgt[SET_MAX];
	char *json;		/* with --json: the row as JSON (malloc'd) */
};

static void usage(FILE *to)
{
	fprintf(to, "usage: siglab ps [--proc DIR] [--json] [-T] [--] [PID...]\n"
		"  one line per process: pid, state, threads, comm, flags and its pending,\n"
		"  blocked, ignored and caught signals (from /proc/PID/status)\n"
		"  --proc DIR  read DIR instead of /proc\n"
		"  --json      one JSON object per process instead of the table\n"
		"  -T          one line per thread (TID), with the thread's own state,\n"
		"              pending and blocked sets; with --json, each process's \"tasks\"\n");
}

static void row_flags(const struct proc_process *p, char *buf, size_t cap)
{
	const struct proc_status *st = &p->status;
	size_t len = 0;

	buf[0] = '\0';
	if ((p->stat.flags & PROC_PF_KTHREAD) || st->kthread == 1)
		len += (size_t)snprintf(buf + len, cap - len, "kthread,");
	if ((st->have & PS_NSPID) ? st->nspid[st->nspid_count - 1] == 1 : p->stat.pid == 1)
		len += (size_t)snprintf(buf + len, cap - len, "init,");
	if (st->tracer_pid > 0 && len < cap)
		len += (size_t)snprintf(buf + len, cap - len, "traced:%d,", st->tracer_pid);
	if (st->state == 'Z' && len < cap)
		len += (size_t)snprintf(buf + len, cap - len, "zombie,");
	if (len && len <= cap)
		buf[len - 1] = '\0';
	else if (!len)
		snprintf(buf, cap, "-");
}

/* One row: the process p, or with t its thread t (its state, its own
 * pending signals and the shared ones, its blocked mask; dispositions are
 * the process's). */
static void fill_row(const struct proc_process *p, const struct proc_thread *t,
		     struct ps_row *row)
{
	row->pid = p->threads[0].tid;
	row->tid = t ? t->tid : 0;
	row->state = t ? t->state : p->status.state;
	snprintf(row->thr, sizeof row->thr, "%d", proc_thread_count(p));
	/* a name is anyone's choice: printed as ps(1) prints it */
	if (t && t->comm[0])
		why_printable(t->comm, row->comm, sizeof row->comm);
	else
		why_printable(p->status.name[0] ? p->status.name : p->stat.comm, row->comm,
			      sizeof row->comm);
	row_flags(p, row->flags, sizeof row->flags);
	why_format_set((t ? t->sigpnd : p->status.sigpnd) | p->status.shdpnd, row->pnd,
		       sizeof row->pnd);
	why_format_set(t ? t->sigblk : p->status.sigblk, row->blk, sizeof row->blk);
	why_format_set(p->status.sigign, row->ign, sizeof row->ign);
	why_format_set(p->status.sigcgt, row->cgt, sizeof row->cgt);
}

struct ps_rows {
	struct ps_row *v;
	size_t n, cap;
};

static struct ps_row *new_row(struct ps_rows *rs)
{
	if (rs->n == rs->cap) {
		size_t ncap = rs->cap ? rs->cap * 2 : 64;
		struct ps_row *nv = realloc(rs->v, ncap * sizeof *nv);

		if (!nv)
			return NULL;
		rs->v = nv;
		rs->cap = ncap;
	}
	rs->v[rs->n] = (struct ps_row){ 0 };
	return &rs->v[rs->n++];
}

/* PROC_OK and the process's row (with -T, a row per thread), or the
 * error of the process's files; `self` (for JSON's kind of process) is
 * NULL without --json. */
static int read_rows(const char *root, int pid, const struct proc_self *self, bool tasks,
		     struct ps_rows *rs)
{
	struct proc_process p;
	struct ps_row *row = NULL;
	int err = proc_read_process(root, pid, tasks, &p);
	size_t n = tasks && !self ? p.nthreads : 1;

	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		row = new_row(rs);
		if (!row) {
			proc_process_free(&p);
			return PROC_NOMEM;
		}
		fill_row(&p, tasks ? &p.threads[i] : NULL, row);
	}
	if (self) {
		struct strbuf b = { 0 };

		ps_row_json(&b, &p, why_classify(&p, self), row->flags, tasks);
		row->json = b.oom ? NULL : sb_take(&b);
		sb_free(&b);
		if (!row->json)
			rs->n--;	/* no row without its JSON */
	}
	proc_process_free(&p);
	return self && !row->json ? PROC_NOMEM : PROC_OK;
}

static int width(const struct ps_row *rows, size_t n, size_t off, int min)
{
	int w = min;

	for (size_t i = 0; i < n; i++) {
		int l = (int)strlen((const char *)&rows[i] + off);

		if (l > w)
			w = l;
	}
	return w;
}

static void print_table(const struct ps_row *rows, size_t n, bool tasks)
{
	int wc = width(rows, n, offsetof(struct ps_row, comm), 4);
	int wf = width(rows, n, offsetof(struct ps_row, flags), 5);
	int wp = width(rows, n, offsetof(struct ps_row, pnd), 7);
	int wb = width(rows, n, offsetof(struct ps_row, blk), 7);
	int wi = width(rows, n, offsetof(struct ps_row, ign), 7);

	printf("%7s ", "PID");
	if (tasks)
		printf("%7s ", "TID");
	printf("S %4s %-*s %-*s %-*s %-*s %-*s %s\n", "THR", wc, "COMM", wf, "FLAGS", wp,
	       "PENDING", wb, "BLOCKED", wi, "IGNORED", "CAUGHT");
	for (size_t i = 0; i < n; i++) {
		printf("%7d ", rows[i].pid);
		if (tasks)
			printf("%7d ", rows[i].tid);
		printf("%c %4s %-*s %-*s %-*s %-*s %-*s %s\n", rows[i].state ? rows[i].state : '?',
		       rows[i].thr, wc, rows[i].comm, wf, rows[i].flags, wp, rows[i].pnd, wb,
		       rows[i].blk, wi, rows[i].ign, rows[i].cgt);
	}
}

static void print_rows(const struct ps_row *rows, size_t n, bool json, bool tasks)
{
	if (json) {
		for (size_t i = 0; i < n; i++)
			fputs(rows[i].json, stdout);
		return;
	}
	print_table(rows, n, tasks);
}

static int cmp_pid(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int cmd_ps(int argc, char **argv)
{
	const char *root = "/proc";
	int *pids = NULL, status = 0;
	size_t n = 0;
	struct ps_rows rows = { 0 };
	struct proc_self self;
	bool listed = false, json = false, tasks = false, options = true;

	pids = calloc((size_t)argc, sizeof *pids);
	if (!pids)
		return 1;
	for (int i = 1; i < argc; i++) {
		if (options && !strcmp(argv[i], "--")) {
			options = false;
		} else if (options && !strcmp(argv[i], "-T")) {
			tasks = true;
		} else if (options && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))) {
			usage(stdout);
			free(pids);
			return 0;
		} else if (options && !strcmp(argv[i], "--proc")) {
			if (cli_option_value("ps", argc, argv, &i, "the /proc directory to read", &root) < 0) {
				free(pids);
				return 2;
			}
		} else if (options && !strcmp(argv[i], "--json")) {
			json = true;
		} else if (options && argv[i][0] == '-' && argv[i][1]) {
			free(pids);
			return cli_usage_error("ps", usage, "unknown option '%s'", argv[i]);
		} else if ((pids[n] = cli_parse_pid(argv[i])) > 0) {
			n++;
			listed = true;
		} else {
			fprintf(stderr, "siglab ps: '%s' is not a pid\n", argv[i]);
			usage(stderr);
			free(pids);
			return 2;
		}
	}
	if (!listed) {
		int err;

		free(pids);
		err = proc_list_pids(root, &pids, &n);
		if (err) {
			fprintf(stderr, "siglab ps: cannot list %s: %s\n", root,
				err == PROC_GONE ? "no such directory" : proc_strerror(err));
			return 1;
		}
	} else {
		qsort(pids, n, sizeof *pids, cmp_pid);
	}
	if (json)
		proc_read_self(root, &self);
	for (size_t i = 0; i < n; i++) {
		int err;

		if (i && pids[i] == pids[i - 1])
			continue;
		err = read_rows(root, pids[i], json ? &self : NULL, tasks, &rows);
		if (err == PROC_NOMEM) {
			fprintf(stderr, "siglab ps: out of memory\n");
			status = 1;
			break;
		} else if (err && (listed || (err != PROC_GONE && err != PROC_DENIED))) {
			/* Unlisted processes that exit during the scan just vanish. */
			fprintf(stderr, "siglab ps: %d: %s\n", pids[i], proc_strerror(err));
			status = listed ? 1 : status;
		}
	}
	print_rows(rows.v, rows.n, json, tasks);
	for (size_t i = 0; i < rows.n; i++)
		free(rows.v[i].json);
	free(rows.v);
	free(pids);
	return status;
}

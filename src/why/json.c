/*
 * `siglab why --json` and `siglab ps --json`: the same diagnosis and the
 * same rows as the text output, as JSON for scripts and monitoring.  Signal
 * sets are given twice: as the exact 64-bit masks of /proc/PID/status (hex
 * strings) and as the names the text output shows.
 */
#include <stdio.h>

#include "why/why.h"
#include "why/json.h"

static const char *kind_name(enum why_kind k)
{
	switch (k) {
	case WHY_KIND_KTHREAD: return "kthread";
	case WHY_KIND_GLOBAL_INIT: return "global-init";
	case WHY_KIND_NS_INIT: return "ns-init";
	default: return "process";
	}
}

/* Verdicts as identifiers (the text output's names have spaces). */
static const char *verdict_id(enum why_verdict v)
{
	static const char *const ids[] = {
		[WHY_UNKNOWN] = "unknown", [WHY_EXISTS] = "exists", [WHY_EPERM] = "eperm",
		[WHY_DROPPED] = "dropped", [WHY_ALREADY_PENDING] = "already_pending",
		[WHY_PENDING] = "pending", [WHY_HANDLER] = "handler", [WHY_TERM] = "term",
		[WHY_CORE] = "core", [WHY_STOP] = "stop", [WHY_CONTINUE] = "continue",
		[WHY_NOTHING] = "nothing", [WHY_FLUSHED] = "flushed",
		[WHY_KTHREAD_QUEUED] = "kthread_queued", [WHY_WAITS] = "waits",
		[WHY_ZOMBIE] = "zombie", [WHY_TRACER] = "tracer_decides",
	};

	return (size_t)v < sizeof ids / sizeof ids[0] && ids[v] ? ids[v] : "unknown";
}

static const char *event_name(enum sl_event_kind kind)
{
	switch (kind) {
	case SL_EV_GENERATE: return "signal_generate";
	case SL_EV_DELIVER: return "signal_deliver";
	case SL_EV_HANDLER: return "handler";
	case SL_EV_SIGRETURN: return "sigreturn";
	case SL_EV_STOP: return "stop";
	case SL_EV_CONTINUE: return "continue";
	case SL_EV_EXIT: return "exit";
	case SL_EV_NOTE: return "note";
	case SL_EV_PTRACE_STOP: return "ptrace_stop";
	default: return NULL;
	}
}

/* "key":"value" or "key":null, after a comma unless first. */
static void json_field(struct strbuf *b, const char *key, const char *value, bool first)
{
	sb_addf(b, "%s\"%s\":", first ? "" : ",", key);
	if (value)
		sb_add_json_string(b, value);
	else
		sb_add(b, "null");
}

/* A signal set: the exact mask of /proc/PID/status, and its signals'
 * names as a list ([] when empty). */
static void json_set(struct strbuf *b, const char *key, uint64_t set)
{
	bool first = true;

	sb_addf(b, "\"%s\":{\"mask\":\"0x%016llx\",\"names\":[", key, (unsigned long long)set);
	for (int sig = 1; sig <= SL_NSIG; sig++) {
		if (!(set & sl_sigmask(sig)))
			continue;
		sb_addf(b, "%s", first ? "" : ",");
		sb_add_json_string(b, sl_signal_name(sig));
		first = false;
	}
	sb_add(b, "]}");
}

static void json_steps(struct strbuf *b, const struct why_outcome *o)
{
	bool first = true;

	sb_add(b, ",\"steps\":[");
	for (size_t i = 0; i < o->nsteps; i++) {
		const struct why_step *s = &o->steps[i];
		const char *name = event_name(s->kind);

		if (!name)
			continue;
		sb_addf(b, "%s{", first ? "" : ",");
		first = false;
		json_field(b, "event", name, true);
		json_field(b, "signal", s->sig > 0 ? sl_signal_name(s->sig) : NULL, false);
		sb_addf(b, ",\"tid\":%d", s->tid);
		if (s->kind == SL_EV_GENERATE)
			json_field(b, "result", sl_trace_result_name(s->result), false);
		json_field(b, "rule", s->rule, false);
		sb_add(b, "}");
	}
	sb_add(b, "]");
}

static void json_outcome(struct strbuf *b, const struct why_report *r,
			 const struct why_outcome *o, const struct proc_process *p,
			 const char *when)
{
	char line[512];

	why_headline(r, o, p, line, sizeof line);
	sb_add(b, "{");
	json_field(b, "verdict", verdict_id(o->verdict), true);
	if (when)
		json_field(b, "when", when, false);
	sb_addf(b, ",\"kill_returns\":%ld", o->kill_ret);
	json_field(b, "headline", line, false);
	json_field(b, "rule", o->rule, false);
	/* What the parent's wait sees: killed by this signal, 128 + it in
	 * a shell. */
	if (o->verdict == WHY_TERM || o->verdict == WHY_CORE)
		sb_addf(b, ",\"exit_status\":%d", why_exit_status(r->sig));
	else
		sb_add(b, ",\"exit_status\":null");
	if (o->after_wait > 0)
		sb_addf(b, ",\"after_wait\":%d", o->after_wait);
	else
		sb_add(b, ",\"after_wait\":null");
	if (o->taker > 0)
		sb_addf(b, ",\"taker\":%d", o->taker);
	else
		sb_add(b, ",\"taker\":null");
	json_steps(b, o);
	sb_add(b, "}");
}

static void json_process(struct strbuf *b, const struct proc_process *p, enum why_kind kind)
{
	const struct proc_status *st = &p->status;
	char state[2] = { st->state ? st->state : '?', '\0' };

	sb_addf(b, "\"pid\":%d", p->threads ? p->threads[0].tid : p->stat.pid);
	json_field(b, "comm", st->name[0] ? st->name : p->stat.comm, false);
	json_field(b, "state", state, false);
	json_field(b, "kind", kind_name(kind), false);
	sb_addf(b, ",\"threads\":%d,\"uid\":%u", proc_thread_count(p), st->uid[0]);
	if (p->parent_pid > 0) {
		sb_addf(b, ",\"parent\":%d", p->parent_pid);
		json_field(b, "parent_comm", p->parent_comm[0] ? p->parent_comm : NULL, false);
	} else {
		sb_add(b, ",\"parent\":null");
	}
	if (st->tracer_pid > 0)
		sb_addf(b, ",\"tracer\":%d", st->tracer_pid);
	else
		sb_add(b, ",\"tracer\":null");
	sb_add(b, ",");
	json_set(b, "pending", st->sigpnd | st->shdpnd);
	sb_add(b, ",");
	json_set(b, "blocked", st->sigblk);
	sb_add(b, ",");
	json_set(b, "ignored", st->sigign);
	sb_add(b, ",");
	json_set(b, "caught", st->sigcgt);
}

static const char *wait_kind_id(enum proc_wait_kind k)
{
	switch (k) {
	case PROC_WAIT_KILLABLE: return "killable";
	case PROC_WAIT_UNINTERRUPTIBLE: return "uninterruptible";
	case PROC_WAIT_INTERRUPTIBLE: return "interruptible";
	case PROC_WAIT_TURNS_UNINTERRUPTIBLE: return "turns_uninterruptible";
	default: return NULL;
	}
}

/* Where each thread is (state, wchan, syscall, stack, the wait they
 * mean), and the process's children. */
static void json_waits(struct strbuf *b, const struct proc_process *p)
{
	sb_add(b, ",\"waits\":[");
	for (size_t i = 0; i < p->nthreads; i++) {
		const struct proc_thread *t = &p->threads[i];
		char state[2] = { t->state ? t->state : '?', '\0' };
		struct proc_wait w;

		proc_thread_wait(t, &w);
		sb_addf(b, "%s{\"tid\":%d", i ? "," : "", t->tid);
		json_field(b, "state", state, false);
		json_field(b, "wchan", t->wchan[0] ? t->wchan : NULL, false);
		if (t->syscall >= 0)
			sb_addf(b, ",\"syscall_nr\":%ld", t->syscall);
		else
			sb_add(b, ",\"syscall_nr\":null");
		json_field(b, "syscall", t->syscall >= 0 ? proc_syscall_name(t->syscall) : NULL,
			   false);
		json_field(b, "stack", t->stack[0] ? t->stack : NULL, false);
		json_field(b, "wait", wait_kind_id(w.kind), false);
		json_field(b, "what", w.what, false);
		sb_add(b, "}");
	}
	sb_add(b, "],\"children\":[");
	for (size_t i = 0; i < p->nchildren; i++) {
		char state[2] = { p->children[i].state ? p->children[i].state : '?', '\0' };

		sb_addf(b, "%s{\"pid\":%d", i ? "," : "", p->children[i].pid);
		json_field(b, "comm", p->children[i].comm, false);
		json_field(b, "state", state, false);
		sb_add(b, "}");
	}
	sb_add(b, "]");
}

void why_report_json(struct strbuf *b, const struct proc_process *p, int sig,
		     const struct why_report *r, const char *alt_label,
		     const struct why_report *alt)
{
	sb_add(b, "{");
	json_process(b, p, r->kind);
	json_field(b, "signal", sig ? sl_signal_name(sig) : "0", false);
	sb_addf(b, ",\"signo\":%d,\"now\":", sig);
	json_outcome(b, r, &r->now, p, NULL);
	if (r->has_then) {
		sb_add(b, ",\"then\":");
		json_outcome(b, r, &r->then, p, r->then_what);
	}
	if (alt_label && alt) {
		char line[512];

		why_headline(alt, &alt->now, p, line, sizeof line);
		sb_add(b, ",\"alternative\":{");
		json_field(b, "as", alt_label, true);
		json_field(b, "verdict", verdict_id(alt->now.verdict), false);
		json_field(b, "headline", line, false);
		sb_add(b, "}");
	}
	json_waits(b, p);
	/* The threads that block the signal (SigBlk), every one of them
	 * when it can only stay pending. */
	sb_add(b, ",\"blocked_by\":[");
	for (size_t i = 0; i < r->nblockers; i++)
		sb_addf(b, "%s%d", i ? "," : "", r->blockers[i]);
	sb_add(b, "]");
	sb_add(b, ",\"notes\":[");
	for (size_t i = 0; i < r->nnotes; i++) {
		if (i)
			sb_add(b, ",");
		sb_add_json_string(b, r->notes[i]);
	}
	sb_add(b, "]}\n");
}

/* Each thread read: its tid, name, state, own pending set with the
 * shared one, and blocked mask (a per-thread mask: task->blocked). */
static void json_tasks(struct strbuf *b, const struct proc_process *p)
{
	sb_add(b, ",\"tasks\":[");
	for (size_t i = 0; i < p->nthreads; i++) {
		const struct proc_thread *t = &p->threads[i];
		char state[2] = { t->state ? t->state : '?', '\0' };

		sb_addf(b, "%s{\"tid\":%d", i ? "," : "", t->tid);
		json_field(b, "comm", t->comm, false);
		json_field(b, "state", state, false);
		sb_add(b, ",");
		json_set(b, "pending", t->sigpnd | p->status.shdpnd);
		sb_add(b, ",");
		json_set(b, "blocked", t->sigblk);
		sb_add(b, "}");
	}
	sb_add(b, "]");
}

void ps_row_json(struct strbuf *b, const struct proc_process *p, enum why_kind kind,
		 const char *flags, bool tasks)
{
	sb_add(b, "{");
	json_process(b, p, kind);
	json_field(b, "flags", flags, false);
	if (tasks)
		json_tasks(b, p);
	sb_add(b, "}\n");
}

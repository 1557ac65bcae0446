/* Expectations: checked once, after the last step, against the final
 * state, the counts the runner kept and the trace it wrote. */
#include <stdlib.h>
#include <string.h>

#include "sim/simstate.h"

static void fail(struct strbuf *why, const char *fmt, const char *detail)
{
	sb_addf(why, fmt, detail);
}

/* "actual: <final state>" for a failed expectation about a task's end. */
static bool report_final(bool ok, const struct sl_task_info *ti, struct strbuf *why)
{
	if (!ok) {
		struct strbuf st = { 0 };

		sc_render_final(&st, ti);
		fail(why, "actual: %s", sb_str(&st));
		sb_free(&st);
	}
	return ok;
}

static bool check_state(const struct sim *sm, const struct sc_expect *e,
			const struct sl_task_info *ti, struct strbuf *why)
{
	bool ok;

	switch (e->state) {
	case SL_TASK_ZOMBIE:
		ok = ti->state == SL_TASK_ZOMBIE;
		break;
	case SL_TASK_DEAD:
		ok = ti->state == SL_TASK_ZOMBIE || ti->state == SL_TASK_DEAD;
		break;
	default:
		ok = ti->state == e->state;
		break;
	}
	(void)sm;
	return report_final(ok, ti, why);
}

static bool check_exit(const struct sc_expect *e, const struct sl_task_info *ti,
		       struct strbuf *why)
{
	bool dead = ti->state == SL_TASK_ZOMBIE || ti->state == SL_TASK_DEAD;
	bool ok = false;

	switch (e->kind) {
	case SC_EXP_EXITED:
		ok = dead && ti->exit_kind == SL_EXIT_CODE && ti->exit_code == e->num;
		break;
	case SC_EXP_KILLED:
		ok = dead && ti->exit_kind == SL_EXIT_SIGNAL && ti->exit_code == e->sig;
		break;
	case SC_EXP_DUMPED:
		ok = dead && ti->exit_kind == SL_EXIT_SIGNAL && ti->exit_code == e->sig &&
		     ti->core_dumped;
		break;
	case SC_EXP_OOPS:
		ok = dead && ti->exit_kind == SL_EXIT_OOPS;
		break;
	default:
		break;
	}
	return report_final(ok, ti, why);
}

static bool seen(const struct seen_signal *arr, size_t n, int sig, int tid, int result)
{
	for (size_t i = 0; i < n; i++)
		if (arr[i].sig == sig && arr[i].tid == tid && (result < 0 || arr[i].result == result))
			return true;
	return false;
}

/* A result that is a pid is compared by the task it names, as the trace
 * prints it (the caller's namespace). */
static bool check_syscall(const struct sim *sm, const struct sc_expect *e,
			  const struct task_record *rec, struct strbuf *why)
{
	long got = rec->last_result[e->syscall];
	const char *pid = rec->last_pid[e->syscall];

	if (!rec->called[e->syscall]) {
		sb_add(why, "the task never made that call");
		return false;
	}
	if (e->result_task >= 0) {
		if (got > 0 && pid && !strcmp(pid, sm->s->tasks[e->result_task].name))
			return true;
		if (got > 0)
			sb_addf(why, "actual: %ld (%s)", got, pid ? pid : "?");
		else
			sb_addf(why, "actual: %ld", got);
		if (got < 0 && sl_errno_name((int)-got))
			sb_addf(why, " (%s)", sl_errno_name((int)-got));
		return false;
	}
	if (got == e->num)
		return true;
	sb_addf(why, "actual: %ld", got);
	if (got < 0 && sl_errno_name((int)-got))
		sb_addf(why, " (%s)", sl_errno_name((int)-got));
	return false;
}

static bool check_order(const struct sc_expect *e, const struct task_record *rec,
			struct strbuf *why)
{
	bool ok = rec->norder == (unsigned)e->norder;

	for (int i = 0; ok && i < e->norder; i++)
		ok = rec->order[i] == e->order[i];
	if (ok)
		return true;
	sb_add(why, "actual: ");
	for (unsigned i = 0; i < rec->norder && i < SC_MAX_ORDER; i++) {
		sb_add(why, i ? ", " : "");
		sc_render_signal(why, rec->order[i]);
	}
	if (rec->norder == 0)
		sb_add(why, "no handler ran");
	else if (rec->norder > SC_MAX_ORDER)
		sb_add(why, ", ...");
	return false;
}

/* The fields named, against the last siginfo of the signal the task took. */
static bool check_siginfo(const struct sim *sm, const struct sc_expect *e,
			  const struct task_record *rec, struct strbuf *why)
{
	const struct sl_siginfo *si = &rec->info[e->sig];
	const struct sl_siginfo *want = &e->si;
	unsigned f = e->si_fields;
	bool ok = true;

	if (e->sig < 1 || e->sig > SL_NSIG || !rec->got_info[e->sig]) {
		sb_add(why, "the task took no such signal");
		return false;
	}
	if ((f & SC_SI_CODE) && si->code != want->code)
		ok = false;
	if ((f & SC_SI_PID) && e->si_pid_task >= 0 &&
	    strcmp(rec->info_pid[e->sig], sm->s->tasks[e->si_pid_task].name))
		ok = false;
	if ((f & SC_SI_PID) && e->si_pid_task < 0 && si->pid != want->pid)
		ok = false;
	if (((f & SC_SI_UID) && si->uid != want->uid) ||
	    ((f & SC_SI_STATUS) && si->status != want->status) ||
	    ((f & SC_SI_VALUE) && si->value != want->value) ||
	    ((f & SC_SI_OVERRUN) && si->overrun != want->overrun) ||
	    ((f & SC_SI_TIMERID) && si->timerid != want->timerid) ||
	    ((f & SC_SI_ERRNO) && si->errnum != want->errnum) ||
	    ((f & SC_SI_ADDR) && si->addr != want->addr))
		ok = false;
	if (!ok)
		sb_addf(why, "actual: code=%d pid=%s uid=%u status=%d value=%llu overrun=%d "
			"timerid=%d errno=%d", si->code, rec->info_pid[e->sig], si->uid,
			si->status, (unsigned long long)si->value, si->overrun, si->timerid,
			si->errnum);
	return ok;
}

static bool check_one(struct sim *sm, const struct sc_expect *e, struct strbuf *why)
{
	const char *trace = sb_str(&sm->out);
	int tid = e->task >= 0 ? sm->task_tid[e->task] : 0;
	struct sl_task_info ti = { 0 };
	struct task_record *rec = e->task >= 0 ? &sm->rec[e->task] : NULL;

	if (e->task >= 0 && sl_task_info(sm->k, tid, &ti) < 0)
		ti.state = SL_TASK_DEAD;
	switch (e->kind) {
	case SC_EXP_STATE:
		return check_state(sm, e, &ti, why);
	case SC_EXP_EXITED:
	case SC_EXP_KILLED:
	case SC_EXP_DUMPED:
	case SC_EXP_OOPS:
		return check_exit(e, &ti, why);
	case SC_EXP_HANDLED:
		if (e->sig >= 1 && e->sig <= SL_NSIG && rec->handled[e->sig] == (unsigned)e->num)
			return true;
		sb_addf(why, "actual: %u", e->sig >= 1 && e->sig <= SL_NSIG ? rec->handled[e->sig] : 0);
		return false;
	case SC_EXP_SYSCALL:
		return check_syscall(sm, e, rec, why);
	case SC_EXP_ORDER:
		return check_order(e, rec, why);
	case SC_EXP_SIGINFO:
		return check_siginfo(sm, e, rec, why);
	case SC_EXP_BLOCKED:
	case SC_EXP_PENDING: {
		sl_sigset have = e->kind == SC_EXP_BLOCKED ? ti.blocked
							  : ti.pending | ti.shared_pending;

		if (have == e->set)
			return true;
		sb_add(why, "actual: ");
		sc_render_set(why, have);
		return false;
	}
	case SC_EXP_GENERATE:
		if (seen(sm->generated, sm->ngen, e->sig, tid, e->result))
			return true;
		sb_addf(why, "no such signal_generate with res=%d (%s)", e->result,
			sl_trace_result_name(e->result) ? sl_trace_result_name(e->result) : "?");
		return false;
	case SC_EXP_DELIVER:
		if (seen(sm->delivered, sm->ndel, e->sig, tid, -1))
			return true;
		sb_add(why, "no such signal_deliver");
		return false;
	case SC_EXP_TRACE:
		if (strstr(trace, e->text))
			return true;
		sb_add(why, "not in the trace");
		return false;
	case SC_EXP_NO_TRACE:
		if (!strstr(trace, e->text))
			return true;
		sb_add(why, "found in the trace");
		return false;
	}
	return false;
}

bool sim_expect_holds(struct sim *sm, const struct sc_expect *e)
{
	struct strbuf why = { 0 };
	bool ok = check_one(sm, e, &why);

	sb_free(&why);
	return ok;
}

/* --json: one record per expectation, then the summary (docs/trace-format.md):
 *   {"expect":"a killed SIGTERM","line":9,"ok":false,"reason":"..."}
 *   {"expectations":3,"failed":1} */
static void json_expectation(struct sim *sm, const struct sc_expect *e, bool ok, const char *why)
{
	sb_add(&sm->out, "{\"expect\":");
	sb_add_json_string(&sm->out, e->source ? e->source : "?");
	sb_addf(&sm->out, ",\"line\":%d,\"ok\":%s", e->pos.line, ok ? "true" : "false");
	if (!ok) {
		sb_add(&sm->out, ",\"reason\":");
		sb_add_json_string(&sm->out, why);
	}
	sb_add(&sm->out, "}\n");
}

void sim_check_expectations(struct sim *sm, struct sim_result *r)
{
	for (size_t i = 0; i < sm->s->nexpects; i++) {
		const struct sc_expect *e = &sm->s->expects[i];
		struct strbuf why = { 0 };
		bool ok = check_one(sm, e, &why);

		if (sm->opt.json)
			json_expectation(sm, e, ok, sb_str(&why));
		if (ok) {
			sb_addf(&sm->report, "expect %s: ok\n", e->source ? e->source : "?");
		} else {
			sb_addf(&sm->report, "expect %s: FAILED (%s)\n", e->source ? e->source : "?",
				sb_str(&why));
			r->failed++;
		}
		sb_free(&why);
	}
	if (sm->opt.json)
		sb_addf(&sm->out, "{\"expectations\":%zu,\"failed\":%zu}\n", sm->s->nexpects,
			(size_t)r->failed);
}

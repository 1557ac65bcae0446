/* The engine's event sink: routes what the runtime must act on (a model
 * call that returned, a task that died) to its guest, and prints the
 * trace in the vocabulary of `siglab run` and `siglab host`
 * (docs/trace-format.md), each line prefixed with the real tid. */
#include <inttypes.h>
#include <stdio.h>

#include "exec/exec.h"

static void route(struct exec *x, const struct sl_event *ev)
{
	struct guest *g = guest_by_mtid(x, ev->tid);

	if (!g)
		return;
	switch (ev->kind) {
	case SL_EV_SYSCALL_RETURN:
		g->ret_ready = true;
		g->ret = ev->ret;
		g->ret_info = ev->info;
		break;
	case SL_EV_EXIT:
		g->model_dead = true;
		if (ev->exit_kind == SL_EXIT_SIGNAL)
			g->kill_sig = ev->code;
		else
			g->exit_code = ev->code;
		break;
	default:
		break;
	}
}

static const char *kind_name(enum sl_event_kind k)
{
	switch (k) {
	case SL_EV_GENERATE: return "signal_generate";
	case SL_EV_DELIVER: return "signal_deliver";
	case SL_EV_HANDLER: return "handler";
	case SL_EV_SIGRETURN: return "sigreturn";
	case SL_EV_LONGJMP: return "longjmp";
	case SL_EV_STOP: return "stopped";
	case SL_EV_CONTINUE: return "continued";
	case SL_EV_EXIT: return "exit";
	case SL_EV_OOPS: return "oops";
	case SL_EV_NOTE: return "note";
	case SL_EV_SYSCALL_RETURN: return "syscall_return";
	case SL_EV_PTRACE_STOP: return "traced";
	}
	return "?";
}

static void put_json_string(FILE *o, const char *str)
{
	fputc('"', o);
	for (; *str; str++) {
		if (*str == '"' || *str == '\\')
			fputc('\\', o);
		if ((unsigned char)*str >= 0x20)
			fputc(*str, o);
	}
	fputc('"', o);
}

static void print_json(struct exec *x, const struct sl_event *ev)
{
	fprintf(x->opt.out, "{\"event\":\"%s\",\"tid\":%d,\"target\":%d,\"sig\":%d",
		kind_name(ev->kind), (int)pid_to_real(x, ev->tid),
		(int)pid_to_real(x, ev->target), ev->sig);
	if (ev->kind == SL_EV_GENERATE)
		fprintf(x->opt.out, ",\"res\":%d,\"grp\":%d", ev->result, ev->group ? 1 : 0);
	if (ev->kind == SL_EV_DELIVER || ev->kind == SL_EV_HANDLER)
		fprintf(x->opt.out, ",\"code\":%d,\"sa_handler\":\"0x%" PRIx64 "\",\"sa_flags\":%" PRIu64,
			ev->info.code, ev->ka.handler, ev->ka.flags & ~(uint64_t)SL_SA_RESTORER);
	if (ev->kind == SL_EV_EXIT)
		fprintf(x->opt.out, ",\"exit\":\"%s\",\"code\":%d",
			ev->exit_kind == SL_EXIT_SIGNAL ? "signal" : "code", ev->code);
	if (ev->kind == SL_EV_SYSCALL_RETURN)
		fprintf(x->opt.out, ",\"ret\":%ld", ev->ret);
	if (x->opt.explain && ev->rule) {
		fputs(",\"rule\":", x->opt.out);
		put_json_string(x->opt.out, ev->rule);
	}
	fputs("}\n", x->opt.out);
}

static void print_handler(struct exec *x, uint64_t h)
{
	if (h == SL_SIG_DFL)
		fputs("SIG_DFL", x->opt.out);
	else if (h == SL_SIG_IGN)
		fputs("SIG_IGN", x->opt.out);
	else
		fprintf(x->opt.out, "0x%" PRIx64, h);
}

static void print_text(struct exec *x, const struct sl_event *ev)
{
	FILE *o = x->opt.out;
	pid_t tid = pid_to_real(x, ev->tid);

	if (ev->kind == SL_EV_NOTE || ev->kind == SL_EV_SYSCALL_RETURN) {
		if (x->opt.explain && ev->rule)
			fprintf(o, "[%d]   because: %s\n", (int)tid, ev->rule);
		return;
	}
	fprintf(o, "[%d] ", (int)tid);
	switch (ev->kind) {
	case SL_EV_GENERATE:
		fprintf(o, "signal_generate sig=%d errno=%d code=%d pid=%d grp=%d res=%d",
			ev->sig, ev->info.errnum, ev->info.code, (int)pid_to_real(x, ev->target),
			ev->group ? 1 : 0, ev->result);
		break;
	case SL_EV_DELIVER:
		fprintf(o, "signal_deliver sig=%d errno=%d code=%d sa_handler=", ev->sig,
			ev->info.errnum, ev->info.code);
		print_handler(x, ev->ka.handler);
		fprintf(o, " sa_flags=%" PRIx64, ev->ka.flags & ~(uint64_t)SL_SA_RESTORER);
		break;
	case SL_EV_HANDLER:
		fputs("handler ", o);
		print_handler(x, ev->ka.handler);
		fprintf(o, " sig=%d code=%d", ev->sig, ev->info.code);
		break;
	case SL_EV_STOP:
		fprintf(o, "stopped %s", sl_signal_name(ev->sig));
		break;
	case SL_EV_EXIT:
		if (ev->exit_kind == SL_EXIT_SIGNAL)
			fprintf(o, "killed %s", sl_signal_name(ev->code));
		else
			fprintf(o, "exited %d", ev->code);
		break;
	default:
		fputs(kind_name(ev->kind), o);
		break;
	}
	if (x->opt.explain && ev->rule)
		fprintf(o, "\n[%d]   because: %s", (int)tid, ev->rule);
	fputc('\n', o);
}

/* What the trace leaves out: the model's init stands for the world
 * outside the guest tree (siglab itself), whose own signals (the first
 * guest's SIGCHLD) are not the program's; a note or a call's return is
 * printed only as the reason of --explain. */
static bool untraced(const struct exec *x, const struct sl_event *ev)
{
	if (ev->kind == SL_EV_GENERATE)
		return ev->target == x->init_mtid;
	if (ev->tid == x->init_mtid)
		return true;
	return (ev->kind == SL_EV_NOTE || ev->kind == SL_EV_SYSCALL_RETURN) && !x->opt.explain;
}

void exec_event(void *ud, const struct sl_event *ev)
{
	struct exec *x = ud;

	route(x, ev);
	if ((!x->opt.trace && !x->opt.json) || untraced(x, ev))
		return;
	if (x->opt.json)
		print_json(x, ev);
	else
		print_text(x, ev);
}

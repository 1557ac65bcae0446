/*
 * siglab why [--proc DIR] [--json] [--] PID|self [SIG]: what `kill PID SIG` would do to a live
 * process, and why.  Reads /proc only and never sends a signal; the
 * verdict comes from the model (src/why/).  Exit status: 0 a diagnosis,
 * 1 no such process (or /proc could not be read), 2 a usage error.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "why/why.h"
#include "why/json.h"

static void usage(FILE *to)
{
	fprintf(to, "usage: siglab why [--proc DIR] [--json] [--] PID|self [SIG]\n"
		"  predicts what kill(PID, SIG) would do (SIG: a name or number; default TERM),\n"
		"  from the process's signal state in /proc; never sends a signal\n"
		"  PID self    this siglab process itself (DIR/self)\n"
		"  --proc DIR  read DIR instead of /proc\n"
		"  --json      one JSON object instead of text\n"
		"  --          ends the options: what follows is PID and SIG\n");
}

int cli_parse_pid(const char *s)
{
	long v = 0;

	if (!*s || strlen(s) > 10)
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > 0 && v <= INT_MAX ? (int)v : -1;
}

int cli_parse_signal(const char *s)
{
	char up[32];
	size_t i;

	if (!strcmp(s, "0"))
		return 0;
	for (i = 0; s[i] && i < sizeof up - 1; i++)
		up[i] = (char)toupper((unsigned char)s[i]);
	if (s[i] || i == 0)
		return -1;
	up[i] = '\0';
	return sl_signal_from_name(up) > 0 ? sl_signal_from_name(up) : -1;
}

static const char *state_name(char s)
{
	switch (s) {
	case 'R': return "running";
	case 'S': return "sleeping";
	case 'D': return "uninterruptible sleep";
	case 'T': return "stopped";
	case 't': return "tracing stop";
	case 'Z': return "zombie";
	case 'X': return "dead";
	case 'I': return "idle";
	case 'P': return "parked";
	default: return "unknown state";
	}
}

/* "3 threads: 2 S, 1 D" */
static void thread_summary(const struct proc_process *p, char *buf, size_t cap)
{
	static const char states[] = "RSDTtZXIP";
	size_t len;

	len = (size_t)snprintf(buf, cap, "%zu thread%s", p->nthreads, p->nthreads == 1 ? "" : "s");
	if (p->nthreads < 2)
		return;
	for (const char *s = states; *s && len < cap; s++) {
		size_t n = 0;

		for (size_t i = 0; i < p->nthreads; i++)
			n += p->threads[i].state == *s;
		if (n)
			len += (size_t)snprintf(buf + len, cap - len, "%s %zu %c",
						len && buf[len - 1] != 's' ? "," : ":", n, *s);
	}
}

/* Where each thread is: its state, wchan and syscall (every answer shows
 * them), the wait they mean, and the process's children. */
static void print_threads(const struct proc_process *p)
{
	for (size_t i = 0; i < p->nthreads; i++) {
		const struct proc_thread *t = &p->threads[i];
		char where[192];
		struct proc_wait w;

		if (i == 8) {
			printf("  ... and %zu more threads\n", p->nthreads - i);
			break;
		}
		why_wait_place(t, where, sizeof where);
		proc_thread_wait(t, &w);
		printf("  thread %d %c: %s%s%s\n", t->tid, t->state ? t->state : '?', where,
		       w.what ? ": " : "", w.what ? w.what : "");
	}
	if (p->nchildren_all) {
		printf("  children:");
		for (size_t i = 0; i < p->nchildren; i++) {
			char name[4 * PROC_COMM_MAX];

			why_printable(p->children[i].comm, name, sizeof name);
			printf(" %d (%s, %c)%s", p->children[i].pid, name, p->children[i].state,
			       i + 1 < p->nchildren ? "," : "");
		}
		if (p->nchildren_all > p->nchildren)
			printf(" and %zu more", p->nchildren_all - p->nchildren);
		printf("\n");
	}
}

static void print_process(const struct proc_process *p, enum why_kind kind)
{
	static const char *const kinds[] = {
		[WHY_KIND_PROCESS] = "", [WHY_KIND_KTHREAD] = ", kernel thread",
		[WHY_KIND_GLOBAL_INIT] = ", global init", [WHY_KIND_NS_INIT] = ", pid-namespace init",
	};
	const struct proc_status *st = &p->status;
	char threads[128], pnd[512], blk[512], ign[512], cgt[512];
	char name[4 * PROC_COMM_MAX], parent[4 * PROC_COMM_MAX], tracer[4 * PROC_COMM_MAX];

	/* names are anyone's choice: printed as ps(1) prints them */
	why_printable(st->name[0] ? st->name : p->stat.comm, name, sizeof name);
	why_printable(p->parent_comm[0] ? p->parent_comm : "?", parent, sizeof parent);
	why_printable(p->tracer_comm[0] ? p->tracer_comm : "?", tracer, sizeof tracer);
	thread_summary(p, threads, sizeof threads);
	printf("pid %d (%s): %c (%s)%s, %s, uid %u", p->threads[0].tid, name, st->state,
	       state_name(st->state), kinds[kind], threads, st->uid[0]);
	if (p->parent_pid > 0)
		printf(", parent %d (%s)", p->parent_pid, parent);
	else
		printf(", no parent in this pid namespace");
	if (st->tracer_pid > 0)
		printf(", traced by %d (%s)", st->tracer_pid, tracer);
	printf("\n");
	why_format_set(st->sigpnd | st->shdpnd, pnd, sizeof pnd);
	why_format_set(st->sigblk, blk, sizeof blk);
	why_format_set(st->sigign, ign, sizeof ign);
	why_format_set(st->sigcgt, cgt, sizeof cgt);
	printf("  pending %s  blocked %s  ignored %s  caught %s\n", pnd, blk, ign, cgt);
	print_threads(p);
}

static void print_step(const struct why_step *s, int pid)
{
	const char *name = s->sig > 0 ? sl_signal_name(s->sig) : "";

	switch (s->kind) {
	case SL_EV_GENERATE:
		printf("    signal_generate %s -> %d res=%d (%s)\n", name, pid, s->result,
		       sl_trace_result_name(s->result) ? sl_trace_result_name(s->result) : "?");
		break;
	case SL_EV_DELIVER:
		printf("    signal_deliver  %s in thread %d\n", name, s->tid);
		break;
	case SL_EV_HANDLER:
		printf("    handler frame   %s in thread %d\n", name, s->tid);
		break;
	case SL_EV_SIGRETURN:
		printf("    sigreturn       %s in thread %d (its handler assumed to return)\n",
		       name, s->tid);
		break;
	case SL_EV_STOP:
		printf("    stop            thread %d\n", s->tid);
		break;
	case SL_EV_CONTINUE:
		printf("    continue        thread %d\n", s->tid);
		break;
	case SL_EV_EXIT:
		printf("    exit            thread %d\n", s->tid);
		break;
	case SL_EV_PTRACE_STOP:
		printf("    ptrace stop     %s in thread %d (a signal-delivery-stop)\n", name, s->tid);
		break;
	case SL_EV_NOTE:
		printf("    note            %s\n", name);
		break;
	default:
		return;
	}
	if (s->rule)
		printf("                    %s\n", s->rule);
}

static void print_outcome(const struct why_report *r, const struct why_outcome *o,
			  const struct proc_process *p)
{
	for (size_t i = 0; i < o->nsteps; i++)
		print_step(&o->steps[i], r->pid);
	(void)p;
}

static void print_report(const struct proc_process *p, int sig, const struct why_sender *s,
			 const struct why_report *r)
{
	struct why_report ar;
	const char *label;
	char line[512];

	print_process(p, r->kind);
	why_headline(r, &r->now, p, line, sizeof line);
	printf("kill(%d, %s): %s\n", r->pid, sig ? sl_signal_name(sig) : "0", line);
	if (r->has_then) {
		why_headline(r, &r->then, p, line, sizeof line);
		printf("%s: %s\n", r->then_what, line);
	}
	label = why_alternative(p, sig, s, r, &ar);
	if (label) {
		why_headline(&ar, &ar.now, p, line, sizeof line);
		printf("%s: %s\n", label, line);
		why_report_free(&ar);
	}
	if (r->now.nsteps || r->then.nsteps) {
		printf("model: the process mirrored in libsiglab, kill() from a task with your "
		       "credentials:\n");
		print_outcome(r, &r->now, p);
		if (r->has_then && r->then.nsteps) {
			printf("  %s:\n", r->then_what);
			print_outcome(r, &r->then, p);
		}
	}
	if (r->nnotes)
		printf("notes:\n");
	for (size_t i = 0; i < r->nnotes; i++)
		printf("  - %s\n", r->notes[i]);
}

static int print_report_json(const struct proc_process *p, int sig,
			     const struct why_sender *s, const struct why_report *r)
{
	struct why_report ar;
	struct strbuf b = { 0 };
	const char *label = why_alternative(p, sig, s, r, &ar);
	int status = 0;

	why_report_json(&b, p, sig, r, label, label ? &ar : NULL);
	if (label)
		why_report_free(&ar);
	if (b.oom) {
		fprintf(stderr, "siglab why: out of memory\n");
		status = 1;
	} else {
		fputs(sb_str(&b), stdout);
	}
	sb_free(&b);
	return status;
}

/* "self": the pid DIR/self names (the proc file system's own answer, so
 * that it is right in any pid namespace), or getpid() when DIR has no
 * self link (a canned tree). */
static int self_pid(const char *root)
{
	char path[PATH_MAX], buf[32];
	ssize_t n;

	if (snprintf(path, sizeof path, "%s/self", root) >= (int)sizeof path)
		return -1;
	n = readlink(path, buf, sizeof buf - 1);
	if (n <= 0)
		return (int)getpid();
	buf[n] = '\0';
	return cli_parse_pid(buf);
}

static int diagnose(const char *root, int pid, int sig, bool json)
{
	int status = 0;

	struct proc_process p;
	struct why_sender s;
	struct why_report r;
	int err = proc_read_process(root, pid, true, &p);

	if (err) {
		if (err == PROC_GONE)
			fprintf(stderr, "siglab why: no process %d (it does not exist, or it exited "
				"while being read)\n", pid);
		else
			fprintf(stderr, "siglab why: cannot read %s/%d: %s\n", root, pid,
				proc_strerror(err));
		return 1;
	}
	why_sender_read(root, &p, sig, &s);
	if (why_diagnose(&p, sig, &s, &r) != 0) {
		fprintf(stderr, "siglab why: out of memory\n");
		proc_process_free(&p);
		return 1;
	}
	if (json)
		status = print_report_json(&p, sig, &s, &r);
	else
		print_report(&p, sig, &s, &r);
	why_report_free(&r);
	proc_process_free(&p);
	return status;
}

int cmd_why(int argc, char **argv)
{
	const char *root = "/proc", *pid_arg = NULL, *sig_arg = NULL;
	int pid, sig = SL_SIGTERM;
	bool json = false, options = true;

	for (int i = 1; i < argc; i++) {
		if (options && !strcmp(argv[i], "--")) {
			options = false;
			continue;
		} else if (options && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))) {
			usage(stdout);
			return 0;
		} else if (options && !strcmp(argv[i], "--proc")) {
			if (cli_option_value("why", argc, argv, &i, "the /proc directory to read", &root) < 0)
				return 2;
			continue;
		} else if (options && !strcmp(argv[i], "--json")) {
			json = true;
			continue;
		} else if (options && argv[i][0] == '-' && argv[i][1] &&
			   !isdigit((unsigned char)argv[i][1])) {
			fprintf(stderr, "siglab why: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
		if (!pid_arg) {
			pid_arg = argv[i];
		} else if (!sig_arg) {
			sig_arg = argv[i][0] == '-' ? argv[i] + 1 : argv[i];
		} else {
			return cli_usage_error("why", usage, "unexpected argument '%s'", argv[i]);
		}
	}
	if (!pid_arg)
		return cli_usage_error("why", usage, "no PID");
	pid = strcmp(pid_arg, "self") ? cli_parse_pid(pid_arg) : self_pid(root);
	if (pid < 0) {
		fprintf(stderr, "siglab why: '%s' is not a pid\n", pid_arg);
		return 2;
	}
	if (sig_arg && (sig = cli_parse_signal(sig_arg)) < 0) {
		fprintf(stderr, "siglab why: unknown signal '%s'\n", sig_arg);
		return 2;
	}
	return diagnose(root, pid, sig, json);
}

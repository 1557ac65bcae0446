/*
 * A trace line's fields for --json (src/scenario/trace_json.c): each line
 * shape of docs/trace-format.md gives its own members, and no text, however
 * broken, gives anything but valid JSON.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "json_check.h"
#include "scenario/ast.h"
#include "scenario/strbuf.h"
#include "scenario/trace_json.h"
#include "sim/sim.h"

/* The members of one line, as a whole object: {"x":0,...}. */
static char *fields(const char *text, bool final)
{
	struct strbuf b = { 0 };

	sb_add(&b, "{\"x\":0");
	if (final)
		sc_final_json(&b, text);
	else
		sc_trace_json(&b, text);
	sb_add(&b, "}");
	cr_assert_not(b.oom);
	return sb_take(&b);
}

static void check(const char *text, const char *want)
{
	char *got = fields(text, false);

	cr_assert_str_eq(got, want, "line: %s", text);
	free(got);
}

Test(trace_json, tracepoints_give_their_fields)
{
	check("signal_generate sig=10 errno=0 code=0 comm=a pid=a grp=1 res=0",
	      "{\"x\":0,\"event\":\"signal_generate\",\"sig\":10,\"errno\":0,\"code\":0,"
	      "\"comm\":\"a\",\"pid\":\"a\",\"grp\":1,\"res\":0}");
	check("signal_deliver sig=10 errno=0 code=0 sa_handler=h sa_flags=c0000000",
	      "{\"x\":0,\"event\":\"signal_deliver\",\"sig\":10,\"errno\":0,\"code\":0,"
	      "\"sa_handler\":\"h\",\"sa_flags\":3221225472}");
	check("handler h sig=10 code=-1 pid=b uid=4242 value=5",
	      "{\"x\":0,\"event\":\"handler\",\"handler\":\"h\",\"sig\":10,\"code\":-1,"
	      "\"pid\":\"b\",\"uid\":4242,\"value\":5}");
	check("handler on_io sig=36 code=1 band=65 fd=p[0]",
	      "{\"x\":0,\"event\":\"handler\",\"handler\":\"on_io\",\"sig\":36,\"code\":1,"
	      "\"band\":65,\"fd\":\"p[0]\"}");
}

Test(trace_json, calls_give_name_args_result_errno)
{
	check("kill(a, SIGUSR1) = 0",
	      "{\"x\":0,\"event\":\"syscall\",\"name\":\"kill\",\"args\":[\"a\",\"SIGUSR1\"],"
	      "\"result\":0,\"errno\":null}");
	check("kill(nobody, SIGTERM) = -1 ESRCH",
	      "{\"x\":0,\"event\":\"syscall\",\"name\":\"kill\",\"args\":[\"nobody\",\"SIGTERM\"],"
	      "\"result\":-1,\"errno\":\"ESRCH\"}");
	check("setrlimit(RLIMIT_CORE, {cur=1, max=2}) = 0",
	      "{\"x\":0,\"event\":\"syscall\",\"name\":\"setrlimit\",\"args\":[\"RLIMIT_CORE\","
	      "\"{cur=1, max=2}\"],\"result\":0,\"errno\":null}");
	check("pause() ...",
	      "{\"x\":0,\"event\":\"syscall\",\"name\":\"pause\",\"args\":[],\"result\":null,"
	      "\"errno\":null,\"pending\":true}");
	check("nanosleep(3s) = -1 EINTR (rem 2s)",
	      "{\"x\":0,\"event\":\"syscall\",\"name\":\"nanosleep\",\"args\":[\"3s\"],"
	      "\"result\":-1,\"errno\":\"EINTR\",\"detail\":\"rem 2s\"}");
	check("sigtimedwait({SIGUSR1}, 2s) = SIGUSR1 (code=0 pid=b)",
	      "{\"x\":0,\"event\":\"syscall\",\"name\":\"sigtimedwait\",\"args\":[\"{SIGUSR1}\","
	      "\"2s\"],\"result\":\"SIGUSR1\",\"errno\":null,\"detail\":\"code=0 pid=b\","
	      "\"siginfo\":{\"code\":0,\"pid\":\"b\"}}");
	check("ptrace(PTRACE_GETSIGINFO, p) = 0 {SIGUSR1 code=0 pid=s}",
	      "{\"x\":0,\"event\":\"syscall\",\"name\":\"ptrace\",\"args\":[\"PTRACE_GETSIGINFO\","
	      "\"p\"],\"result\":0,\"errno\":null,\"detail\":\"{SIGUSR1 code=0 pid=s}\","
	      "\"siginfo\":{\"signal\":\"SIGUSR1\",\"code\":0,\"pid\":\"s\"}}");
	check("ptrace(PTRACE_PEEKSIGINFO, k) = 2 [SIGUSR1 code=-1 value=1, SIGUSR2 code=0]",
	      "{\"x\":0,\"event\":\"syscall\",\"name\":\"ptrace\",\"args\":[\"PTRACE_PEEKSIGINFO\","
	      "\"k\"],\"result\":2,\"errno\":null,\"detail\":\"[SIGUSR1 code=-1 value=1, SIGUSR2 "
	      "code=0]\",\"siginfo\":[{\"signal\":\"SIGUSR1\",\"code\":-1,\"value\":1},"
	      "{\"signal\":\"SIGUSR2\",\"code\":0}]}");
	check("write(p, \"a, b\") = 1",
	      "{\"x\":0,\"event\":\"syscall\",\"name\":\"write\",\"args\":[\"p\",\"\\\"a, b\\\"\"],"
	      "\"result\":1,\"errno\":null}");
	/* A user action is a call, not a system call. */
	check("fault(SIGFPE, 1)",
	      "{\"x\":0,\"event\":\"call\",\"name\":\"fault\",\"args\":[\"SIGFPE\",\"1\"],"
	      "\"result\":null,\"errno\":null}");
}

Test(trace_json, stops_and_deaths)
{
	check("killed SIGQUIT (core dumped)",
	      "{\"x\":0,\"event\":\"killed\",\"signal\":\"SIGQUIT\",\"sig\":3,\"core_dumped\":true}");
	check("exited 3", "{\"x\":0,\"event\":\"exited\",\"status\":3}");
	check("stopped SIGTSTP", "{\"x\":0,\"event\":\"stopped\",\"signal\":\"SIGTSTP\",\"sig\":20}");
	check("traced SIGTRAP|0x80",
	      "{\"x\":0,\"event\":\"traced\",\"signal\":\"SIGTRAP\",\"sig\":5,\"sysgood\":true}");
	check("traced SIGTRAP PTRACE_EVENT_EXEC",
	      "{\"x\":0,\"event\":\"traced\",\"signal\":\"SIGTRAP\",\"sig\":5,\"sysgood\":false,"
	      "\"ptrace_event\":\"PTRACE_EVENT_EXEC\"}");
	check("oops: SIGFPE in kernel mode, die()",
	      "{\"x\":0,\"event\":\"oops\",\"signal\":\"SIGFPE\",\"sig\":8}");
	check("sigreturn", "{\"x\":0,\"event\":\"sigreturn\"}");
	check("log \"a \"q\" b\"", "{\"x\":0,\"event\":\"log\",\"message\":\"a \\\"q\\\" b\"}");
	check("(not run: t is dead)", "{\"x\":0,\"event\":\"not_run\",\"state\":\"dead\"}");
}

Test(trace_json, final_states)
{
	char *got = fields("killed SIGKILL", true);

	cr_assert_str_eq(got, "{\"x\":0,\"state\":\"killed\",\"signal\":\"SIGKILL\",\"sig\":9,"
			      "\"core_dumped\":false}");
	free(got);
	got = fields("not forked", true);
	cr_assert_str_eq(got, "{\"x\":0,\"state\":\"not_forked\"}");
	free(got);
}

/* Broken text still gives valid JSON. */
Test(trace_json, any_text_is_valid_json)
{
	static const char *const lines[] = {
		"", "(", ")", "kill(", "kill(a, {b", "x(\"unterminated", "handler", "handler h",
		"signal_generate ==1 =x a= \"=\" K=1 sig=", "killed", "traced |", "log", "log \"",
		"repeat", "resize t", "oops:", "oops: ", "(not run: ", "\xff\xfe", "a = b",
		"f() = ", "f() = -1", "f() = -1 E (", "f() = 1 (code=", "x y=\"1 2\" {}",
		"sigtimedwait({}) = SIGUSR1 (code=0 code=1 pid=\\)", "f() = 1 [code=", "f() = 1 [code=1,,]",
		"f() = 1 [,code=1]", "f() = 1 {code=1", "f() = 0 (code=1 code=2)",
	};

	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		char *a = fields(lines[i], false), *f = fields(lines[i], true);

		cr_assert(json_valid(a), "%s -> %s", lines[i], a);
		cr_assert(json_valid(f), "%s -> %s", lines[i], f);
		free(a);
		free(f);
	}
}

/* run --json: the events of a run carry their fields. */
Test(trace_json, run_records_have_fields)
{
	static const char scn[] = "scenario f\nprocess a\nprocess b\nhandler h { log \"x\" }\n"
				  "a: sigaction SIGUSR1 h\nb: kill a SIGUSR1\n";
	struct sim_options opt = { .json = true };
	struct scenario *s;
	struct sc_diag d;
	struct sim_result r;

	cr_assert_eq(sc_parse("f.scn", scn, sizeof scn - 1, &s, &d), 0, "%s", d.message);
	cr_assert_eq(sim_run(s, &opt, &r), 0);
	cr_assert(strstr(r.trace, "\"kind\":\"generate\",\"event\":\"signal_generate\",\"sig\":10,"
				  "\"errno\":0,\"code\":0,\"comm\":\"a\",\"pid\":\"a\",\"grp\":1,"
				  "\"res\":0,\"text\":"), "%s", r.trace);
	cr_assert(strstr(r.trace, "\"event\":\"syscall\",\"name\":\"kill\",\"args\":[\"a\","
				  "\"SIGUSR1\"],\"result\":0,\"errno\":null,"), "%s", r.trace);
	cr_assert(strstr(r.trace, "{\"task\":\"a\",\"final\":\"running\",\"state\":\"running\"}"),
		  "%s", r.trace);
	sim_result_free(&r);
	sc_free(s);
}

/*
 * The JSON outputs: sb_add_json_string on hostile bytes, `siglab why
 * --json` on canned processes (the same verdicts as the text, as valid
 * JSON), `siglab ps --json` on a fake proc tree, and `siglab run --json`
 * lines.  Every output goes through a strict JSON syntax check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include <criterion/redirect.h>

#include "cli/commands.h"
#include "why/why.h"
#include "why/json.h"
#include "why/proc.h"
#include "json_check.h"
#include "scenario/ast.h"
#include "scenario/strbuf.h"
#include "sim/sim.h"

Test(json_check, accepts_and_rejects)
{
	cr_assert(json_valid("{\"a\":[1,-2.5e3,true,false,null,\"x\\u00e9\"]}"));
	cr_assert(json_valid(" \"h\xc3\xa9\" "));
	cr_assert_not(json_valid("{\"a\":1,}"));
	cr_assert_not(json_valid("{\"a\" 1}"));
	cr_assert_not(json_valid("\"raw\ttab\""));
	cr_assert_not(json_valid("\"\xff\""));
	cr_assert_not(json_valid("01"));
	cr_assert_not(json_valid("{} {}"));
}

static char *json_of(const char *s)
{
	struct strbuf b = { 0 };

	sb_add_json_string(&b, s);
	return sb_take(&b);
}

Test(json_string, escapes_what_json_forbids_and_keeps_utf8)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "\"plain\"" },
		{ "q\"b\\", "\"q\\\"b\\\\\"" },
		{ "tab\tnl\n", "\"tab\\u0009nl\\u000a\"" },
		{ "del\x7f", "\"del\\u007f\"" },
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },		/* valid UTF-8 kept */
		{ "\xe2\x82\xac", "\"\xe2\x82\xac\"" },		/* U+20AC */
		{ "\xf0\x9f\x99\x82", "\"\xf0\x9f\x99\x82\"" },	/* U+1F642 */
		{ "bad\xff", "\"bad\\u00ff\"" },
		{ "over\xc0\xaf", "\"over\\u00c0\\u00af\"" },	/* overlong '/' */
		{ "sur\xed\xa0\x80", "\"sur\\u00ed\\u00a0\\u0080\"" }, /* a surrogate */
		{ "cut\xe2\x82", "\"cut\\u00e2\\u0082\"" },	/* truncated sequence */
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = json_of(cases[i].in);

		cr_assert_str_eq(got, cases[i].out, "case %zu", i);
		cr_assert(json_valid(got), "case %zu: %s", i, got);
		free(got);
	}
}

/* ---- why --json ---------------------------------------------------------------- */

static void status_with(char *buf, size_t cap, const char *name, const char *cgt)
{
	snprintf(buf, cap,
		 "Name:\t%s\nState:\tS (sleeping)\nTgid:\t4321\nPid:\t4321\nPPid:\t1\n"
		 "TracerPid:\t0\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n"
		 "NStgid:\t4321\nNSpid:\t4321\nNSpgid:\t4321\nNSsid:\t4321\nKthread:\t0\n"
		 "Threads:\t1\nSigQ:\t0/63382\nSigPnd:\t0000000000000000\n"
		 "ShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\n"
		 "SigIgn:\t0000000000001000\nSigCgt:\t%s\n",
		 name, cgt);
}

static const char STAT_4321[] =
	"4321 (svc) S 1 4321 4321 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 25 1000 "
	"200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

static char *why_json_for(const char *status, int sig)
{
	struct why_sender s = { .from = WHY_FROM_AUTO, .orphaned_pgrp = -1 };
	struct proc_process p;
	struct why_report r;
	struct strbuf b = { 0 };

	s.self = (struct proc_self){ .uid = 1000, .euid = 1000, .sid = 99, .nspid_count = 1,
				     .root_pidns = 1 };
	cr_assert_eq(proc_process_from_text(status, STAT_4321, &p), PROC_OK);
	cr_assert_eq(why_diagnose(&p, sig, &s, &r), 0);
	why_report_json(&b, &p, sig, &r, NULL, NULL);
	why_report_free(&r);
	proc_process_free(&p);
	cr_assert_not(b.oom);
	return sb_take(&b);
}

Test(why_json, caught_signal_is_a_handler_verdict)
{
	char st[1024], *j;

	status_with(st, sizeof st, "svc", "0000000000004000");	/* TERM caught */
	j = why_json_for(st, 15);
	cr_assert(json_valid(j), "%s", j);
	cr_assert(strstr(j, "\"signal\":\"SIGTERM\",\"signo\":15"), "%s", j);
	cr_assert(strstr(j, "\"now\":{\"verdict\":\"handler\""), "%s", j);
	cr_assert(strstr(j, "\"caught\":{\"mask\":\"0x0000000000004000\",\"names\":[\"SIGTERM\"]}"),
		  "%s", j);
	cr_assert(strstr(j, "\"ignored\":{\"mask\":\"0x0000000000001000\",\"names\":[\"SIGPIPE\"]}"),
		  "%s", j);
	cr_assert(strstr(j, "\"event\":\"signal_generate\""), "%s", j);
	cr_assert(strstr(j, "\"event\":\"signal_deliver\""), "%s", j);
	cr_assert_eq(j[strlen(j) - 1], '\n');
	free(j);
}

Test(why_json, ignored_signal_is_dropped_and_names_are_escaped)
{
	char st[1024], *j;

	/* A comm as hostile as /proc allows: quotes, a tab, bytes that are
	 * not UTF-8. */
	status_with(st, sizeof st, "a\\\"b\\tc\xff", "0000000000000000");
	j = why_json_for(st, 13);	/* SIGPIPE: ignored */
	cr_assert(json_valid(j), "%s", j);
	cr_assert(strstr(j, "\"verdict\":\"dropped\""), "%s", j);
	cr_assert(strstr(j, "\\u00ff"), "%s", j);
	free(j);
}

Test(why_json, default_action_kills)
{
	char st[1024], *j;

	status_with(st, sizeof st, "svc", "0000000000000000");
	j = why_json_for(st, 15);
	cr_assert(json_valid(j), "%s", j);
	cr_assert(strstr(j, "\"now\":{\"verdict\":\"term\""), "%s", j);
	free(j);
}

/* ---- ps --json and why --json on a fake proc tree ------------------------------- */

static void fake_tree(char *root)
{
	char dir[300], st[1024];

	cr_assert(mkdtemp(root));
	snprintf(dir, sizeof dir, "%s/4321", root);
	cr_assert_eq(mkdir(dir, 0755), 0);
	status_with(st, sizeof st, "svc", "0000000000004000");
	put(dir, "status", st);
	put(dir, "stat", STAT_4321);
	snprintf(dir, sizeof dir, "%s/self", root);	/* not numeric: skipped by ps */
	cr_assert_eq(mkdir(dir, 0755), 0);
	put(dir, "status", st);
}

static char *read_all(FILE *f)
{
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, f);

	buf[n] = '\0';
	return buf;
}

Test(ps_json, one_valid_object_per_process, .init = cr_redirect_stdout)
{
	char root[] = "/tmp/siglab-psjson-XXXXXX";
	char *argv[] = { (char[]){"ps"}, (char[]){"--proc"}, root, (char[]){"--json"}, NULL };
	char *out, *nl;

	fake_tree(root);
	cr_assert_eq(cmd_ps(4, argv), 0);
	fflush(stdout);
	out = read_all(cr_get_redirected_stdout());
	nl = strchr(out, '\n');
	cr_assert(nl, "%s", out);
	*nl = '\0';
	cr_assert(json_valid(out), "%s", out);
	cr_assert(strstr(out, "\"pid\":4321"), "%s", out);
	cr_assert(strstr(out, "\"comm\":\"svc\""), "%s", out);
	cr_assert(strstr(out, "\"flags\":\"-\""), "%s", out);
	cr_assert_str_eq(nl + 1, "", "one process, one line");
	rm_tree(root);
}

Test(why_json, cmd_prints_one_object, .init = cr_redirect_stdout)
{
	char root[] = "/tmp/siglab-whyjson-XXXXXX";
	char *argv[] = { (char[]){"why"}, (char[]){"--proc"}, root, (char[]){"--json"}, (char[]){"4321"}, (char[]){"TERM"}, NULL };
	char *out;

	fake_tree(root);
	cr_assert_eq(cmd_why(6, argv), 0);
	fflush(stdout);
	out = read_all(cr_get_redirected_stdout());
	cr_assert(json_valid(out), "%s", out);
	cr_assert(strstr(out, "\"verdict\":\"handler\""), "%s", out);
	rm_tree(root);
}

/* ---- run --json ------------------------------------------------------------------ */

Test(run_json, every_line_is_valid_json)
{
	static const char scn[] =
		"scenario \"quotes\"\n"
		"process a\nprocess b\n"
		"handler h { log \"here \\\"q\\\" caf\xc3\xa9\" }\n"
		"a: sigaction SIGUSR1 h\n"
		"b: kill a SIGUSR1\n"
		"b: kill a SIGTERM\n"
		"expect a killed SIGTERM\n";
	struct sim_options opt = { .json = true, .explain = true };
	struct scenario *s;
	struct sc_diag d;
	struct sim_result r;
	size_t lines = 0;

	cr_assert_eq(sc_parse("j.scn", scn, sizeof scn - 1, &s, &d), 0, "%s", d.message);
	cr_assert_eq(sim_run(s, &opt, &r), 0);
	for (char *line = r.trace, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		cr_assert_not_null(nl);
		*nl = '\0';
		cr_assert(json_valid(line), "%s", line);
		lines++;
	}
	cr_assert_gt(lines, 5);
	sim_result_free(&r);
	sc_free(s);
}

/* A failing run says in its JSON which expectation failed, and why. */
Test(run_json, expectations_are_recorded)
{
	static const char scn[] =
		"scenario e\nprocess a\na: kill a SIGUSR1\n"
		"expect a killed SIGUSR1\nexpect a running\n";
	struct sim_options opt = { .json = true };
	struct scenario *s;
	struct sc_diag d;
	struct sim_result r;

	cr_assert_eq(sc_parse("e.scn", scn, sizeof scn - 1, &s, &d), 0, "%s", d.message);
	cr_assert_eq(sim_run(s, &opt, &r), 0);
	cr_assert_eq(r.failed, 1);
	cr_assert(strstr(r.trace, "{\"expect\":\"a killed SIGUSR1\",\"line\":4,\"ok\":true}\n"),
		  "%s", r.trace);
	cr_assert(strstr(r.trace, "{\"expect\":\"a running\",\"line\":5,\"ok\":false,"
			 "\"reason\":\"actual: killed SIGUSR1\"}\n"), "%s", r.trace);
	cr_assert(strstr(r.trace, "{\"expectations\":2,\"failed\":1}\n"), "%s", r.trace);
	sim_result_free(&r);
	sc_free(s);
}

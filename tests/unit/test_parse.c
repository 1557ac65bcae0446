/* The scenario parser (src/scenario/) and the signal-name tables it relies
 * on (src/engine/arch.c): every construct of docs/scenario-language.md, and
 * malformed inputs reported as file:line:col with the right message. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "scenario/ast.h"

/* A step's statement, by step index. */
static const struct sc_stmt *step(const struct scenario *s, size_t i)
{
	cr_assert_lt(i, s->nsteps);
	return &s->steps[i].stmt;
}

/* ---- file-level --------------------------------------------------------- */

Test(parse, empty_text_is_a_valid_scenario_named_after_the_file)
{
	struct scenario *s = NULL;
	struct sc_diag d;

	cr_assert_eq(sc_parse("dir/sub/fpe-longjmp.scn", "", 0, &s, &d), 0);
	cr_assert_str_eq(s->name, "fpe-longjmp");
	cr_assert_str_eq(s->file, "dir/sub/fpe-longjmp.scn");
	cr_assert_eq(s->ntasks + s->nsteps + s->nexpects + s->nhandlers, 0);
	cr_assert_eq(s->arch, SL_ARCH_X86);
	sc_free(s);
}

Test(parse, comments_blank_lines_and_crlf_are_ignored)
{
	struct scenario *s = parse_ok("# header\r\n\r\n   \t# x\nprocess a # trailing\r\n\n");

	cr_assert_eq(s->ntasks, 1);
	cr_assert_str_eq(s->tasks[0].name, "a");
	cr_assert_eq(s->tasks[0].pos.line, 4);
	cr_assert_eq(s->tasks[0].pos.col, 9);
	sc_free(s);
}

Test(parse, trailing_nul_terminator_is_accepted)
{
	struct scenario *s = NULL;
	struct sc_diag d;

	cr_assert_eq(sc_parse("t.scn", "process a\n", 11, &s, &d), 0);
	cr_assert_eq(s->ntasks, 1);
	sc_free(s);
}

Test(parse, header_lines)
{
	struct scenario *s = parse_ok(
		"scenario kthread-sigterm\n"
		"config kill_stop_handling\n"
		"config sysv_signals\n"
		"config rlimit_sigpending=3\n"
		"config arch=mips\n"
		"requires root\n"
		"requires pidns\n"
		"model-only \"a kernel \\\"thread\\\"\\\\ oops\\n\"\n");

	cr_assert_str_eq(s->name, "kthread-sigterm");
	cr_assert_eq(s->what_if, SL_CONFIG_KILL_STOP_HANDLING | SL_CONFIG_SYSV_SIGNALS);
	cr_assert_eq(s->rlimit_sigpending, 3);
	cr_assert_eq(s->arch, SL_ARCH_MIPS);
	cr_assert(s->requires_root);
	cr_assert(s->requires_pidns);
	cr_assert_str_eq(s->model_only, "a kernel \"thread\"\\ oops\n");
	sc_free(s);
}

/* ---- declarations ------------------------------------------------------- */

Test(parse, task_declarations_and_their_options)
{
	struct scenario *s = parse_ok(
		"init systemd\n"
		"kthread ksoftirqd\n"
		"process shell uid=1000\n"
		"process child parent=shell pgrp=shell\n"
		"nsinit ns1 uid=5 parent=shell\n"
		"process inside in=ns1 parent=ns1\n"
		"thread t1 of shell\n");

	cr_assert_eq(s->ntasks, 7);
	cr_assert_eq(s->tasks[0].kind, SC_INIT);
	cr_assert_eq(s->tasks[1].kind, SC_KTHREAD);
	cr_assert_eq(s->tasks[2].kind, SC_PROCESS);
	cr_assert_eq(s->tasks[2].uid, 1000);
	cr_assert_eq(s->tasks[2].parent, -1);
	cr_assert_eq(s->tasks[2].pgrp, -1);
	cr_assert_eq(s->tasks[3].parent, 2);
	cr_assert_eq(s->tasks[3].pgrp, 2);
	cr_assert_eq(s->tasks[3].uid, 0);
	cr_assert_eq(s->tasks[4].kind, SC_NSINIT);
	cr_assert_eq(s->tasks[4].uid, 5);
	cr_assert_eq(s->tasks[4].parent, 2);
	cr_assert_eq(s->tasks[5].ns, 4);
	cr_assert_eq(s->tasks[5].parent, 4);
	cr_assert_eq(s->tasks[6].kind, SC_THREAD);
	cr_assert_eq(s->tasks[6].leader, 2);
	cr_assert_eq(s->tasks[0].leader, -1);
	cr_assert_eq(s->tasks[0].ns, -1);
	sc_free(s);
}

Test(parse, handler_bodies_on_one_line_many_lines_and_empty)
{
	struct scenario *s = parse_ok(
		"process main\n"
		"handler on_fpe { log \"inside handler\"; longjmp }\n"
		"handler h2 {\n"
		"  log \"a\"\n"
		"\n"
		"  ; siglongjmp ;\n"
		"}\n"
		"handler none { }\n"
		"handler self { sigaction SIGUSR1 self }\n");

	cr_assert_eq(s->nhandlers, 4);
	cr_assert_str_eq(s->handlers[0].name, "on_fpe");
	cr_assert_eq(s->handlers[0].nbody, 2);
	cr_assert_eq(s->handlers[0].body[0].op, SC_OP_LOG);
	cr_assert_str_eq(s->handlers[0].body[0].text, "inside handler");
	cr_assert_eq(s->handlers[0].body[0].pos.col, 18);
	cr_assert_eq(s->handlers[0].body[1].op, SC_OP_LONGJMP);
	cr_assert_eq(s->handlers[1].nbody, 2);
	cr_assert_eq(s->handlers[1].body[1].op, SC_OP_SIGLONGJMP);
	cr_assert_eq(s->handlers[1].body[1].pos.line, 6);
	cr_assert_eq(s->handlers[2].nbody, 0);
	cr_assert_eq(s->handlers[3].body[0].handler, 3);
	sc_free(s);
}

/* ---- statements --------------------------------------------------------- */

Test(parse, sigaction_and_signal)
{
	struct scenario *s = parse_ok(
		"process a\n"
		"handler h { }\n"
		"a: sigaction SIGUSR1 h flags=SA_NODEFER|SA_RESTART mask={SIGINT, 15}\n"
		"a: sigaction SIGFPE SIG_IGN mask=all flags=0\n"
		"a: sigaction 9 SIG_DFL flags=SA_SIGINFO|0x4000000|SA_ONSTACK mask=SIGINT|SIGTERM\n"
		"a: sigaction SIGCHLD h flags=SA_NOCLDSTOP|SA_NOCLDWAIT|SA_RESETHAND|SA_NOMASK|SA_ONESHOT|SA_RESTORER mask=SIGHUP\n"
		"a: signal SIGUSR2 h\n"
		"a: signal SIGRTMIN+2 SIG_IGN\n");
	const struct sc_stmt *st = step(s, 0);

	cr_assert_eq(st->op, SC_OP_SIGACTION);
	cr_assert_eq(st->sig, SL_SIGUSR1);
	cr_assert_eq(st->handler, 0);
	cr_assert_eq(st->flags, SL_SA_NODEFER | SL_SA_RESTART);
	cr_assert_eq(st->mask, sl_sigmask(SL_SIGINT) | sl_sigmask(SL_SIGTERM));
	cr_assert_eq(st->pos.line, 3);
	cr_assert_eq(st->pos.col, 4);
	st = step(s, 1);
	cr_assert_eq(st->handler, SC_HANDLER_IGN);
	cr_assert_eq(st->mask, ~(sl_sigset)0);
	cr_assert_eq(st->flags, 0);
	st = step(s, 2);
	cr_assert_eq(st->sig, 9);
	cr_assert_eq(st->handler, SC_HANDLER_DFL);
	cr_assert_eq(st->flags, SL_SA_SIGINFO | SL_SA_RESTORER | SL_SA_ONSTACK);
	cr_assert_eq(st->mask, sl_sigmask(SL_SIGINT) | sl_sigmask(SL_SIGTERM));
	st = step(s, 3);
	cr_assert_eq(st->flags, SL_SA_NOCLDSTOP | SL_SA_NOCLDWAIT | SL_SA_RESETHAND |
		     SL_SA_NODEFER | SL_SA_RESTORER);
	cr_assert_eq(st->mask, sl_sigmask(SL_SIGHUP));
	st = step(s, 4);
	cr_assert_eq(st->op, SC_OP_SIGNAL);
	cr_assert_eq(st->sig, SL_SIGUSR2);
	cr_assert_eq(st->handler, 0);
	cr_assert_eq(step(s, 5)->sig, 36);
	sc_free(s);
}

Test(parse, masks_and_pending)
{
	struct scenario *s = parse_ok(
		"process a\n"
		"a: sigprocmask block {SIGINT}\n"
		"a: sigprocmask unblock SIGINT|SIGRTMAX\n"
		"a: sigprocmask setmask {}\n"
		"a: sigprocmask SIG_BLOCK all\n"
		"a: sigprocmask SIG_UNBLOCK 1\n"
		"a: sigprocmask SIG_SETMASK SIGKILL\n"
		"a: sigprocmask 7 {}\n"
		"a: sgetmask\n"
		"a: ssetmask {SIGHUP,SIGQUIT}\n"
		"a: sigpending\n");

	cr_assert_eq(step(s, 0)->op, SC_OP_SIGPROCMASK);
	cr_assert_eq(step(s, 0)->how, SL_SIG_BLOCK);
	cr_assert_eq(step(s, 0)->mask, sl_sigmask(SL_SIGINT));
	cr_assert_eq(step(s, 1)->how, SL_SIG_UNBLOCK);
	cr_assert_eq(step(s, 1)->mask, sl_sigmask(SL_SIGINT) | sl_sigmask(64));
	cr_assert_eq(step(s, 2)->how, SL_SIG_SETMASK);
	cr_assert_eq(step(s, 2)->mask, 0);
	cr_assert_eq(step(s, 3)->how, SL_SIG_BLOCK);
	cr_assert_eq(step(s, 3)->mask, ~(sl_sigset)0);
	cr_assert_eq(step(s, 4)->how, SL_SIG_UNBLOCK);
	cr_assert_eq(step(s, 5)->how, SL_SIG_SETMASK);
	cr_assert_eq(step(s, 6)->how, 7);
	cr_assert_eq(step(s, 7)->op, SC_OP_SGETMASK);
	cr_assert_eq(step(s, 8)->op, SC_OP_SSETMASK);
	cr_assert_eq(step(s, 8)->mask, sl_sigmask(1) | sl_sigmask(3));
	cr_assert_eq(step(s, 9)->op, SC_OP_SIGPENDING);
	sc_free(s);
}

Test(parse, generation_statements_and_targets)
{
	struct scenario *s = parse_ok(
		"process a\nprocess b\nthread t of b\n"
		"a: kill b SIGTERM\n"
		"a: kill -b USR1\n"
		"a: kill 0 SIGKILL\n"
		"a: kill -1 SIGHUP\n"
		"a: kill 99 0\n"
		"a: kill nobody 65\n"
		"a: kill b -1\n"
		"a: tkill t SIGRTMAX-1\n"
		"a: tgkill b t SIGIOT\n"
		"a: sigqueue b SIGRTMIN value=7 code=SI_TIMER\n"
		"a: sigqueue b SIGRTMIN\n"
		"a: tgsigqueue b t 40 code=-60 value=-1\n"
		"a: pidfd_send b SIGCLD\n"
		"a: raise SIGPOLL\n"
		"a: pidfd_send_signal b 0\n");
	const struct sc_stmt *st = step(s, 0);

	cr_assert_eq(st->op, SC_OP_KILL);
	cr_assert_eq(st->target.kind, SC_TGT_TASK);
	cr_assert_eq(st->target.task, 1);
	cr_assert_eq(st->sig, SL_SIGTERM);
	cr_assert_eq(step(s, 1)->target.kind, SC_TGT_PGRP);
	cr_assert_eq(step(s, 1)->target.task, 1);
	cr_assert_eq(step(s, 1)->sig, SL_SIGUSR1);
	cr_assert_eq(step(s, 2)->target.kind, SC_TGT_NUM);
	cr_assert_eq(step(s, 2)->target.num, 0);
	cr_assert_eq(step(s, 3)->target.kind, SC_TGT_NUM);
	cr_assert_eq(step(s, 3)->target.num, -1);
	cr_assert_eq(step(s, 4)->target.num, 99);
	cr_assert_eq(step(s, 4)->sig, 0);
	cr_assert_eq(step(s, 5)->target.kind, SC_TGT_NOBODY);
	cr_assert_eq(step(s, 5)->sig, 65);
	cr_assert_eq(step(s, 6)->sig, -1);
	st = step(s, 7);
	cr_assert_eq(st->op, SC_OP_TKILL);
	cr_assert_eq(st->target.task, 2);
	cr_assert_eq(st->sig, 63);
	st = step(s, 8);
	cr_assert_eq(st->op, SC_OP_TGKILL);
	cr_assert_eq(st->target.task, 1);
	cr_assert_eq(st->target2.kind, SC_TGT_TASK);
	cr_assert_eq(st->target2.task, 2);
	cr_assert_eq(st->sig, SL_SIGABRT);
	st = step(s, 9);
	cr_assert_eq(st->op, SC_OP_SIGQUEUE);
	cr_assert_eq(st->sig, 34);
	cr_assert_eq(st->value, 7);
	cr_assert(st->has_code);
	cr_assert_eq(st->code, SL_SI_TIMER);
	cr_assert_not(step(s, 10)->has_code);
	st = step(s, 11);
	cr_assert_eq(st->op, SC_OP_TGSIGQUEUE);
	cr_assert_eq(st->target2.task, 2);
	cr_assert_eq(st->sig, 40);
	cr_assert_eq(st->code, -60);
	cr_assert_eq(st->value, UINT64_MAX);
	cr_assert_eq(step(s, 12)->op, SC_OP_PIDFD_SEND);
	cr_assert_eq(step(s, 12)->sig, SL_SIGCHLD);
	cr_assert_eq(step(s, 13)->op, SC_OP_RAISE);
	cr_assert_eq(step(s, 13)->sig, SL_SIGIO);
	cr_assert_eq(step(s, 14)->op, SC_OP_PIDFD_SEND);
	cr_assert_eq(step(s, 14)->sig, 0);
	sc_free(s);
}

Test(parse, user_mode_actions_exits_and_repeat)
{
	struct scenario *s = parse_ok(
		"process main\nkthread k\n"
		"main: fault SIGFPE FPE_INTDIV\n"
		"main: fault SIGSEGV 2\n"
		"main: log \"After for loop\"\n"
		"main: longjmp\n"
		"main: siglongjmp\n"
		"main: exit 3\n"
		"main: exit_group -1\n"
		"k: allow_signal SIGTERM\n"
		"main: repeat 10 { fault SIGFPE FPE_INTDIV }\n"
		"main: repeat 2 {\n"
		"  log \"x\"\n"
		"  repeat 1000000 { raise SIGUSR1; log \"y\" }\n"
		"}\n");

	cr_assert_eq(step(s, 0)->op, SC_OP_FAULT);
	cr_assert_eq(step(s, 0)->code, SL_FPE_INTDIV);
	cr_assert(step(s, 0)->has_code);
	cr_assert_eq(step(s, 1)->code, SL_SEGV_ACCERR);
	cr_assert_str_eq(step(s, 2)->text, "After for loop");
	cr_assert_eq(step(s, 3)->op, SC_OP_LONGJMP);
	cr_assert_eq(step(s, 4)->op, SC_OP_SIGLONGJMP);
	cr_assert_eq(step(s, 5)->op, SC_OP_EXIT);
	cr_assert_eq(step(s, 5)->num, 3);
	cr_assert_eq(step(s, 6)->op, SC_OP_EXIT_GROUP);
	cr_assert_eq(step(s, 6)->num, -1);
	cr_assert_eq(s->steps[7].task, 1);
	cr_assert_eq(step(s, 7)->op, SC_OP_ALLOW_SIGNAL);
	cr_assert_eq(step(s, 8)->op, SC_OP_REPEAT);
	cr_assert_eq(step(s, 8)->num, 10);
	cr_assert_eq(step(s, 8)->nbody, 1);
	cr_assert_eq(step(s, 8)->body[0].op, SC_OP_FAULT);
	cr_assert_eq(step(s, 9)->nbody, 2);
	cr_assert_eq(step(s, 9)->body[1].num, 1000000);
	cr_assert_eq(step(s, 9)->body[1].nbody, 2);
	cr_assert_str_eq(step(s, 9)->body[1].body[1].text, "y");
	cr_assert_eq(s->nsteps, 10);
	sc_free(s);
}

Test(parse, par_blocks_are_numbered)
{
	struct scenario *s = parse_ok(
		"process a\nprocess b\n"
		"a: kill b SIGUSR1\n"
		"par {\n"
		"  a: kill b SIGUSR1\n"
		"\n"
		"  b: kill a SIGUSR2\n"
		"}\n"
		"b: sgetmask\n"
		"par { a: raise SIGINT\n"
		"  b: repeat 2 {\n"
		"    log \"x\"\n"
		"  } }\n");

	cr_assert_eq(s->nsteps, 6);
	cr_assert_eq(s->steps[0].par, 0);
	cr_assert_eq(s->steps[1].par, 1);
	cr_assert_eq(s->steps[2].par, 1);
	cr_assert_eq(s->steps[2].task, 1);
	cr_assert_eq(s->steps[3].par, 0);
	cr_assert_eq(s->steps[4].par, 2);
	cr_assert_eq(s->steps[5].par, 2);
	cr_assert_eq(s->steps[5].stmt.nbody, 1);
	sc_free(s);
}

/* ---- expectations ------------------------------------------------------- */

Test(parse, every_expectation)
{
	struct scenario *s = parse_ok(
		"process a\nkthread k\n"
		"expect a running\n"
		"expect a sleeping\n"
		"expect a stopped\n"
		"expect a zombie\n"
		"expect  a   dead   # comment\n"
		"expect a exited 3\n"
		"expect a killed SIGUSR1\n"
		"expect a dumped SIGSEGV\n"
		"expect k oops\n"
		"expect a handled SIGFPE 10\n"
		"expect a syscall kill = -EINVAL\n"
		"expect a syscall pidfd_send_signal = ESRCH\n"
		"expect a syscall sigqueue = 0\n"
		"expect a syscall sgetmask = -22\n"
		"expect a blocked {SIGINT,SIGTERM}\n"
		"expect a pending {}\n"
		"expect generate SIGTERM -> k ignored\n"
		"expect generate 10 -> a 4\n"
		"expect deliver SIGUSR1 -> a\n"
		"expect trace \"signal_generate sig=10\"\n"
		"expect no trace \"oops\"\n");
	const struct sc_expect *e = s->expects;

	cr_assert_eq(s->nexpects, 21);
	cr_assert_eq(e[0].kind, SC_EXP_STATE);
	cr_assert_eq(e[0].state, SL_TASK_RUNNING);
	cr_assert_eq(e[0].task, 0);
	cr_assert_eq(e[0].pos.line, 3);
	cr_assert_eq(e[0].pos.col, 1);
	cr_assert_str_eq(e[0].source, "a running");
	cr_assert_eq(e[1].state, SL_TASK_SLEEPING);
	cr_assert_eq(e[2].state, SL_TASK_STOPPED);
	cr_assert_eq(e[3].state, SL_TASK_ZOMBIE);
	cr_assert_eq(e[4].state, SL_TASK_DEAD);
	cr_assert_str_eq(e[4].source, "a   dead");
	cr_assert_eq(e[5].kind, SC_EXP_EXITED);
	cr_assert_eq(e[5].num, 3);
	cr_assert_eq(e[6].kind, SC_EXP_KILLED);
	cr_assert_eq(e[6].sig, SL_SIGUSR1);
	cr_assert_eq(e[7].kind, SC_EXP_DUMPED);
	cr_assert_eq(e[7].sig, SL_SIGSEGV);
	cr_assert_eq(e[8].kind, SC_EXP_OOPS);
	cr_assert_eq(e[8].task, 1);
	cr_assert_eq(e[9].kind, SC_EXP_HANDLED);
	cr_assert_eq(e[9].sig, SL_SIGFPE);
	cr_assert_eq(e[9].num, 10);
	cr_assert_eq(e[10].kind, SC_EXP_SYSCALL);
	cr_assert_eq(e[10].syscall, SC_OP_KILL);
	cr_assert_eq(e[10].num, -SL_EINVAL);
	cr_assert_str_eq(e[10].source, "a syscall kill = -EINVAL");
	cr_assert_eq(e[11].syscall, SC_OP_PIDFD_SEND);
	cr_assert_eq(e[11].num, -SL_ESRCH);
	cr_assert_eq(e[12].syscall, SC_OP_SIGQUEUE);
	cr_assert_eq(e[12].num, 0);
	cr_assert_eq(e[13].syscall, SC_OP_SGETMASK);
	cr_assert_eq(e[13].num, -22);
	cr_assert_eq(e[14].kind, SC_EXP_BLOCKED);
	cr_assert_eq(e[14].set, sl_sigmask(SL_SIGINT) | sl_sigmask(SL_SIGTERM));
	cr_assert_eq(e[15].kind, SC_EXP_PENDING);
	cr_assert_eq(e[15].set, 0);
	cr_assert_eq(e[16].kind, SC_EXP_GENERATE);
	cr_assert_eq(e[16].sig, SL_SIGTERM);
	cr_assert_eq(e[16].task, 1);
	cr_assert_eq(e[16].result, SL_TRACE_IGNORED);
	cr_assert_str_eq(e[16].source, "generate SIGTERM -> k ignored");
	cr_assert_eq(e[17].result, SL_TRACE_LOSE_INFO);
	cr_assert_eq(e[18].kind, SC_EXP_DELIVER);
	cr_assert_eq(e[18].task, 0);
	cr_assert_eq(e[19].kind, SC_EXP_TRACE);
	cr_assert_str_eq(e[19].text, "signal_generate sig=10");
	cr_assert_eq(e[20].kind, SC_EXP_NO_TRACE);
	cr_assert_str_eq(e[20].text, "oops");
	cr_assert_str_eq(e[20].source, "no trace \"oops\"");
	sc_free(s);
}

Test(parse, product_brief_examples)
{
	struct scenario *s = parse_ok(
		"# seed 000: what happens if a kernel thread receives a terminating signal?\n"
		"scenario kthread-sigterm\n"
		"kthread ksoftirqd\n"
		"process shell\n"
		"\n"
		"shell: kill ksoftirqd SIGTERM       # = 0, and the signal is dropped\n"
		"shell: kill ksoftirqd SIGKILL       # = 0, dropped too\n"
		"\n"
		"expect ksoftirqd running\n"
		"expect generate SIGTERM -> ksoftirqd ignored\n");

	cr_assert_eq(s->nsteps, 2);
	cr_assert_eq(s->nexpects, 2);
	sc_free(s);
	s = parse_ok(
		"scenario sysv-reset\n"
		"process a\nprocess b\n"
		"handler h { log \"caught\" }\n"
		"a: signal SIGUSR1 h                 # raw syscall: SA_ONESHOT|SA_NOMASK\n"
		"b: kill a SIGUSR1\n"
		"b: kill a SIGUSR1\n"
		"expect a killed SIGUSR1\n");
	cr_assert_eq(s->nsteps, 3);
	sc_free(s);
}

/* ---- errors ------------------------------------------------------------- */

Test(parse_errors, lexical)
{
	ASSERT_ERR("process a\na: log \"abc", "2:8: unterminated string");
	ASSERT_ERR("process a\na: log \"x\\q\"", "2:10: unknown escape '\\q' in string");
	ASSERT_ERR("process a\na: exit 12ab", "2:9: bad number '12ab'");
	ASSERT_ERR("process a\na: exit 0x", "2:9: bad number '0x'");
	ASSERT_ERR("process a\na: exit 99999999999999999999",
		   "2:9: number '99999999999999999999' out of range");
	ASSERT_ERR("process a\na: exit 9999999999",
		   "2:9: exit code '9999999999' out of range (-2147483648..2147483647)");
	ASSERT_ERR("process a @", "1:11: unexpected character '@'");
	ASSERT_ERR("process a\x01", "1:10: control character 0x01 in the text");
	ASSERT_ERR("process a\rb", "1:10: carriage return not followed by a newline");
	ASSERT_ERR("process \xc3\xa9", "1:9: unexpected byte 0xc3 outside a string or comment");
	ASSERT_ERR("# caf\xc3\n", "1:6: invalid utf-8 byte 0xc3");
	ASSERT_ERR("# \xed\xa0\x80 surrogate\n", "1:3: invalid utf-8 byte 0xed");
	ASSERT_ERR("# \xc0\xaf overlong\n", "1:3: invalid utf-8 byte 0xc0");
	cr_assert_str_eq(parse_err_len("process a\n\0process b\n", 21), "2:1: nul byte in the text");
}

Test(parse_errors, utf8_in_strings_and_comments_is_fine)
{
	struct scenario *s = parse_ok("# caf\xc3\xa9 \xf0\x9f\x98\x80\nprocess a\na: log \"\xe2\x82\xac\"\n");

	cr_assert_str_eq(step(s, 0)->text, "\xe2\x82\xac");
	sc_free(s);
}

Test(parse_errors, limits)
{
	char *line = malloc(5000);
	char name[80];

	memset(line, 'x', 4999);
	line[0] = '#';
	line[4999] = '\0';
	cr_assert_str_eq(parse_err(line), "1:4097: line too long (max 4096 bytes)");
	free(line);
	memset(name, 'a', sizeof name);
	memcpy(name, "process ", 8);
	name[79] = '\0';
	cr_assert_str_eq(parse_err(name), "1:9: name too long (max 64 characters)");
	ASSERT_ERR("process abcdefghijklmnop",
		   "1:9: task name 'abcdefghijklmnop' is too long (max 15 characters)");
	ASSERT_ERR("process a\na: repeat 0 { }", "2:11: repeat count '0' out of range (1..1000000)");
	ASSERT_ERR("process a\na: repeat 1000001 { }",
		   "2:11: repeat count '1000001' out of range (1..1000000)");
}

Test(parse_errors, nesting_depth_is_capped)
{
	char text[2048] = "process a\na: ";
	size_t n = strlen(text);

	for (int i = 0; i < 33; i++)
		n += (size_t)sprintf(text + n, "repeat 2 { ");
	cr_assert_str_eq(parse_err(text), "2:365: blocks nested too deeply (max 32)");
}

Test(parse_errors, names)
{
	ASSERT_ERR("process a\nprocess a", "2:9: duplicate name 'a' (first declared at 1:9)");
	ASSERT_ERR("handler a { }\nprocess a", "2:9: duplicate name 'a' (first declared at 1:9)");
	ASSERT_ERR("process kill", "1:9: 'kill' is a statement and cannot be a name");
	ASSERT_ERR("process nobody", "1:9: 'nobody' is a reserved word and cannot be a name");
	ASSERT_ERR("handler SIG_IGN { }", "1:9: 'SIG_IGN' is a reserved word and cannot be a name");
	ASSERT_ERR("process USR1", "1:9: 'USR1' is a signal name and cannot be a name");
	ASSERT_ERR("process a\na: kill x SIGTERM", "2:9: undeclared task 'x'");
	ASSERT_ERR("x: kill x SIGTERM", "1:1: undeclared task 'x'");
	ASSERT_ERR("process a\na: signal SIGINT h", "2:18: undeclared handler 'h'");
	ASSERT_ERR("process a\na: signal SIGINT a", "2:18: 'a' is a task, not a handler");
	ASSERT_ERR("process a\nhandler h { }\na: kill h 9", "3:9: 'h' is a handler, not a task");
	ASSERT_ERR("process a\nthread t of t2", "2:13: undeclared task 't2'");
	ASSERT_ERR("kthread k\nthread t of k", "2:13: thread's 'of' 'k' is not a process");
	ASSERT_ERR("process p\nthread t of p\nthread u of t", "3:13: thread's 'of' 't' is not a process");
	ASSERT_ERR("process p\nprocess q in=p", "2:14: in 'p' is not an nsinit");
	ASSERT_ERR("init a\ninit b", "2:1: only one init (first declared at 1:6)");
	ASSERT_ERR("process a\nexpect b running", "2:8: undeclared task 'b'");
	ASSERT_ERR("process a\na: kill -nobody 9",
		   "2:10: '-nobody' is not a process group; use a number");
}

Test(parse_errors, syntax)
{
	ASSERT_ERR("process a\na: frobnicate", "2:4: unknown statement 'frobnicate'");
	ASSERT_ERR("kill a SIGTERM", "1:1: a 'kill' statement needs a task: write 'TASK: kill ...'");
	ASSERT_ERR("process a\nfoo bar", "2:1: unknown declaration 'foo' (a step is written 'TASK: STATEMENT')");
	ASSERT_ERR("process a\na: kill a SIGFOO", "2:11: unknown signal 'SIGFOO'");
	ASSERT_ERR("process a\na: kil a SIGTERM", "2:4: unknown statement 'kil' (did you mean 'kill'?)");
	ASSERT_ERR("process a\na: sigation SIGUSR1 SIG_IGN",
		   "2:4: unknown statement 'sigation' (did you mean 'sigaction'?)");
	ASSERT_ERR("process a\na: kill a SIGTREM", "2:11: unknown signal 'SIGTREM' (did you mean SIGTERM?)");
	ASSERT_ERR("process a\na: kill a SIGUSR3", "2:11: unknown signal 'SIGUSR3' (did you mean SIGUSR1?)");
	ASSERT_ERR("process a\nhandler h { log \"x\"\n\na: sigaction SIGUSR1 h\n",
		   "4:1: expected '}' to close the handler body opened at 2:11 (found 'a', which "
		   "begins a step or a declaration)");
	ASSERT_ERR("process a\nhandler h { log \"x\"\nexpect a running\n",
		   "3:1: expected '}' to close the handler body opened at 2:11 (found 'expect', "
		   "which begins a step or a declaration)");
	ASSERT_ERR("process a\na: kill a SIGRTMIN+31", "2:11: unknown signal 'SIGRTMIN+31'");
	ASSERT_ERR("process a\na: kill a", "2:10: expected a signal, found end of file");
	ASSERT_ERR("process a\na: kill a SIGINT SIGTERM\n",
		   "2:18: expected end of line, found 'SIGTERM'");
	ASSERT_ERR("process a\na: sigaction SIGINT SIG_DFL flags=SA_FOO",
		   "2:35: unknown flag 'SA_FOO'");
	ASSERT_ERR("process a\na: sigaction SIGINT SIG_DFL bogus=1",
		   "2:29: unknown option 'bogus' for sigaction (expected flags=, mask= or old)");
	ASSERT_ERR("process a\na: sigaction SIGINT SIG_DFL flags=0 flags=0",
		   "2:37: duplicate option 'flags'");
	ASSERT_ERR("process a\na: sigqueue a SIGINT mask={}",
		   "2:22: unknown option 'mask' for sigqueue (expected value=, code=, pid= or uid=)");
	ASSERT_ERR("process a\na: sigqueue a SIGINT code=SI_FOO", "2:27: unknown si_code 'SI_FOO'");
	ASSERT_ERR("process a\na: fault SIGFPE", "2:16: expected an si_code (SI_..., FPE_..., ...) or a number, found end of file");
	ASSERT_ERR("process a\na: sigprocmask sideways {}",
		   "2:16: unknown sigprocmask how 'sideways' (expected block, unblock or setmask)");
	ASSERT_ERR("process a\na: sigprocmask block {SIGINT SIGTERM}",
		   "2:30: expected ',' or '}' in the signal set, found 'SIGTERM'");
	ASSERT_ERR("process a\na: sigprocmask block {65}", "2:23: signal 65 cannot be in a set (1..64)");
	ASSERT_ERR("process a\na: sigprocmask block 0", "2:22: signal 0 cannot be in a set (1..64)");
	ASSERT_ERR("process a\na: log hello", "2:8: expected a string, found 'hello'");
	ASSERT_ERR("process a\na: log \"x\"; log \"y\"", "2:11: expected end of line, found ';'");
	ASSERT_ERR("config frob", "1:8: unknown config setting 'frob' (expected kill_stop_handling, sysv_signals, rlimit_sigpending=N or arch=NAME)");
	ASSERT_ERR("config arch=vax", "1:13: unknown architecture 'vax' (expected x86, arm, alpha, sparc, mips or parisc)");
	ASSERT_ERR("config rlimit_sigpending 3", "1:26: expected '=', found '3'");
	ASSERT_ERR("requires magic", "1:10: expected root or pidns, found 'magic'");
	ASSERT_ERR("model-only why", "1:12: expected a reason in quotes, found 'why'");
	ASSERT_ERR("scenario a\nscenario b", "2:1: duplicate 'scenario' line");
	ASSERT_ERR("process a uid=-1", "1:15: uid '-1' out of range (0..4294967294)");
	ASSERT_ERR("process a color=red",
		   "1:11: unknown option 'color' for process (expected uid=, parent=, pgrp= or in=)");
	ASSERT_ERR("kthread k uid=1", "1:11: unknown option 'uid' for this declaration");
	ASSERT_ERR("process a uid=1 uid=2", "1:17: duplicate option 'uid'");
	ASSERT_ERR("thread t", "1:9: expected 'of PROCESS' after the thread's name, found end of file");
	ASSERT_ERR("{", "1:1: expected a declaration, a step or an expectation, found '{'");
	ASSERT_ERR("process a\na: sigprocmask block {} bad=oact",
		   "2:29: 'oact' is not a pointer argument of sigprocmask");
	ASSERT_ERR("process a\na: sigprocmask block NULL bad=set",
		   "2:34: bad= names the pointer this sigprocmask passes as NULL");
	ASSERT_ERR("process a\na: sigpending sigsetsize=8 sigsetsize=8",
		   "2:28: duplicate option 'sigsetsize'");
	ASSERT_ERR("process a\na: kill a SIGINT bad=info",
		   "2:18: expected end of line, found 'bad'");
}

Test(parse_errors, blocks)
{
	ASSERT_ERR("process a\nhandler h {\n  log \"x\"\n", "4:1: expected '}' to close the handler body opened at 2:11");
	ASSERT_ERR("process a\na: repeat 3 { log \"x\"", "2:22: expected '}' to close the repeat body opened at 2:13");
	ASSERT_ERR("process a\npar {\na: sgetmask\n", "4:1: expected '}' to close the par block opened at 2:5");
	ASSERT_ERR("process a\npar {\n}\n", "3:1: empty par block");
	ASSERT_ERR("process a\npar {\npar {\n", "3:1: par blocks cannot nest");
	ASSERT_ERR("process a\npar { a: sgetmask a: sgetmask }",
		   "2:19: expected end of line or '}' after the step, found 'a'");
	ASSERT_ERR("handler h log \"x\"", "1:11: expected '{' to open the handler body, found 'log'");
	ASSERT_ERR("process a\nhandler h { log \"x\" log \"y\" }",
		   "2:21: expected ';', end of line or '}' after the statement, found 'log'");
	ASSERT_ERR("process a\nhandler h { kill }", "2:18: expected a target (a task, -TASK, a number or nobody), found '}'");
}

Test(parse, expectations_of_pids_sets_order_and_siginfo)
{
	struct scenario *s = parse_ok(
		"process a\nprocess kid forked\n"
		"a: fork kid\n"
		"a: sigqueue a SIGUSR1 code=SI_QUEUE pid=kid uid=7\n"
		"a: waitid P_ALL WSTOPPED\n"
		"expect a syscall fork = kid\n"
		"expect a syscall sigpending = {SIGUSR1, SIGTERM}\n"
		"expect a syscall sigtimedwait = SIGUSR2\n"
		"expect a handled order SIGUSR2, SIGUSR1\n"
		"expect a siginfo SIGUSR1 code=SI_QUEUE pid=kid uid=7 value=3\n");
	const struct sc_expect *e = s->expects;

	cr_assert(step(s, 1)->has_spid && step(s, 1)->spid.task == 1);
	cr_assert(step(s, 1)->has_suid && step(s, 1)->suid == 7);
	cr_assert(step(s, 2)->wstopped);
	sc_free(s);
	s = parse_ok("process a\na: sigtimedwait {SIGUSR1} {0, 1000000000}\n"
		     "a: nanosleep {1, 5}\n");
	cr_assert(step(s, 0)->has_ts && step(s, 0)->ts_nsec == 1000000000);
	cr_assert(step(s, 1)->has_ts && step(s, 1)->dur == 1000000005);
	sc_free(s);
	s = parse_ok("process a\nhandler h { }\na: sigaction SIGUSR1 NULL old\n"
		     "a: sigaction SIGUSR1 h flags=SA_RESTART old\n"
		     "a: sigprocmask 7 NULL\na: sigprocmask block {SIGINT} old\n"
		     "a: sigaltstack 8192 0x1234\n");
	cr_assert(step(s, 0)->null_set && step(s, 0)->want_old);
	cr_assert(!step(s, 1)->null_set && step(s, 1)->want_old);
	cr_assert_eq(step(s, 1)->flags, SL_SA_RESTART);
	cr_assert(step(s, 2)->null_set && !step(s, 2)->want_old);
	cr_assert(!step(s, 3)->null_set && step(s, 3)->want_old);
	cr_assert_eq(step(s, 4)->flags, 0x1234);
	sc_free(s);
	s = parse_ok("process a\na: signalfd {SIGUSR1} SFD_NONBLOCK|SFD_CLOEXEC\n"
		     "a: read signalfd 384\na: read signalfd\n");
	cr_assert_eq(step(s, 0)->flags, SL_SFD_NONBLOCK | SL_SFD_CLOEXEC);
	cr_assert(step(s, 1)->has_count && step(s, 1)->num == 384);
	cr_assert(!step(s, 2)->has_count);
	sc_free(s);
	s = parse_ok("process a\na: waitid P_ALL WEXITED prefilled\n");
	cr_assert(step(s, 0)->prefill);
	sc_free(s);
	s = parse_ok("process a\nhandler h { frame_mask {SIGUSR2} }\n");
	cr_assert_eq(s->handlers[0].body[0].op, SC_OP_FRAME_MASK);
	cr_assert_eq(s->handlers[0].body[0].mask, sl_sigmask(SL_SIGUSR2));
	sc_free(s);
	s = parse_ok("process a\na: prctl PR_GET_PDEATHSIG\na: prctl PR_GET_CHILD_SUBREAPER\n");
	cr_assert_eq(step(s, 0)->how, SL_PR_GET_PDEATHSIG);
	cr_assert_eq(step(s, 1)->how, SL_PR_GET_CHILD_SUBREAPER);
	sc_free(s);
	s = parse_ok(
		"process a\nprocess kid forked\n"
		"a: fork kid\n"
		"a: sigqueue a SIGUSR1 code=SI_QUEUE pid=kid uid=7\n"
		"a: waitid P_ALL WSTOPPED\n"
		"expect a syscall fork = kid\n"
		"expect a syscall sigpending = {SIGUSR1, SIGTERM}\n"
		"expect a syscall sigtimedwait = SIGUSR2\n"
		"expect a handled order SIGUSR2, SIGUSR1\n"
		"expect a siginfo SIGUSR1 code=SI_QUEUE pid=kid uid=7 value=3\n");
	e = s->expects;
	cr_assert_eq(e[0].result_task, 1);
	cr_assert_eq(e[1].result_task, -1);
	cr_assert_eq(e[1].num, (long)((1ul << 9) | (1ul << 14)));
	cr_assert_eq(e[2].num, 12);
	cr_assert_eq(e[3].kind, SC_EXP_ORDER);
	cr_assert_eq(e[3].norder, 2);
	cr_assert_eq(e[3].order[0], 12);
	cr_assert_eq(e[3].order[1], 10);
	cr_assert_eq(e[4].kind, SC_EXP_SIGINFO);
	cr_assert_eq(e[4].si_fields, SC_SI_CODE | SC_SI_PID | SC_SI_UID | SC_SI_VALUE);
	cr_assert_eq(e[4].si_pid_task, 1);
	cr_assert_eq(e[4].si.uid, 7);
	cr_assert_eq(e[4].si.value, 3);
	sc_free(s);
}

Test(parse_errors, expectations)
{
	ASSERT_ERR("process a\nexpect a flying", "2:10: unknown expectation 'flying' (expected a state, exited, killed, dumped, oops, handled, syscall, siginfo, blocked or pending)");
	ASSERT_ERR("process a\nexpect a syscall fault = 0", "2:18: 'fault' is not a syscall with a result");
	ASSERT_ERR("process a\nexpect a syscall kill = EWHAT", "2:25: unknown result 'EWHAT' (expected a number, an errno, a signal, a set or a task)");
	ASSERT_ERR("process a\nexpect a syscall kill = -EWHAT", "2:26: unknown errno 'EWHAT'");
	ASSERT_ERR("process a\nexpect a handled order SIGUSR1,", "2:32: expected a signal, found end of file");
	ASSERT_ERR("process a\nexpect a siginfo SIGUSR1", "2:25: expected a siginfo field (code= pid= uid= status= value= overrun= timerid= errno=), found end of file");
	ASSERT_ERR("process a\nexpect a siginfo SIGUSR1 sex=1", "2:26: unknown siginfo field 'sex' (expected code, pid, uid, status, value, overrun, timerid or errno)");
	ASSERT_ERR("process a\nexpect a siginfo SIGUSR1 uid=1 uid=2", "2:32: duplicate field 'uid'");
	ASSERT_ERR("process a\na: sigqueue a SIGUSR1 pid=zz", "2:27: undeclared task 'zz'");
	ASSERT_ERR("process a\na: signalfd {} SFD_FOO", "2:16: unknown signalfd flag 'SFD_FOO' (expected SFD_NONBLOCK or SFD_CLOEXEC)");
	ASSERT_ERR("process a\na: read signalfd 5000", "2:18: read count '5000' out of range (0..4096)");
	ASSERT_ERR("process a\na: close p", "2:11: expected 'read' or 'write' (the end of the pipe), found end of file");
	ASSERT_ERR("process a\na: close p both", "2:12: expected 'read' or 'write' (the end of the pipe), found 'both'");
	ASSERT_ERR("process a\na: fcntl p read F_DUPFD", "2:17: unknown fcntl command 'F_DUPFD' (expected F_SETOWN, F_SETOWN_EX, F_SETSIG, F_GETSIG, F_SETFL or F_GETFL)");
	ASSERT_ERR("process a\na: fcntl p read F_SETOWN_EX F_OWNER_X a", "2:29: expected F_OWNER_TID, F_OWNER_PID or F_OWNER_PGRP, found 'F_OWNER_X'");
	ASSERT_ERR("process a\na: fcntl p read F_SETFL O_SYNC", "2:25: expected O_ASYNC, O_NONBLOCK or a number, found 'O_SYNC'");
	ASSERT_ERR("process a\na: nanosleep {0 1}", "2:17: expected ',', found '1'");
	ASSERT_ERR("process a\na: nanosleep {90000, 0}", "2:23: timespec too long (max 86400s)");
	ASSERT_ERR("process a\nexpect a syscall kill 0", "2:23: expected '=', found '0'");
	ASSERT_ERR("process a\nexpect generate SIGINT a delivered", "2:24: expected '->', found 'a'");
	ASSERT_ERR("process a\nexpect generate SIGINT -> a fine",
		   "2:29: expected delivered, ignored, already_pending, overflow_fail or lose_info, found 'fine'");
	ASSERT_ERR("process a\nexpect generate SIGINT -> a 5", "2:29: result '5' out of range (0..4)");
	ASSERT_ERR("expect no \"x\"", "1:11: expected 'trace' after 'no', found a string");
	ASSERT_ERR("expect trace x", "1:14: expected a string, found 'x'");
	ASSERT_ERR("process a\nexpect a handled SIGINT -1", "2:25: count '-1' out of range (0..2147483647)");
}

Test(parse_errors, first_error_wins_and_diag_may_be_null)
{
	struct scenario *s = (struct scenario *)1;

	cr_assert_str_eq(parse_err("process a\na: kill q 9\nb: kill r 9\n"), "2:9: undeclared task 'q'");
	cr_assert_eq(sc_parse("t.scn", "bogus", 5, &s, NULL), -1);
	cr_assert_null(s);
}

/* ---- names and numbers (src/engine/arch.c) ------------------------------ */

Test(arch, signal_names_round_trip)
{
	for (int sig = 1; sig <= 64; sig++) {
		const char *name = sl_signal_name(sig);

		cr_assert_eq(sl_signal_from_name(name), sig, "%s", name);
	}
	cr_assert_str_eq(sl_signal_name(34), "SIGRTMIN");
	cr_assert_str_eq(sl_signal_name(36), "SIGRTMIN+2");
	cr_assert_str_eq(sl_signal_name(49), "SIGRTMIN+15");
	cr_assert_str_eq(sl_signal_name(50), "SIGRTMAX-14");
	cr_assert_str_eq(sl_signal_name(64), "SIGRTMAX");
	cr_assert_str_eq(sl_signal_name(32), "SIG32");
	cr_assert_str_eq(sl_signal_name(33), "SIG33");
	cr_assert_str_eq(sl_signal_name(0), "SIG?");
	cr_assert_str_eq(sl_signal_name(65), "SIG?");
	cr_assert_str_eq(sl_signal_name(-1), "SIG?");
}

/* Numbers are the kernel's, names glibc's: the kernel's SIGRTMIN (32) and
 * 33 are SIG32 and SIG33, and "SIGRTMIN" is glibc's 34. */
Test(arch, rtmin_numbers_are_the_kernels_names_glibcs)
{
	cr_assert_str_eq(sl_signal_name(SL_SIGRTMIN), "SIG32");
	cr_assert_eq(sl_signal_from_name("SIG32"), SL_SIGRTMIN);
	cr_assert_eq(sl_signal_from_name("32"), SL_SIGRTMIN);
	cr_assert_eq(sl_signal_from_name("SIG33"), SL_SIGRTMIN + 1);
	cr_assert_eq(sl_signal_from_name("33"), SL_SIGRTMIN + 1);
	cr_assert_str_eq(sl_signal_name(SL_SIGRTMIN_GLIBC), "SIGRTMIN");
	cr_assert_eq(sl_signal_from_name("SIGRTMIN"), SL_SIGRTMIN_GLIBC);
	cr_assert_eq(sl_signal_from_name("RTMIN"), SL_SIGRTMIN_GLIBC);
	cr_assert_eq(sl_signal_from_name("SIGRTMIN+30"), SL_SIGRTMAX);
	cr_assert_eq(sl_signal_from_name("SIGRTMAX-30"), SL_SIGRTMIN_GLIBC);
	cr_assert_eq(sl_signal_from_name("SIGRTMIN-1"), 0);
	cr_assert_eq(sl_signal_from_name("SIGRTMAX-31"), 0);
	cr_assert_eq(sl_signal_from_name("SIG34"), 0);
	cr_assert_eq(sl_signal_from_name("SIG31"), 0);
}

Test(arch, signal_from_name_forms)
{
	cr_assert_eq(sl_signal_from_name("SIGUSR1"), 10);
	cr_assert_eq(sl_signal_from_name("USR1"), 10);
	cr_assert_eq(sl_signal_from_name("10"), 10);
	cr_assert_eq(sl_signal_from_name("SIGRTMIN"), 34);
	cr_assert_eq(sl_signal_from_name("RTMIN+3"), 37);
	cr_assert_eq(sl_signal_from_name("SIGRTMAX-30"), 34);
	cr_assert_eq(sl_signal_from_name("SIGRTMAX-31"), 0);
	cr_assert_eq(sl_signal_from_name("SIGRTMIN+31"), 0);
	cr_assert_eq(sl_signal_from_name("SIGRTMIN-1"), 0);
	cr_assert_eq(sl_signal_from_name("SIGRTMIN+"), 0);
	cr_assert_eq(sl_signal_from_name("SIGIOT"), 6);
	cr_assert_eq(sl_signal_from_name("SIGPOLL"), 29);
	cr_assert_eq(sl_signal_from_name("SIGCLD"), 17);
	cr_assert_eq(sl_signal_from_name("SIG"), 0);
	cr_assert_eq(sl_signal_from_name("SIGFOO"), 0);
	cr_assert_eq(sl_signal_from_name("65"), 0);
	cr_assert_eq(sl_signal_from_name(""), 0);
	cr_assert_eq(sl_signal_from_name(NULL), 0);
}

Test(arch, per_architecture_numbers_follow_signal7)
{
	cr_assert_eq(sl_arch_signal_number(SL_ARCH_X86, SL_SIGUSR1), 10);
	cr_assert_eq(sl_arch_signal_number(SL_ARCH_ALPHA, SL_SIGUSR1), 30);
	cr_assert_eq(sl_arch_signal_number(SL_ARCH_SPARC, SL_SIGUSR1), 30);
	cr_assert_eq(sl_arch_signal_number(SL_ARCH_MIPS, SL_SIGUSR1), 16);
	cr_assert_eq(sl_arch_signal_number(SL_ARCH_PARISC, SL_SIGUSR1), 16);
	cr_assert_eq(sl_arch_signal_number(SL_ARCH_MIPS, SL_SIGSTKFLT), 0);
	cr_assert_eq(sl_arch_signal_number(SL_ARCH_PARISC, SL_SIGSTKFLT), 7);
	cr_assert_eq(sl_arch_signal_number(SL_ARCH_PARISC, SL_SIGXCPU), 12);
	cr_assert_eq(sl_arch_signal_number(SL_ARCH_ARM, 40), 40);
	cr_assert_eq(sl_arch_signal_number(SL_ARCH_ARM, 0), 0);
	cr_assert_eq(sl_arch_from_name("parisc"), SL_ARCH_PARISC);
	cr_assert_eq(sl_arch_from_name("vax"), -1);
	cr_assert_str_eq(sl_arch_name(SL_ARCH_SPARC), "sparc");
	cr_assert_eq(sl_signal_describe(SL_SIGCHLD)->action, SL_ACT_IGN);
	cr_assert_null(sl_signal_describe(34));
	cr_assert_str_eq(sl_default_action_name(SL_ACT_CORE), "Core");
}

Test(arch, errno_names)
{
	cr_assert_str_eq(sl_errno_name(SL_EINVAL), "EINVAL");
	cr_assert_str_eq(sl_errno_name(-SL_EAGAIN), "EAGAIN");
	cr_assert_str_eq(sl_errno_name(SL_ERESTART_RESTARTBLOCK), "ERESTART_RESTARTBLOCK");
	cr_assert_null(sl_errno_name(0));
	cr_assert_null(sl_errno_name(515));
	cr_assert_null(sl_errno_name(-2147483647 - 1));
	cr_assert_eq(sl_errno_from_name("ESRCH"), SL_ESRCH);
	cr_assert_eq(sl_errno_from_name("ERESTARTSYS"), SL_ERESTARTSYS);
	cr_assert_eq(sl_errno_from_name("EFOO"), 0);
}

Test(parse, op_names)
{
	cr_assert_str_eq(sc_op_name(SC_OP_PIDFD_SEND), "pidfd_send_signal");
	cr_assert_str_eq(sc_op_name(SC_OP_SIGACTION), "sigaction");
	cr_assert_str_eq(sc_op_name(SC_OP_COUNT), "?");
	for (int op = 0; op < SC_OP_COUNT; op++)
		cr_assert_not_null(sc_op_name((enum sc_op)op));
}

/* ---- wait queues ------------------------------------------------ */

Test(parse, wait_event_and_wake_up_name_queues_where_first_used)
{
	struct scenario *s = parse_ok("process r\n"
				      "r: wait_event disk uninterruptible\n"
				      "r: wait_event nfs killable\n"
				      "r: wait_event disk interruptible\n"
				      "wake_up nfs\n"
				      "expect r syscall wait_event = -EINTR\n");

	cr_assert_eq(s->nwaitqs, 2);
	cr_assert_str_eq(s->waitqs[0], "disk");
	cr_assert_str_eq(s->waitqs[1], "nfs");
	cr_assert_eq(step(s, 0)->op, SC_OP_WAIT_EVENT);
	cr_assert_eq(step(s, 0)->waitq, 0);
	cr_assert_eq(step(s, 0)->sleep, SL_SLEEP_UNINTERRUPTIBLE);
	cr_assert_eq(step(s, 1)->sleep, SL_SLEEP_KILLABLE);
	cr_assert_eq(step(s, 2)->waitq, 0);
	cr_assert_eq(step(s, 2)->sleep, SL_SLEEP_INTERRUPTIBLE);
	cr_assert_eq(step(s, 3)->op, SC_OP_WAKE_UP);
	cr_assert_eq(step(s, 3)->waitq, 1);
	cr_assert_eq(s->steps[3].task, -1, "wake_up is a step without a task");
	cr_assert_eq(s->expects[0].syscall, SC_OP_WAIT_EVENT);
	sc_free(s);
}

Test(parse, wait_event_errors)
{
	ASSERT_ERR("process r\nr: wait_event disk\n",
		   "2:19: expected interruptible, killable or uninterruptible, found end of line");
	ASSERT_ERR("process r\nr: wait_event disk sleepy\n",
		   "2:20: expected interruptible, killable or uninterruptible, found 'sleepy'");
	ASSERT_ERR("process r\nr: wake_up disk\n",
		   "2:12: 'wake_up' is a step without a task: write it on its own line, "
		   "without 'TASK:'");
	ASSERT_ERR("process r\nr: advance 1s\n",
		   "2:12: 'advance' is a step without a task: write it on its own line, "
		   "without 'TASK:'");
	ASSERT_ERR("process r\nhandler h { wake_up disk }\n",
		   "2:21: 'wake_up' is a step without a task: write it on its own line, "
		   "without 'TASK:'");
}

Test(parse, terminal_statements)
{
	struct scenario *s = parse_ok("process a\na: open t O_NOCTTY\na: stty t -isig tostop\n"
				      "type t \"x^C\"\nresize t 24 80\na: tcsetpgrp u a\nhangup t\n");

	cr_assert_eq(s->nttys, 2);
	cr_assert_eq(s->steps[0].stmt.flags, SL_O_NOCTTY);
	cr_assert_eq(s->steps[1].stmt.lflag_clear, SL_ISIG);
	cr_assert_eq(s->steps[1].stmt.lflag_set, SL_TOSTOP);
	cr_assert_eq(s->steps[2].task, -1);
	cr_assert_eq(s->steps[3].stmt.rows, 24);
	cr_assert_eq(s->steps[4].stmt.tty, 1);
	sc_free(s);
}

Test(parse, terminal_statement_errors)
{
	ASSERT_ERR("process a\na: open 3", "2:9: expected a terminal name, found '3'");
	ASSERT_ERR("process a\na: stty t", "2:10: expected a termios flag (isig, icanon, echo, "
		   "noflsh, tostop), found end of file");
	ASSERT_ERR("process a\na: stty t -brkint", "2:12: expected a termios flag (isig, icanon, "
		   "echo, noflsh, tostop), found 'brkint'");
	ASSERT_ERR("process a\ntype t 3", "2:8: expected a string, found '3'");
	ASSERT_ERR("process a\nresize t 24", "2:12: expected columns, found end of file");
	ASSERT_ERR("process a\nresize t 70000 1", "2:10: rows '70000' out of range (0..65535)");
	ASSERT_ERR("process a\na: hangup t", "2:11: 'hangup' is a step without a task: write it "
		   "on its own line, without 'TASK:'");
}

Test(tty_input, caret_notation)
{
	char buf[16];

	cr_assert_eq(sc_tty_input_bytes("a^C^\\^Z^?^", buf, sizeof buf), 6);
	cr_assert_eq(buf[0], 'a');
	cr_assert_eq(buf[1], 3);
	cr_assert_eq(buf[2], 0x1c);
	cr_assert_eq(buf[3], 0x1a);
	cr_assert_eq(buf[4], 0x7f);
	cr_assert_eq(buf[5], '^');
	cr_assert_eq(sc_tty_input_bytes("abc", buf, 2), 2);
}

Test(parse, at_most_eight_terminals)
{
	ASSERT_ERR("process a\na: open t1\na: open t2\na: open t3\na: open t4\n"
		   "a: open t5\na: open t6\na: open t7\na: open t8\na: open t9\n",
		   "10:9: too many terminals (max 8)");
}

Test(parse, rlimit_statements_and_their_errors)
{
	struct scenario *s = parse_ok("process a\na: setrlimit RLIMIT_CORE unlimited 4096\n"
				      "a: prlimit 0 RLIMIT_CPU NULL old\na: pwrite -1 0\na: spin 2s\n");

	cr_assert_eq(s->steps[0].stmt.rlim_cur, SL_RLIM_INFINITY);
	cr_assert_eq(s->steps[0].stmt.rlim_max, 4096);
	cr_assert(s->steps[1].stmt.null_set && s->steps[1].stmt.want_old);
	cr_assert_eq(s->steps[2].stmt.offset, -1);
	cr_assert_eq(s->steps[3].stmt.dur, 2 * SL_NSEC_PER_SEC);
	sc_free(s);
	ASSERT_ERR("process a\na: getrlimit RLIMIT_NOFILE\n",
		   "2:14: unknown resource 'RLIMIT_NOFILE' (expected RLIMIT_CPU, RLIMIT_FSIZE, "
		   "RLIMIT_CORE, RLIMIT_SIGPENDING, or a number from 16)");
	ASSERT_ERR("process a\na: getrlimit 7\n",
		   "2:14: resource number '7' out of range (16..4294967295)");
	ASSERT_ERR("process a\na: setrlimit RLIMIT_CPU -1 1\n",
		   "2:25: expected a limit (a number or unlimited), found '-1'");
	ASSERT_ERR("process a\na: pwrite 0 65537\n",
		   "2:13: byte count '65537' out of range (0..65536)");
	ASSERT_ERR("process a\na: spin 11s\n", "2:9: spin of more than 10s of CPU time");
	ASSERT_ERR("process a\na: prlimit -a RLIMIT_CPU\n",
		   "2:12: prlimit names one process or thread (a task or a number)");
}

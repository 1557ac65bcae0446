/*
 * The text outputs of `siglab ps` and `siglab why` print process names as
 * ps(1) does: a name is its owner's choice (prctl PR_SET_NAME), and one
 * with escape sequences or tabs must reach the terminal as '?'s.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "cli/commands.h"
#include "helpers.h"
#include "why/why.h"

Test(why_printable, controls_and_bad_utf8_become_question_marks)
{
	char out[64];

	why_printable("svc", out, sizeof out);
	cr_assert_str_eq(out, "svc");
	why_printable("\033]0;x\007a\tb\nc\x7f", out, sizeof out);
	cr_assert_str_eq(out, "?]0;x?a?b?c?");
	why_printable("h\xc3\xa9 \xc2\x9b" "2J \xff", out, sizeof out);
	cr_assert_str_eq(out, "h\xc3\xa9 ?2J ?");	/* C1 CSI, a stray byte */
	why_printable("abcdef", out, 4);
	cr_assert_str_eq(out, "abc");
	why_printable("\xc3\xa9\xc3\xa9", out, 4);	/* a sequence is never cut */
	cr_assert_str_eq(out, "\xc3\xa9");
}

static char *read_all(FILE *f)
{
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, f);

	buf[n] = '\0';
	return buf;
}

/* A child named with a terminal escape (clear screen, set title) and a
 * tab; it waits to be killed (and dies by itself after 20 s). */
static void name_hostile(void *arg)
{
	(void)arg;
	(void)prctl(PR_SET_NAME, "\033[2J\033]0;x\007\t", 0, 0, 0);
}

static pid_t hostile_child(void)
{
	return spawn_waiting_child(name_hostile, NULL);
}

static void assert_no_controls(const char *out)
{
	for (const char *p = out; *p; p++)
		cr_assert(*p == '\n' || ((unsigned char)*p >= 0x20 && *p != 0x7f),
			  "control byte 0x%02x at %td in:\n%s", (unsigned char)*p, p - out, out);
}

Test(ps_text, hostile_name_is_escaped, .init = cr_redirect_stdout)
{
	pid_t child = hostile_child();
	char pid[16];
	char *argv[] = { (char[]){"ps"}, pid, NULL };
	char *out;
	int rc;

	snprintf(pid, sizeof pid, "%d", (int)child);
	rc = cmd_ps(2, argv);
	fflush(stdout);
	kill(child, SIGKILL);
	cr_assert_eq(waitpid(child, NULL, 0), child);
	cr_assert_eq(rc, 0);
	out = read_all(cr_get_redirected_stdout());
	assert_no_controls(out);
	cr_assert(strstr(out, "?[2J?]0;x??"), "%s", out);
}

Test(why_text, hostile_name_is_escaped, .init = cr_redirect_stdout)
{
	pid_t child = hostile_child();
	char pid[16];
	char *argv[] = { (char[]){"why"}, pid, (char[]){"TERM"}, NULL };
	char *out;

	snprintf(pid, sizeof pid, "%d", (int)child);
	(void)cmd_why(3, argv);
	fflush(stdout);
	kill(child, SIGKILL);
	cr_assert_eq(waitpid(child, NULL, 0), child);
	out = read_all(cr_get_redirected_stdout());
	cr_assert(strstr(out, "?[2J?]0;x??"), "%s", out);
	assert_no_controls(out);
}

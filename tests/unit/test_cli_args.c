/*
 * An option given without its value is a usage error that says so (exit
 * 2), never "unknown option" for an option the command has.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "cli/commands.h"

static char *read_all(FILE *f)
{
	static char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, f);

	buf[n] = '\0';
	return buf;
}

static void expect_missing_value(int (*cmd)(int, char **), const char *name,
				 const char *opt, const char *want)
{
	char *argv[] = { (char *)name, (char *)opt, NULL };
	char *err;

	cr_assert_eq(cmd(2, argv), 2, "%s %s", name, opt);
	fflush(stderr);
	err = read_all(cr_get_redirected_stderr());
	cr_assert(strstr(err, want), "%s %s said: %s", name, opt, err);
	cr_assert_null(strstr(err, "unknown option"), "%s %s said: %s", name, opt, err);
}

Test(cli_args, run_svg_without_file, .init = cr_redirect_stderr)
{
	expect_missing_value(cmd_run, "run", "--svg",
			     "siglab run: --svg needs a file to draw the timeline into");
}

Test(cli_args, ps_proc_without_dir, .init = cr_redirect_stderr)
{
	expect_missing_value(cmd_ps, "ps", "--proc", "siglab ps: --proc needs the /proc directory");
}

Test(cli_args, why_proc_without_dir, .init = cr_redirect_stderr)
{
	expect_missing_value(cmd_why, "why", "--proc", "siglab why: --proc needs the /proc directory");
}

Test(cli_args, table_arch_without_name, .init = cr_redirect_stderr)
{
	expect_missing_value(cmd_table, "table", "--arch",
			     "siglab table: --arch needs an architecture name");
}

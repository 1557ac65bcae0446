/* The table of statements (src/scenario/stmt_table.def) as the parser and
 * the renderer use it: every row has its spellings and its name, every
 * keyword is a statement and no name, an expectation names exactly the
 * calls that return, and a step without a task is one. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "scenario/ast.h"

Test(stmt_table, every_row_has_a_keyword_a_name_and_a_kind)
{
	for (int op = 0; op < SC_OP_COUNT; op++) {
		const struct sc_stmt_info *in = sc_stmt_info((enum sc_op)op);

		cr_assert_not_null(in);
		cr_assert(in->keyword && in->keyword[0], "op %d has no keyword", op);
		cr_assert(in->name && in->name[0], "op %d has no name", op);
		cr_assert_str_eq(sc_op_name((enum sc_op)op), in->name);
		cr_assert_not_null(in->synopsis);
		cr_assert_leq((unsigned)in->kind, (unsigned)SC_KIND_CLOCK);
	}
	cr_assert_null(sc_stmt_info(SC_OP_COUNT));
}

Test(stmt_table, keywords_and_names_are_unique)
{
	for (int a = 0; a < SC_OP_COUNT; a++)
		for (int b = a + 1; b < SC_OP_COUNT; b++) {
			cr_assert_str_neq(sc_stmt_info((enum sc_op)a)->keyword,
					  sc_stmt_info((enum sc_op)b)->keyword);
			cr_assert_str_neq(sc_op_name((enum sc_op)a), sc_op_name((enum sc_op)b));
		}
}

Test(stmt_table, every_keyword_is_a_statement_and_no_name)
{
	for (int op = 0; op < SC_OP_COUNT; op++) {
		const char *kw = sc_stmt_info((enum sc_op)op)->keyword;
		char text[96], want[160];

		snprintf(text, sizeof text, "process %s\n", kw);
		snprintf(want, sizeof want, "1:9: '%s' is a statement and cannot be a name", kw);
		cr_assert_str_eq(parse_err(text), want);
	}
	cr_assert_str_eq(parse_err("process exec\n"),
			 "1:9: 'exec' is a statement and cannot be a name");
	cr_assert_str_eq(parse_err("process waitpid\n"),
			 "1:9: 'waitpid' is a statement and cannot be a name");
}

/* `expect TASK syscall NAME` takes the name or the keyword of a call that
 * returns: a system call or kernel function that is not exit's kind. */
Test(stmt_table, expectations_name_exactly_the_calls_that_return)
{
	for (int op = 0; op < SC_OP_COUNT; op++) {
		const struct sc_stmt_info *in = sc_stmt_info((enum sc_op)op);
		bool returns = (in->kind == SC_KIND_CALL || in->kind == SC_KIND_KERNEL) &&
			       !(in->flags & SC_NORETURN);
		char text[96];

		cr_assert_eq(sc_stmt_has_result((enum sc_op)op), returns, "%s", in->name);
		snprintf(text, sizeof text, "process a\nexpect a syscall %s = 0\n", in->name);
		if (returns) {
			struct scenario *s = parse_ok(text);

			cr_assert_eq(s->expects[0].syscall, (enum sc_op)op);
			sc_free(s);
		} else {
			char want[128];

			snprintf(want, sizeof want, "2:18: '%s' is not a syscall with a result",
				 in->name);
			cr_assert_str_eq(parse_err(text), want);
		}
	}
	cr_assert_str_eq(parse_err("process a\nexpect a syscall exec = 0\n"),
			 "2:18: 'exec' is not a syscall with a result");
}

Test(stmt_table, a_clock_statement_is_a_step_without_a_task)
{
	for (int op = 0; op < SC_OP_COUNT; op++) {
		const struct sc_stmt_info *in = sc_stmt_info((enum sc_op)op);
		char text[96], want[160];

		if (in->kind != SC_KIND_CLOCK)
			continue;
		snprintf(text, sizeof text, "process a\na: %s x\n", in->keyword);
		snprintf(want, sizeof want, "2:%zu: '%s' is a step without a task: write it on "
			 "its own line, without 'TASK:'", strlen(in->keyword) + 5, in->name);
		cr_assert_str_eq(parse_err(text), want);
	}
}

/* The parser's rules for tasks created by steps: forked
 * processes, forked threads created by `clone THREAD`, and where a fork
 * may stand (docs/scenario-language.md, "Declarations"). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "scenario/ast.h"

Test(parse_fork, a_forked_thread_is_cloned_with_pthread_flags)
{
	struct scenario *s = parse_ok("process p\nprocess k forked\nthread t of k forked\n"
				      "thread u of k forked\n"
				      "p: fork k\nk: clone t\nt: clone u\n");

	cr_assert(s->tasks[2].forked);
	cr_assert_eq(s->tasks[2].kind, SC_THREAD);
	cr_assert_eq(s->steps[1].stmt.op, SC_OP_CLONE);
	cr_assert_eq(s->steps[1].stmt.target.task, 2);
	cr_assert_eq(s->steps[1].stmt.flags, SL_CLONE_VM | SL_CLONE_SIGHAND | SL_CLONE_THREAD);
	cr_assert_eq(s->steps[1].stmt.sig, 0);
	sc_free(s);
}

Test(parse_fork, a_declared_process_may_have_a_forked_thread)
{
	struct scenario *s = parse_ok("process p\nthread t of p forked\np: clone t\nt: exit 0\n");

	cr_assert(s->tasks[1].forked);
	sc_free(s);
}

Test(parse_fork, thread_rules)
{
	ASSERT_ERR("process p\nprocess k forked\nthread t of k\np: fork k\n",
		   "3:8: 't' is a thread of 'k', which does not exist before its fork step: "
		   "declare it 'thread t of k forked' and create it with a step 'k: clone t'");
	ASSERT_ERR("process p\nthread t of p forked\np: fork t\n",
		   "3:9: 't' is a thread: a thread is created by 'clone t', not by fork");
	ASSERT_ERR("process p\nthread t of p forked\np: clone t flags=CLONE_PARENT\n",
		   "3:12: clone of a thread takes no option: it is pthread_create's "
		   "clone(CLONE_VM|CLONE_SIGHAND|CLONE_THREAD)");
	ASSERT_ERR("process p\nprocess q\nthread t of p forked\nq: clone t\n",
		   "4:4: 't' is a thread of 'p': only a task of 'p' can create it");
	ASSERT_ERR("process p\nthread t of p forked\nt: exit 0\np: clone t\n",
		   "3:4: step for 't' before the step that forks it");
	ASSERT_ERR("process p\nthread t of p\np: clone t\n",
		   "3:10: 't' is not declared 'forked' (thread t of P forked)");
}

Test(parse_fork, fork_is_a_step_of_its_own)
{
	ASSERT_ERR("process p\nprocess k forked\nhandler h { fork k }\n",
		   "3:18: fork is a step of its own, not in a handler or repeat body: the task "
		   "it creates is created exactly once, by one step "
		   "(docs/scenario-language.md, 'Declarations')");
	ASSERT_ERR("process p\nprocess k forked\np: repeat 2 { clone k }\n",
		   "3:21: clone is a step of its own, not in a handler or repeat body: the task "
		   "it creates is created exactly once, by one step "
		   "(docs/scenario-language.md, 'Declarations')");
}

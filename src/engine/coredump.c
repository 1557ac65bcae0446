/* Models fs/coredump.c (Linux 6.x): vfs_coredump as get_signal calls it
 * for a signal whose default action is Core (sig_kernel_coredump):
 * coredump_skip (the mm not dumpable), coredump_wait / zap_threads (every
 * other thread is killed and waited for before the dump), coredump_file
 * (RLIMIT_CORE below binfmt_elf's min_coredump writes nothing; a larger
 * one cuts the file short, which elf_core_dump still reports as a dump) and
 * coredump_finish (0x80, WCOREDUMP, in the exit code once a dump was
 * written).  The core_pattern is taken to name a plain file, the
 * kernel's default "core": with a pipe (|helper) the kernel ignores
 * RLIMIT_CORE, except the value 1 that marks a helper dumping itself. */
#include "engine/internal.h"

static const char RULE_UNDUMPABLE[] =
	"no core dump: the process is not dumpable (prctl PR_SET_DUMPABLE 0, or "
	"a change of credentials), so the Core action only terminates "
	"(fs/coredump.c coredump_skip)";
static const char RULE_CORE_LIMIT[] =
	"no core dump: RLIMIT_CORE is below one page (binfmt_elf's "
	"min_coredump), so no core file is made; the other threads were still "
	"killed first (fs/coredump.c coredump_wait, coredump_file)";
static const char RULE_CORE_DUMPED[] =
	"core dumped: every other thread was killed and waited for, the core "
	"was written (cut at RLIMIT_CORE, which still counts as dumped once "
	"its notes are made), and the exit status gets WCOREDUMP (0x80) "
	"(fs/coredump.c coredump_wait, coredump_finish; binfmt_elf "
	"elf_core_dump)";

/* binfmt_elf's min_coredump: ELF_EXEC_PAGESIZE. */
#define MIN_COREDUMP 4096u
/* zap_threads: the dumper makes the process exit with its signal and
 * sends SIGKILL to every other thread, unless the process is already
 * exiting (then there is no dump: -EAGAIN). */
static bool zap_threads(sl_kernel *k, struct task *t, int sig)
{
	struct signal_group *g = t->group;

	if (g->flags & SIGNAL_GROUP_EXIT)
		return false;
	g->flags = SIGNAL_GROUP_EXIT | (g->flags & SIGNAL_UNKILLABLE);
	g->group_exit_code = sig;
	zap_other_threads(k, t);
	return true;
}

/* vfs_coredump, for a plain-file core_pattern.  The threads killed by
 * zap_threads wait in coredump_task_exit until the dump is over.
 * DEVIATION(the dump takes no time and the dumper exits at once: its
 * death comes before the other threads' in the trace, where on Linux
 * they reach exit first and the dumper waits for them in coredump_wait;
 * each reports the same status, core bit included). */
void do_coredump(sl_kernel *k, struct task *t, int sig)
{
	struct signal_group *g = t->group;
	uint64_t limit = g->rlim[SL_RLIMIT_CORE].cur;

	if (g->undumpable) {
		emit_note(k, t->tid, sig, RULE_UNDUMPABLE);
		return;
	}
	if (!zap_threads(k, t, sig))
		return;
	if (limit < MIN_COREDUMP) {
		emit_note(k, t->tid, sig, RULE_CORE_LIMIT);
		return;
	}
	/* coredump_finish: the bit is set unless a SIGKILL came during the
	 * dump, which the model's instant dump leaves no room for. */
	g->core_dumped = true;
	emit_note(k, t->tid, sig, RULE_CORE_DUMPED);
}

/*
 * What kind of sleep a D-state thread is in, from where /proc says it
 * sleeps (wchan, syscall): TASK_KILLABLE, which a fatal signal ends at
 * once, or TASK_UNINTERRUPTIBLE, which no signal ends.  /proc shows both
 * as D (fs/proc/array.c task_state_array: TASK_KILLABLE is
 * TASK_WAKEKILL | TASK_UNINTERRUPTIBLE).  Only waits whose kind is known
 * from the kernel are named; any other stays unknown.
 */
#include <string.h>

#include "why/proc.h"

#include <sys/syscall.h>

static bool is_clone_call(long nr)
{
#ifdef SYS_vfork
	if (nr == SYS_vfork)
		return true;
#endif
	return nr == SYS_clone || nr == SYS_clone3 || nr < 0;
}

enum proc_wait_kind proc_classify_wait(const char *wchan, long syscall, const char **rule)
{
	static const char *const fuse[] = { "request_wait_answer", "__fuse_request_send",
					    "fuse_simple_request", NULL };

	*rule = NULL;
	if (!wchan || !*wchan)
		return PROC_WAIT_UNKNOWN;
	/* kernel/fork.c: the vfork parent waits for its child to exec or
	 * exit in wait_for_vfork_done (inlined into kernel_clone). */
	if (!strcmp(wchan, "wait_for_vfork_done") ||
	    (!strcmp(wchan, "kernel_clone") && is_clone_call(syscall))) {
		*rule = "a vfork parent waiting for its child to exec or exit (kernel/fork.c "
			"wait_for_vfork_done: wait_for_completion_state(TASK_KILLABLE))";
		return PROC_WAIT_KILLABLE;
	}
	/* fs/fuse/dev.c request_wait_answer: interruptible, then killable
	 * while the daemon has not read the request, then wait_event. */
	for (int i = 0; fuse[i]; i++)
		if (!strcmp(wchan, fuse[i])) {
			*rule = "a FUSE request the daemon has already read (fs/fuse/dev.c "
				"request_wait_answer: \"Either request is already in userspace, or it "
				"was forced. Wait it out.\": wait_event, TASK_UNINTERRUPTIBLE); only the "
				"daemon's answer, or aborting the connection (/sys/fs/fuse/connections/"
				"N/abort), ends it";
			return PROC_WAIT_UNINTERRUPTIBLE;
		}
	/* The *_killable waits (rpc_wait_bit_killable for NFS, ...) sleep
	 * in TASK_KILLABLE by their name's promise. */
	if (strstr(wchan, "_killable")) {
		*rule = "a *_killable wait (TASK_KILLABLE)";
		return PROC_WAIT_KILLABLE;
	}
	return PROC_WAIT_UNKNOWN;
}

/* A guest's own ptrace (seed 003's tracer: the guest traces a child of
 * its own).  Every guest is already traced by siglab, so the host cannot
 * give it a second tracer: the model is the guest's ptrace.  The requests
 * that attach, resume, detach and read the stop's siginfo and event
 * message are sl_sys_ptrace's (kernel/ptrace.c), with the model's stops,
 * its wait reports and its SIGTRAP after execve; the ones that read and
 * write the tracee's registers and memory act on the real tracee, which
 * siglab holds in a real ptrace stop whenever the model has it in a
 * ptrace stop (tracer.c: a task a guest traces is resumed with
 * PTRACE_SYSCALL, so that its calls' entries and exits stop in siglab and
 * the model decides there whether the guest's tracer sees them). */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "exec/exec.h"

/* The x86-64 request numbers of include/uapi/linux/ptrace.h and
 * arch/x86/include/uapi/asm/ptrace-abi.h. */
enum {
	G_PEEKTEXT = 1, G_PEEKDATA = 2, G_PEEKUSR = 3, G_POKETEXT = 4,
	G_POKEDATA = 5, G_POKEUSR = 6, G_GETREGS = 12, G_SETREGS = 13,
	G_GETFPREGS = 14, G_GETREGSET = 0x4204
};

bool guest_traced(struct exec *x, const struct guest *g)
{
	struct sl_task_info ti;

	return g->mtid && sl_task_info(x->k, g->mtid, &ti) == 0 && ti.tracer != 0;
}

/* The real tracee of a register or memory request: a tracee of the
 * caller in a ptrace stop (ptrace_check_attach, asked of the model with
 * a request that changes nothing), held by siglab with its registers. */
static struct guest *stopped_tracee(struct exec *x, struct guest *g, int mpid, long *err)
{
	unsigned long msg;
	struct guest *t;

	*err = sl_sys_ptrace(x->k, g->mtid, SL_PTRACE_GETEVENTMSG, mpid, 0,
			     (uint64_t)(uintptr_t)&msg);
	if (*err)
		return NULL;
	t = guest_by_mtid(x, mpid);
	if (!t || t->state != GUEST_HELD) {
		*err = -SL_ESRCH;
		return NULL;
	}
	if (!t->regs_valid) {
		if (ptrace(PTRACE_GETREGS, t->tid, 0, &t->regs)) {
			*err = -SL_ESRCH;
			return NULL;
		}
		t->regs_valid = true;
		t->regs_dirty = false;
	}
	return t;
}

/* A word the kernel stores at the tracer's `data` (the PEEK requests). */
static long put_word(struct guest *g, uint64_t at, uint64_t word)
{
	return guest_write(g->tid, at, &word, sizeof word) ? -SL_EFAULT : 0;
}

/* arch_ptrace's PEEKUSR/POKEUSR: the user area's registers part is
 * user_regs_struct; the rest (debug registers ...) is read on the host. */
static long peek_user(struct guest *g, struct guest *t, uint64_t addr, uint64_t data)
{
	uint64_t word;

	if (addr & 7 || addr >= sizeof(struct user))
		return -SL_EIO;
	if (addr < sizeof t->regs) {
		memcpy(&word, (const char *)&t->regs + addr, sizeof word);
	} else {
		errno = 0;
		word = (uint64_t)ptrace(PTRACE_PEEKUSER, t->tid, (void *)(uintptr_t)addr, 0);
		if (errno)
			return -SL_EIO;
	}
	return put_word(g, data, word);
}

static long poke_user(struct guest *t, uint64_t addr, uint64_t data)
{
	if (addr & 7 || addr >= sizeof t->regs)
		return -SL_EIO;	/* UNMODELED(POKEUSR beyond the registers) */
	memcpy((char *)&t->regs + addr, &data, sizeof data);
	t->regs_dirty = true;
	return 0;
}

/* GETREGSET: the iovec in the tracer's memory says where and how much;
 * the kernel writes back the length it filled. */
static long get_regset(struct guest *g, struct guest *t, uint64_t type, uint64_t at)
{
	struct { uint64_t base, len; } giov;
	unsigned char buf[4096];
	struct iovec iov = { buf, sizeof buf };

	if (guest_read(g->tid, at, &giov, sizeof giov))
		return -SL_EFAULT;
	if (giov.len < iov.iov_len)
		iov.iov_len = giov.len;
	if (t->regs_dirty && ptrace(PTRACE_SETREGS, t->tid, 0, &t->regs) == 0)
		t->regs_dirty = false;
	if (ptrace(PTRACE_GETREGSET, t->tid, (void *)(uintptr_t)type, &iov))
		return -errno;
	giov.len = iov.iov_len;
	if (guest_write(g->tid, giov.base, buf, iov.iov_len) ||
	    guest_write(g->tid, at, &giov, sizeof giov))
		return -SL_EFAULT;
	return 0;
}

/* The requests on the real tracee's registers and memory. */
static long tracee_request(struct exec *x, struct guest *g, long req, int mpid,
			   uint64_t addr, uint64_t data)
{
	unsigned char fp[512];
	uint64_t word;
	struct guest *t;
	long err;

	t = stopped_tracee(x, g, mpid, &err);
	if (!t)
		return err;
	switch (req) {
	case G_PEEKTEXT:
	case G_PEEKDATA:
		if (guest_read(t->tid, addr, &word, sizeof word))
			return -SL_EIO;
		return put_word(g, data, word);
	case G_POKETEXT:
	case G_POKEDATA:
		return guest_write(t->tid, addr, &data, sizeof data) ? -SL_EIO : 0;
	case G_PEEKUSR:
		return peek_user(g, t, addr, data);
	case G_POKEUSR:
		return poke_user(t, addr, data);
	case G_GETREGS:
		return guest_write(g->tid, data, &t->regs, sizeof t->regs) ? -SL_EFAULT : 0;
	case G_SETREGS:
		if (guest_read(g->tid, data, &t->regs, sizeof t->regs))
			return -SL_EFAULT;
		t->regs_dirty = true;
		return 0;
	case G_GETFPREGS:
		if (ptrace(PTRACE_GETFPREGS, t->tid, 0, fp))
			return -errno;
		return guest_write(g->tid, data, fp, sizeof fp) ? -SL_EFAULT : 0;
	case G_GETREGSET:
		return get_regset(g, t, addr, data);
	default:
		return -SL_EIO;	/* UNMODELED(other ptrace requests) */
	}
}

/* GETEVENTMSG: a fork or clone event's message is the new task's pid,
 * which the guest sees as the real one. */
static long event_msg(struct exec *x, struct guest *g, int mpid, uint64_t data)
{
	struct sl_task_info ti;
	unsigned long msg = 0;
	int event;
	long r;

	r = sl_sys_ptrace(x->k, g->mtid, SL_PTRACE_GETEVENTMSG, mpid, 0,
			  (uint64_t)(uintptr_t)&msg);
	if (r)
		return r;
	event = sl_task_info(x->k, mpid, &ti) == 0 ? ti.ptrace_code >> 8 : 0;
	if (event == SL_PTRACE_EVENT_FORK || event == SL_PTRACE_EVENT_VFORK ||
	    event == SL_PTRACE_EVENT_CLONE)
		msg = (unsigned long)pid_to_real(x, (int)msg);
	return put_word(g, data, msg);
}

static long siginfo_request(struct exec *x, struct guest *g, long req, int mpid,
			    uint64_t data)
{
	unsigned char buf[GUEST_SIGINFO_SIZE];
	struct sl_siginfo info;
	long r;

	if (req == SL_PTRACE_SETSIGINFO) {
		if (guest_read(g->tid, data, buf, sizeof buf))
			return -SL_EFAULT;
		siginfo_from_guest(buf, &info);
		if (info.pid > 0 && guest_by_tid(x, info.pid))
			info.pid = pid_to_model(x, info.pid);
		return sl_sys_ptrace(x->k, g->mtid, req, mpid, 0, (uint64_t)(uintptr_t)&info);
	}
	r = sl_sys_ptrace(x->k, g->mtid, req, mpid, 0, (uint64_t)(uintptr_t)&info);
	if (r)
		return r;
	siginfo_to_guest(x, &info, buf);
	return guest_write(g->tid, data, buf, sizeof buf) ? -SL_EFAULT : 0;
}

long guest_ptrace(struct exec *x, struct guest *g, const uint64_t *a)
{
	long req = (long)a[0];
	int pid = (int32_t)a[1];
	int mpid = req == SL_PTRACE_TRACEME ? 0 : pid_to_model(x, pid);

	switch (req) {
	case SL_PTRACE_TRACEME:
	case SL_PTRACE_CONT:
	case SL_PTRACE_KILL:
	case SL_PTRACE_ATTACH:
	case SL_PTRACE_DETACH:
	case SL_PTRACE_SYSCALL:
	case SL_PTRACE_SETOPTIONS:
	case SL_PTRACE_SEIZE:
	case SL_PTRACE_INTERRUPT:
	case SL_PTRACE_LISTEN:
		return sl_sys_ptrace(x->k, g->mtid, req, mpid, a[2], a[3]);
	case SL_PTRACE_GETEVENTMSG:
		return event_msg(x, g, mpid, a[3]);
	case SL_PTRACE_GETSIGINFO:
	case SL_PTRACE_SETSIGINFO:
		return siginfo_request(x, g, req, mpid, a[3]);
	default:
		return tracee_request(x, g, req, mpid, a[2], a[3]);
	}
}

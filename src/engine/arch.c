/*
 * Models signal(7)'s tables and the per-architecture signal numbers of the
 * kernel's arch/{x86,arm,alpha,sparc,mips,parisc}/include/uapi/asm/signal.h:
 * names, default actions and comments of the standard signals, the glibc
 * names of the real-time signals, and the names of the errno values the
 * engine returns.  Pure tables and look-ups: no state, no I/O.
 *
 * Numbers are x86's everywhere in the engine; the architecture tables only
 * translate an x86 number into another architecture's number for display
 * (`siglab table`).
 */
#include <stdlib.h>
#include <string.h>

#include "siglab.h"

/* glibc reserves the kernel's signals 32 and 33 for NPTL, so its SIGRTMIN is
 * 34 (SL_SIGRTMIN_GLIBC); scenario names and traces use glibc's numbering,
 * as bash does, and name 32 and 33 as gdb does: "SIG32", "SIG33". */

static const struct sl_signal_desc signal_desc[SL_SIGSYS + 1] = {
	[SL_SIGHUP] = { "SIGHUP", SL_ACT_TERM,
		"Hangup detected on controlling terminal or death of controlling process" },
	[SL_SIGINT] = { "SIGINT", SL_ACT_TERM, "Interrupt from keyboard" },
	[SL_SIGQUIT] = { "SIGQUIT", SL_ACT_CORE, "Quit from keyboard" },
	[SL_SIGILL] = { "SIGILL", SL_ACT_CORE, "Illegal Instruction" },
	[SL_SIGTRAP] = { "SIGTRAP", SL_ACT_CORE, "Trace/breakpoint trap" },
	[SL_SIGABRT] = { "SIGABRT", SL_ACT_CORE, "Abort signal from abort(3)" },
	[SL_SIGBUS] = { "SIGBUS", SL_ACT_CORE, "Bus error (bad memory access)" },
	[SL_SIGFPE] = { "SIGFPE", SL_ACT_CORE, "Floating-point exception" },
	[SL_SIGKILL] = { "SIGKILL", SL_ACT_TERM, "Kill signal" },
	[SL_SIGUSR1] = { "SIGUSR1", SL_ACT_TERM, "User-defined signal 1" },
	[SL_SIGSEGV] = { "SIGSEGV", SL_ACT_CORE, "Invalid memory reference" },
	[SL_SIGUSR2] = { "SIGUSR2", SL_ACT_TERM, "User-defined signal 2" },
	[SL_SIGPIPE] = { "SIGPIPE", SL_ACT_TERM,
		"Broken pipe: write to pipe with no readers; see pipe(7)" },
	[SL_SIGALRM] = { "SIGALRM", SL_ACT_TERM, "Timer signal from alarm(2)" },
	[SL_SIGTERM] = { "SIGTERM", SL_ACT_TERM, "Termination signal" },
	[SL_SIGSTKFLT] = { "SIGSTKFLT", SL_ACT_TERM,
		"Stack fault on coprocessor (unused)" },
	[SL_SIGCHLD] = { "SIGCHLD", SL_ACT_IGN, "Child stopped or terminated" },
	[SL_SIGCONT] = { "SIGCONT", SL_ACT_CONT, "Continue if stopped" },
	[SL_SIGSTOP] = { "SIGSTOP", SL_ACT_STOP, "Stop process" },
	[SL_SIGTSTP] = { "SIGTSTP", SL_ACT_STOP, "Stop typed at terminal" },
	[SL_SIGTTIN] = { "SIGTTIN", SL_ACT_STOP,
		"Terminal input for background process" },
	[SL_SIGTTOU] = { "SIGTTOU", SL_ACT_STOP,
		"Terminal output for background process" },
	[SL_SIGURG] = { "SIGURG", SL_ACT_IGN, "Urgent condition on socket (4.2BSD)" },
	[SL_SIGXCPU] = { "SIGXCPU", SL_ACT_CORE,
		"CPU time limit exceeded (4.2BSD); see setrlimit(2)" },
	[SL_SIGXFSZ] = { "SIGXFSZ", SL_ACT_CORE,
		"File size limit exceeded (4.2BSD); see setrlimit(2)" },
	[SL_SIGVTALRM] = { "SIGVTALRM", SL_ACT_TERM, "Virtual alarm clock (4.2BSD)" },
	[SL_SIGPROF] = { "SIGPROF", SL_ACT_TERM, "Profiling timer expired" },
	[SL_SIGWINCH] = { "SIGWINCH", SL_ACT_IGN, "Window resize signal (4.3BSD, Sun)" },
	[SL_SIGIO] = { "SIGIO", SL_ACT_TERM, "I/O now possible (4.2BSD)" },
	[SL_SIGPWR] = { "SIGPWR", SL_ACT_TERM, "Power failure (System V)" },
	[SL_SIGSYS] = { "SIGSYS", SL_ACT_CORE,
		"Bad system call (SVr4); see also seccomp(2)" },
};

/* Names of the kernel's real-time range, as glibc and bash spell them:
 * 32 and 33 belong to NPTL and have no SIGRT name; 34..49 count up from
 * SIGRTMIN, 50..64 count down from SIGRTMAX. */
static const char *const rt_names[SL_NSIG + 1] = {
	[32] = "SIG32", [33] = "SIG33",
	[34] = "SIGRTMIN", [35] = "SIGRTMIN+1", [36] = "SIGRTMIN+2",
	[37] = "SIGRTMIN+3", [38] = "SIGRTMIN+4", [39] = "SIGRTMIN+5",
	[40] = "SIGRTMIN+6", [41] = "SIGRTMIN+7", [42] = "SIGRTMIN+8",
	[43] = "SIGRTMIN+9", [44] = "SIGRTMIN+10", [45] = "SIGRTMIN+11",
	[46] = "SIGRTMIN+12", [47] = "SIGRTMIN+13", [48] = "SIGRTMIN+14",
	[49] = "SIGRTMIN+15", [50] = "SIGRTMAX-14", [51] = "SIGRTMAX-13",
	[52] = "SIGRTMAX-12", [53] = "SIGRTMAX-11", [54] = "SIGRTMAX-10",
	[55] = "SIGRTMAX-9", [56] = "SIGRTMAX-8", [57] = "SIGRTMAX-7",
	[58] = "SIGRTMAX-6", [59] = "SIGRTMAX-5", [60] = "SIGRTMAX-4",
	[61] = "SIGRTMAX-3", [62] = "SIGRTMAX-2", [63] = "SIGRTMAX-1",
	[64] = "SIGRTMAX",
};

/* Other names the kernel headers give to x86 signals. */
static const struct { const char *name; int sig; } signal_aliases[] = {
	{ "SIGIOT", SL_SIGABRT },
	{ "SIGPOLL", SL_SIGIO },
	{ "SIGCLD", SL_SIGCHLD },
	{ "SIGUNUSED", SL_SIGSYS },
};

/*
 * The number of each x86 signal on every architecture; 0 where the
 * architecture has no such signal.  Columns follow enum sl_arch.  Real-time
 * signals (32..64) have the same number everywhere.  SPARC's SIGPWR is its
 * SIGLOST (29) in the kernel header, although signal(7) lists it as absent:
 * the kernel is the reference.
 */
static const unsigned char arch_number[SL_SIGSYS + 1][SL_ARCH_COUNT] = {
	/*               x86 arm alpha sparc mips parisc */
	[SL_SIGHUP]    = { 1,  1,  1,  1,  1,  1 },
	[SL_SIGINT]    = { 2,  2,  2,  2,  2,  2 },
	[SL_SIGQUIT]   = { 3,  3,  3,  3,  3,  3 },
	[SL_SIGILL]    = { 4,  4,  4,  4,  4,  4 },
	[SL_SIGTRAP]   = { 5,  5,  5,  5,  5,  5 },
	[SL_SIGABRT]   = { 6,  6,  6,  6,  6,  6 },
	[SL_SIGBUS]    = { 7,  7, 10, 10, 10, 10 },
	[SL_SIGFPE]    = { 8,  8,  8,  8,  8,  8 },
	[SL_SIGKILL]   = { 9,  9,  9,  9,  9,  9 },
	[SL_SIGUSR1]   = { 10, 10, 30, 30, 16, 16 },
	[SL_SIGSEGV]   = { 11, 11, 11, 11, 11, 11 },
	[SL_SIGUSR2]   = { 12, 12, 31, 31, 17, 17 },
	[SL_SIGPIPE]   = { 13, 13, 13, 13, 13, 13 },
	[SL_SIGALRM]   = { 14, 14, 14, 14, 14, 14 },
	[SL_SIGTERM]   = { 15, 15, 15, 15, 15, 15 },
	[SL_SIGSTKFLT] = { 16, 16,  0,  0,  0,  7 },
	[SL_SIGCHLD]   = { 17, 17, 20, 20, 18, 18 },
	[SL_SIGCONT]   = { 18, 18, 19, 19, 25, 26 },
	[SL_SIGSTOP]   = { 19, 19, 17, 17, 23, 24 },
	[SL_SIGTSTP]   = { 20, 20, 18, 18, 24, 25 },
	[SL_SIGTTIN]   = { 21, 21, 21, 21, 26, 27 },
	[SL_SIGTTOU]   = { 22, 22, 22, 22, 27, 28 },
	[SL_SIGURG]    = { 23, 23, 16, 16, 21, 29 },
	[SL_SIGXCPU]   = { 24, 24, 24, 24, 30, 12 },
	[SL_SIGXFSZ]   = { 25, 25, 25, 25, 31, 30 },
	[SL_SIGVTALRM] = { 26, 26, 26, 26, 28, 20 },
	[SL_SIGPROF]   = { 27, 27, 27, 27, 29, 21 },
	[SL_SIGWINCH]  = { 28, 28, 28, 28, 20, 23 },
	[SL_SIGIO]     = { 29, 29, 23, 23, 22, 22 },
	[SL_SIGPWR]    = { 30, 30, 29, 29, 19, 19 },
	[SL_SIGSYS]    = { 31, 31, 12, 12, 12, 31 },
};

static const char *const arch_names[SL_ARCH_COUNT] = {
	[SL_ARCH_X86] = "x86", [SL_ARCH_ARM] = "arm",
	[SL_ARCH_ALPHA] = "alpha", [SL_ARCH_SPARC] = "sparc",
	[SL_ARCH_MIPS] = "mips", [SL_ARCH_PARISC] = "parisc",
};

/* Spellings of the same architectures that users type. */
static const struct { const char *name; enum sl_arch arch; } arch_aliases[] = {
	{ "x86_64", SL_ARCH_X86 }, { "amd64", SL_ARCH_X86 },
	{ "i386", SL_ARCH_X86 }, { "arm64", SL_ARCH_ARM },
	{ "aarch64", SL_ARCH_ARM }, { "hppa", SL_ARCH_PARISC },
};

static const char *const action_names[] = {
	[SL_ACT_TERM] = "Term", [SL_ACT_CORE] = "Core", [SL_ACT_IGN] = "Ign",
	[SL_ACT_STOP] = "Stop", [SL_ACT_CONT] = "Cont",
};

static const char *const errno_names[SL_ERESTART_RESTARTBLOCK + 1] = {
	[SL_EPERM] = "EPERM", [SL_ENOENT] = "ENOENT", [SL_ESRCH] = "ESRCH", [SL_EINTR] = "EINTR", [SL_EIO] = "EIO",
	[SL_EBADF] = "EBADF", [SL_ECHILD] = "ECHILD", [SL_EAGAIN] = "EAGAIN",
	[SL_EACCES] = "EACCES", [SL_ENOTTY] = "ENOTTY",
	[SL_ENOMEM] = "ENOMEM", [SL_EFAULT] = "EFAULT", [SL_EINVAL] = "EINVAL",
	[SL_EFBIG] = "EFBIG",
	[SL_EPIPE] = "EPIPE",
	[SL_EOPNOTSUPP] = "EOPNOTSUPP",
	[SL_ERESTARTSYS] = "ERESTARTSYS",
	[SL_ERESTARTNOINTR] = "ERESTARTNOINTR",
	[SL_ERESTARTNOHAND] = "ERESTARTNOHAND",
	[SL_ERESTART_RESTARTBLOCK] = "ERESTART_RESTARTBLOCK",
};

const struct sl_signal_desc *sl_signal_describe(int sig)
{
	if (sig < 1 || sig > SL_SIGSYS)
		return NULL;
	return &signal_desc[sig];
}

/* Parses an unsigned decimal number of at most three digits; -1 if `s` is
 * not one.  Signal numbers never need more. */
static int small_decimal(const char *s)
{
	int n = 0;

	if (*s == '\0' || strlen(s) > 3)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n;
}

/* "RTMIN", "RTMIN+N", "RTMAX", "RTMAX-N" (after any "SIG"), in glibc's
 * numbering; 0 when the name is not one of them or leaves 34..64. */
static int rt_from_name(const char *s)
{
	int base, dir, n = 0, sig;

	if (!strncmp(s, "RTMIN", 5)) {
		base = SL_SIGRTMIN_GLIBC;
		dir = 1;
	} else if (!strncmp(s, "RTMAX", 5)) {
		base = SL_SIGRTMAX;
		dir = -1;
	} else {
		return 0;
	}
	s += 5;
	if (*s != '\0') {
		if (*s != (dir > 0 ? '+' : '-'))
			return 0;
		n = small_decimal(s + 1);
		if (n < 0)
			return 0;
	}
	sig = base + dir * n;
	return sig >= SL_SIGRTMIN_GLIBC && sig <= SL_SIGRTMAX ? sig : 0;
}

int sl_signal_from_name(const char *name)
{
	const char *s;
	int n;

	if (name == NULL || *name == '\0')
		return 0;
	n = small_decimal(name);
	if (n >= 0)
		return n <= SL_NSIG ? n : 0;
	s = strncmp(name, "SIG", 3) ? name : name + 3;
	if (*s == '\0')
		return 0;
	for (int sig = 1; sig <= SL_SIGSYS; sig++)
		if (!strcmp(s, signal_desc[sig].name + 3))
			return sig;
	for (size_t i = 0; i < sizeof signal_aliases / sizeof signal_aliases[0]; i++)
		if (!strcmp(s, signal_aliases[i].name + 3))
			return signal_aliases[i].sig;
	/* The names glibc does not give: what sl_signal_name prints. */
	for (int sig = SL_SIGRTMIN; sig < SL_SIGRTMIN_GLIBC; sig++)
		if (!strcmp(s, rt_names[sig] + 3))
			return sig;
	return rt_from_name(s);
}

const char *sl_signal_name(int sig)
{
	if (sig >= 1 && sig <= SL_SIGSYS)
		return signal_desc[sig].name;
	if (sig > SL_SIGSYS && sig <= SL_NSIG)
		return rt_names[sig];
	return "SIG?";
}

int sl_arch_signal_number(enum sl_arch arch, int sig)
{
	if ((unsigned)arch >= SL_ARCH_COUNT || sig < 1 || sig > SL_NSIG)
		return 0;
	if (sig > SL_SIGSYS)
		return sig;
	return arch_number[sig][arch];
}

const char *sl_arch_name(enum sl_arch arch)
{
	if ((unsigned)arch >= SL_ARCH_COUNT)
		return NULL;
	return arch_names[arch];
}

/* Returns the enum sl_arch value, or -1 when the name is unknown. */
int sl_arch_from_name(const char *name)
{
	if (name == NULL)
		return -1;
	for (int a = 0; a < SL_ARCH_COUNT; a++)
		if (!strcmp(name, arch_names[a]))
			return a;
	for (size_t i = 0; i < sizeof arch_aliases / sizeof arch_aliases[0]; i++)
		if (!strcmp(name, arch_aliases[i].name))
			return (int)arch_aliases[i].arch;
	return -1;
}

const char *sl_default_action_name(enum sl_default_action a)
{
	if ((unsigned)a >= sizeof action_names / sizeof action_names[0])
		return "?";
	return action_names[a];
}

/* Accepts the errno value with either sign, as syscalls return it
 * negated. */
const char *sl_errno_name(int err)
{
	if (err < 0 && err >= -SL_ERESTART_RESTARTBLOCK)
		err = -err;
	if (err <= 0 || err > SL_ERESTART_RESTARTBLOCK)
		return NULL;
	return errno_names[err];
}

const char *sl_trace_result_name(int result)
{
	static const char *const names[] = {
		[SL_TRACE_DELIVERED] = "delivered", [SL_TRACE_IGNORED] = "ignored",
		[SL_TRACE_ALREADY_PENDING] = "already_pending",
		[SL_TRACE_OVERFLOW_FAIL] = "overflow_fail", [SL_TRACE_LOSE_INFO] = "lose_info",
	};

	if (result < 0 || (size_t)result >= sizeof names / sizeof names[0])
		return NULL;
	return names[result];
}

/* Returns the positive errno value, or 0 when the name is unknown. */
int sl_errno_from_name(const char *name)
{
	if (name == NULL)
		return 0;
	for (int e = 1; e <= SL_ERESTART_RESTARTBLOCK; e++)
		if (errno_names[e] != NULL && !strcmp(name, errno_names[e]))
			return e;
	return 0;
}

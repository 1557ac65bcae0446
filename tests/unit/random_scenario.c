/* Random par-block steps shared by the search comparison tests. */
#include "random_scenario.h"

uint32_t rs_next(uint32_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 17;
	*st ^= *st << 5;
	return *st;
}

void rs_step(struct strbuf *b, uint32_t *st)
{
	static const char *const sigs[] = { "SIGUSR1", "SIGUSR2", "SIGSTOP", "SIGCONT",
					    "SIGRTMIN", "SIGTERM", "SIGCHLD" };
	static const char *const disp[] = { "h0", "h1", "SIG_IGN", "SIG_DFL" };
	unsigned who = rs_next(st) % 3, to = rs_next(st) % 3;
	const char *sig = sigs[rs_next(st) % 7];

	switch (rs_next(st) % 5) {
	case 0:
	case 1:
		sb_addf(b, "    p%u: kill p%u %s\n", who, to, sig);
		break;
	case 2:
		sb_addf(b, "    p%u: sigprocmask %s {%s}\n", who,
			rs_next(st) % 2 ? "block" : "unblock", sig);
		break;
	case 3:
		sb_addf(b, "    p%u: sigaction %s %s\n", who, sig, disp[rs_next(st) % 4]);
		break;
	default:
		sb_addf(b, "    p%u: sigqueue p%u SIGRTMIN value=%u\n", who, to,
			rs_next(st) % 3);
		break;
	}
}

/*
 * siglab table [--arch A] [--all]: signal(7)'s tables.  One architecture:
 * each signal with its number there, its default action and signal(7)'s
 * comment, in number order.  --all: one number column per architecture,
 * rows in x86 order, '-' where the architecture has no such signal.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "siglab.h"

/* Signals that exist on some architectures but have no x86 number, so the
 * library's x86-keyed tables cannot name them.  Numbers follow enum
 * sl_arch; SIGINFO (Alpha) and SIGLOST (SPARC) are other names of SIGPWR
 * there and are left out. */
static const struct {
	const char *name;
	enum sl_default_action action;
	const char *comment;
	int number[SL_ARCH_COUNT];
} non_x86[] = {
	{ "SIGEMT", SL_ACT_TERM, "Emulator trap", { 0, 0, 7, 7, 7, 0 } },
};

#define NON_X86 (sizeof non_x86 / sizeof non_x86[0])

/* One row of the table, whatever its source. */
struct row {
	const char *name;
	enum sl_default_action action;
	const char *comment;
	int number[SL_ARCH_COUNT];
};

static void usage(FILE *to)
{
	fprintf(to, "usage: siglab table [--arch ARCH] [--all]\n"
		"  --arch ARCH  numbers on ARCH: x86 (default), arm, alpha, sparc, mips, parisc\n"
		"  --all        one number column per architecture\n");
}

static size_t collect_rows(struct row *rows)
{
	size_t n = 0;

	for (int sig = 1; sig <= SL_SIGSYS; sig++) {
		const struct sl_signal_desc *d = sl_signal_describe(sig);

		rows[n].name = d->name;
		rows[n].action = d->action;
		rows[n].comment = d->comment;
		for (int a = 0; a < SL_ARCH_COUNT; a++)
			rows[n].number[a] = sl_arch_signal_number((enum sl_arch)a, sig);
		n++;
	}
	for (size_t i = 0; i < NON_X86; i++, n++) {
		rows[n].name = non_x86[i].name;
		rows[n].action = non_x86[i].action;
		rows[n].comment = non_x86[i].comment;
		memcpy(rows[n].number, non_x86[i].number, sizeof rows[n].number);
	}
	return n;
}

/* Orders rows by their number on `arch` (a stable insertion sort: the
 * table has some thirty rows). */
static void sort_by_number(struct row *rows, size_t n, enum sl_arch arch)
{
	for (size_t i = 1; i < n; i++) {
		struct row r = rows[i];
		size_t j = i;

		for (; j > 0 && rows[j - 1].number[arch] > r.number[arch]; j--)
			rows[j] = rows[j - 1];
		rows[j] = r;
	}
}

static void print_rt_row(int ncols)
{
	printf("%-11s", "SIGRTMIN..");
	for (int i = 0; i < ncols; i++)
		printf(" %6s", i == 0 ? "34..64" : "same");
	printf("  %-6s %s\n", "Term",
	       "Real-time signals (SIGRTMIN..SIGRTMAX as glibc numbers them; the kernel's range is 32..64)");
}

static void print_one(enum sl_arch arch)
{
	struct row rows[SL_SIGSYS + NON_X86];
	size_t n = collect_rows(rows);

	sort_by_number(rows, n, arch);
	printf("%-11s %6s  %-6s %s\n", "Signal", sl_arch_name(arch), "Action", "Comment");
	for (size_t i = 0; i < n; i++) {
		if (rows[i].number[arch] == 0)
			continue;
		printf("%-11s %6d  %-6s %s\n", rows[i].name, rows[i].number[arch],
		       sl_default_action_name(rows[i].action), rows[i].comment);
	}
	print_rt_row(1);
}

static void print_all(void)
{
	struct row rows[SL_SIGSYS + NON_X86];
	size_t n = collect_rows(rows);

	printf("%-11s", "Signal");
	for (int a = 0; a < SL_ARCH_COUNT; a++)
		printf(" %6s", sl_arch_name((enum sl_arch)a));
	printf("  %-6s %s\n", "Action", "Comment");
	for (size_t i = 0; i < n; i++) {
		printf("%-11s", rows[i].name);
		for (int a = 0; a < SL_ARCH_COUNT; a++) {
			if (rows[i].number[a] == 0)
				printf(" %6s", "-");
			else
				printf(" %6d", rows[i].number[a]);
		}
		printf("  %-6s %s\n", sl_default_action_name(rows[i].action), rows[i].comment);
	}
	print_rt_row(SL_ARCH_COUNT);
}

int cmd_table(int argc, char **argv)
{
	const char *arch_name = NULL;
	bool all = false;
	int arch = SL_ARCH_X86;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			continue;	/* table takes no operands */
		} else if (!strcmp(argv[i], "--all")) {
			all = true;
		} else if (!strcmp(argv[i], "--arch")) {
			if (cli_option_value("table", argc, argv, &i, "an architecture name", &arch_name) < 0) {
				return 2;
			}
		} else if (!strncmp(argv[i], "--arch=", 7)) {
			arch_name = argv[i] + 7;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			return cli_usage_error("table", usage, "%s '%s'",
					       argv[i][0] == '-' ? "unknown option"
								 : "unexpected argument", argv[i]);
		}
	}
	if (all && arch_name != NULL) {
		fprintf(stderr, "siglab table: --all and --arch cannot be combined\n");
		return 2;
	}
	if (arch_name != NULL && (arch = sl_arch_from_name(arch_name)) < 0) {
		fprintf(stderr, "siglab table: unknown architecture '%s' "
			"(expected x86, arm, alpha, sparc, mips or parisc)\n", arch_name);
		return 2;
	}
	if (all)
		print_all();
	else
		print_one((enum sl_arch)arch);
	return 0;
}

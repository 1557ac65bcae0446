/* siglab fuzz: random differential testing.  Generates random valid
 * scenarios (src/fuzzdiff/), runs each on the model and on the real kernel
 * as `siglab diff` does (diffcore.c), and shrinks each divergence to a
 * minimal scenario written to --out DIR (docs/fuzz-diff.md). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/diffcore.h"
#include "fuzzdiff/fuzzdiff.h"

struct fuzz_opts {
	unsigned long long seed;
	long count;		/* scenarios; 0: no bound but --time */
	double seconds;		/* 0: no bound but --count */
	const char *out;
	size_t budget;		/* oracle calls per shrink */
	bool verbose;
	struct host_options host;
};

struct tally {
	long run, agree, skipped, diverge, flaky, failed, invalid;
};

static void usage(FILE *to)
{
	fprintf(to, "usage: siglab fuzz [--seed N] [--count N] [--time SECONDS] [--out DIR]\n"
		    "                   [--shrink-budget N] [--timeout MS] [--no-trace] [--verbose]\n"
		    "       siglab fuzz --print SEED | --list\n"
		    "  --seed N          the first scenario's seed (default 1); scenario i has seed N+i\n"
		    "  --count N         how many scenarios (default 100; 0: until --time)\n"
		    "  --time SECONDS    stop starting new scenarios after this long\n"
		    "  --out DIR         where divergences go (default fuzz-out): div-SEED.scn (minimal),\n"
		    "                    div-SEED.orig.scn, div-SEED.txt (the diff); flaky-SEED.*\n"
		    "  --shrink-budget N oracle runs per shrink (default 300)\n"
		    "  --print SEED      print the scenario of SEED and exit\n"
		    "  --list            the statements the generator covers, and why not the others\n"
		    "exit status: 0 no divergence, 1 a divergence or a host failure, 2 usage error\n");
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs one scenario text on both sides; the verdict, and the diff's
 * report in *report (malloc'd) when asked. */
static enum diff_outcome judge(const char *text, const struct host_options *o, char **report)
{
	struct scenario *s = NULL;
	struct sc_diag d;
	enum diff_outcome res;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (sc_parse("fuzz.scn", text, strlen(text), &s, &d) < 0)
		return DIFF_ERROR;
	f = open_memstream(&buf, &len);
	if (!f) {
		sc_free(s);
		return DIFF_FAILED;
	}
	res = diff_scenario("fuzz.scn", s, o, false, f);
	fclose(f);
	sc_free(s);
	if (report)
		*report = buf;
	else
		free(buf);
	return res;
}

struct oracle_ud {
	const struct host_options *o;
	enum diff_outcome want;
};

static bool oracle(const char *text, void *ud)
{
	struct oracle_ud *u = ud;

	return !host_interrupted() && judge(text, u->o, NULL) == u->want;
}

static int write_file(const char *dir, const char *name, unsigned long long seed,
		      const char *ext, const char *head, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s-%llu%s", dir, name, seed, ext);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "siglab fuzz: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (head)
		fputs(head, f);
	fputs(text, f);
	fclose(f);
	return 0;
}

/* A report as '#' comment lines. */
static char *commented(const char *what, const char *report)
{
	size_t n = strlen(what) + 3 * strlen(report) + 64;	/* "# " per line */
	char *c = malloc(n), *p = c;

	if (!c)
		return NULL;
	p += sprintf(p, "# %s\n# ", what);
	for (const char *r = report; *r; r++) {
		*p++ = *r;
		if (*r == '\n' && r[1])
			*p++ = '#', *p++ = ' ';
	}
	*p = '\0';
	return c;
}

/* A divergence: confirmed by a second run (else flaky), shrunk, and the
 * minimal scenario run three more times. */
static bool divergence(const struct fuzz_opts *fo, unsigned long long seed,
		       struct fz_scenario *sc, const char *text, enum diff_outcome res,
		       const char *report)
{
	struct oracle_ud u = { &fo->host, res };
	char *again = NULL, *min, *head, *mreport = NULL;
	size_t calls, before = fz_nlines(sc);
	int repro = 0;

	if (judge(text, &fo->host, &again) != res && !host_interrupted()) {
		head = commented("flaky: diverged once, not on the second run", report);
		write_file(fo->out, "flaky", seed, ".scn", head, text);
		printf("seed %llu: flaky (%s/flaky-%llu.scn)\n", seed, fo->out, seed);
		free(head);
		free(again);
		return false;
	}
	free(again);
	write_file(fo->out, "div", seed, ".orig.scn", NULL, text);
	if (host_interrupted())	/* no time to shrink: the scenario as it came */
		return true;
	calls = fz_shrink(sc, oracle, &u, fo->budget);
	if (host_interrupted())
		return true;
	min = fz_render(sc);
	if (!min)
		return true;
	for (int i = 0; i < 3; i++) {
		char *r = NULL;

		if (judge(min, &fo->host, &r) == res)
			repro++;
		if (!mreport)
			mreport = r;
		else
			free(r);
	}
	head = commented("minimised by siglab fuzz; the diff:", mreport ? mreport : "");
	write_file(fo->out, "div", seed, ".scn", head, min);
	write_file(fo->out, "div", seed, ".txt", NULL, mreport ? mreport : report);
	printf("seed %llu: %s, shrunk from %zu to %zu lines in %zu runs, reproduced %d/3: "
	       "%s/div-%llu.scn\n", seed, res == DIFF_DIVERGE ? "DIVERGE" : "host failed",
	       before, fz_nlines(sc), calls, repro, fo->out, seed);
	free(head);
	free(min);
	free(mreport);
	return true;
}

static void one(const struct fuzz_opts *fo, unsigned long long seed, struct tally *t)
{
	struct fz_scenario sc;
	char *text, *report = NULL;
	enum diff_outcome res;

	if (fz_generate(seed, &sc) < 0 || !(text = fz_render(&sc))) {
		t->invalid++;
		return;
	}
	t->run++;
	res = judge(text, &fo->host, &report);
	if (host_interrupted()) {	/* cut short by Ctrl-C: no verdict */
		t->run--;
		free(report);
		free(text);
		fz_free(&sc);
		return;
	}
	if (fo->verbose)
		printf("seed %llu: %s", seed, report ? report : "\n");
	switch (res) {
	case DIFF_AGREE:
		t->agree++;
		break;
	case DIFF_SKIPPED:
		t->skipped++;
		break;
	case DIFF_ERROR:
		t->invalid++;
		break;
	case DIFF_FAILED:	/* shrunk and kept like a divergence */
	case DIFF_DIVERGE:
		if (!divergence(fo, seed, &sc, text, res, report ? report : ""))
			t->flaky++;
		else if (res == DIFF_FAILED)
			t->failed++;
		else
			t->diverge++;
		break;
	}
	free(report);
	free(text);
	fz_free(&sc);
}

static void list_one(const char *keyword, bool covered, const char *why, void *ud)
{
	(void)ud;
	printf("%-18s %s%s%s\n", keyword, covered ? "generated" : "left out",
	       why ? ": " : "", why ? why : "");
}

static int print_seed(const char *arg)
{
	struct fz_scenario sc;
	char *text;

	if (fz_generate(strtoull(arg, NULL, 0), &sc) < 0 || !(text = fz_render(&sc))) {
		fprintf(stderr, "siglab fuzz: no valid scenario for seed %s\n", arg);
		return 1;
	}
	fputs(text, stdout);
	free(text);
	fz_free(&sc);
	return 0;
}

/* The options that take a value. */
static bool value_option(const char *a)
{
	static const char *const names[] = { "--print", "--seed", "--count", "--time", "--out",
					     "--shrink-budget" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(a, names[i]))
			return true;
	return false;
}

/* A number option's value: the whole text a non-negative integer (decimal
 * or 0x hex), or for --time any non-negative decimal number. */
static bool number_arg(const char *opt, const char *v, double *out)
{
	bool frac = !strcmp(opt, "--time");
	char *end;

	errno = 0;
	if (isdigit((unsigned char)v[0])) {
		*out = frac ? strtod(v, &end) : (double)strtoull(v, &end, 0);
		if (!errno && !*end)
			return true;
	}
	fprintf(stderr, "siglab fuzz: %s takes a non-negative %s, not '%s'\n", opt,
		frac ? "number" : "integer", v);
	return false;
}

static int parse_args(int argc, char **argv, struct fuzz_opts *fo)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		double n;
		int shared = cli_host_option("fuzz", argc, argv, &i, &fo->host);

		if (shared < 0)
			return 2;
		if (shared > 0)
			continue;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--"))
			continue;	/* fuzz takes no operands */
		if (!strcmp(a, "--list"))
			return fz_coverage(list_one, NULL) ? 1 : 0;
		if (!value_option(a))
			return cli_usage_error("fuzz", usage, "%s '%s'",
					       a[0] == '-' ? "unknown option" : "unexpected argument", a);
		if (cli_option_value("fuzz", argc, argv, &i, "a value", &v) < 0)
			return 2;
		if (!strcmp(a, "--out"))
			fo->out = v;
		else if (!number_arg(a, v, &n))
			return 2;
		else if (!strcmp(a, "--print"))
			return print_seed(v);
		else if (!strcmp(a, "--seed"))
			fo->seed = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--count"))
			fo->count = (long)n;
		else if (!strcmp(a, "--time"))
			fo->seconds = n;
		else
			fo->budget = (size_t)n;
	}
	return -1;
}

int cmd_fuzz(int argc, char **argv)
{
	struct fuzz_opts fo = { 1, 100, 0, "fuzz-out", 300, false, { .command = "siglab fuzz" } };
	struct tally t = { 0 };
	double start = now(), el;
	int rc = parse_args(argc, argv, &fo);
	long i;

	if (rc >= 0)
		return rc;
	fo.verbose = fo.host.verbose;
	fo.host.verbose = false;
	if (fz_coverage(NULL, NULL)) {
		fprintf(stderr, "siglab fuzz: statements without a generator row: siglab fuzz --list\n");
		return 2;
	}
	if (mkdir(fo.out, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "siglab fuzz: %s: %s\n", fo.out, strerror(errno));
		return 2;
	}
	host_install_interrupt_handlers();
	for (i = 0; (!fo.count || i < fo.count) && !host_interrupted(); i++) {
		if (fo.seconds > 0 && now() - start >= fo.seconds)
			break;
		one(&fo, fo.seed + (unsigned long long)i, &t);
		if ((i + 1) % 100 == 0) {
			printf("fuzz: %ld scenarios, %.0f s\n", i + 1, now() - start);
			fflush(stdout);
		}
	}
	el = now() - start;
	printf("fuzz: seeds %llu..%llu: %ld run, %ld agree, %ld skipped, %ld diverge, %ld flaky, "
	       "%ld host failures, %ld invalid; %.1f s, %.2f scenarios/s\n",
	       fo.seed, fo.seed + (unsigned long long)i - 1, t.run, t.agree, t.skipped, t.diverge,
	       t.flaky, t.failed, t.invalid, el, el > 0 ? (double)t.run / el : 0.0);
	if (host_interrupted()) {
		fprintf(stderr, "siglab fuzz: %s\n", host_interrupt_message());
		return 130;
	}
	return t.diverge || t.failed ? 1 : 0;
}

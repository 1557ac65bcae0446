/* siglab run: a scenario on the model, its trace and its expectations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "explore/explore.h"
#include "sim/sim.h"

static void usage(FILE *to)
{
	fprintf(to, "usage: siglab run [--explain] [--json] [--quiet] [--svg OUT] [--] FILE...\n"
		    "  runs each scenario FILE (- reads standard input) on the model\n"
		    "  --explain  add the kernel rule behind each decision\n"
		    "  --json     one JSON object per line instead of text\n"
		    "  --quiet    print only failed expectations\n"
		    "  --svg OUT  also draw the timeline (one lane per task) into OUT (one FILE\n"
		    "             only; never a .scn file or one of the inputs)\n"
		    "  --         ends the options: what follows are files\n"
		    "exit status: 0 all expectations hold, 1 one failed, 2 scenario or usage\n"
		    "error (the worst over the files)\n"
		    "exists/forall lines are judged by `siglab explore`; run only says whether\n"
		    "this one run satisfies each, which never changes its exit status\n");
}

/* Never write over a scenario: OUT may not end in .scn nor be one of the
 * inputs (the same file by device and inode). */
static bool svg_target_ok(const char *out, char **files, int nfiles)
{
	size_t n = strlen(out);
	struct stat so, si;

	if (n >= 4 && !strcmp(out + n - 4, ".scn")) {
		fprintf(stderr, "siglab run: --svg %s: will not write a timeline into a .scn "
			"file (did you mean --svg OUT.svg FILE?)\n", out);
		return false;
	}
	if (stat(out, &so) != 0)
		return true;
	for (int i = 0; i < nfiles; i++)
		if (stat(files[i], &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
			fprintf(stderr, "siglab run: --svg %s: is the input %s; will not write "
				"over it\n", out, files[i]);
			return false;
		}
	return true;
}

static int write_svg(const char *path, const char *svg)
{
	FILE *f;

	if (!svg) {
		fprintf(stderr, "siglab run: out of memory drawing the timeline\n");
		return -1;
	}
	f = fopen(path, "w");
	if (f) {
		bool bad = fputs(svg, f) == EOF;

		if (fclose(f) == EOF || bad)
			f = NULL;
	}
	if (!f) {
		fprintf(stderr, "siglab run: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

/* exists/forall are about every interleaving (siglab explore); a run is
 * one of them, so it only reports what its own outcome satisfies. */
static void print_conditions(const struct scenario *s, const struct sim_result *r)
{
	for (size_t i = 0; i < s->nchecks && r->atoms; i++)
		printf("%s %s: %s in this run (siglab explore judges every interleaving)\n",
		       s->checks[i].forall ? "forall" : "exists", s->checks[i].source,
		       ex_cond_eval(s, s->checks[i].root, r->atoms) ? "true" : "false");
}

static int run_file(const char *file, const struct sim_options *opt, bool quiet,
		    const char *svg_out)
{
	struct scenario *s = NULL;
	struct sim_result r;
	int status;

	if (cli_load_scenario("run", file, &s) < 0)
		return 2;
	if (sim_run(s, opt, &r) < 0) {
		if (!quiet && r.trace)
			fputs(r.trace, stdout);
		if (r.error)
			fprintf(stderr, "%s:%d:%d: %s\n", file, r.diag.pos.line, r.diag.pos.col,
				r.diag.message);
		else
			fprintf(stderr, "siglab run: out of memory\n");
		sim_result_free(&r);
		sc_free(s);
		return 2;
	}
	if (!quiet)
		fputs(r.trace, stdout);
	if (quiet) {
		for (const char *line = r.report; line && *line;) {
			const char *nl = strchr(line, '\n');
			size_t n = nl ? (size_t)(nl - line + 1) : strlen(line);

			if (memmem(line, n, ": FAILED", 8))
				fwrite(line, 1, n, stdout);
			line += n;
		}
	} else if (!opt->json) {
		fputs(r.report, stdout);
		print_conditions(s, &r);
	}
	status = r.failed ? 1 : 0;
	if (svg_out && write_svg(svg_out, r.svg) < 0)
		status = 2;
	sim_result_free(&r);
	sc_free(s);
	return status;
}

int cmd_run(int argc, char **argv)
{
	struct sim_options opt = { 0 };
	bool quiet = false, options = true;
	const char *svg_out = NULL;
	char **files;
	int nfiles = 0, worst = 0;

	files = calloc((size_t)argc, sizeof *files);
	if (!files) {
		fprintf(stderr, "siglab run: out of memory\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (options && !strcmp(argv[i], "--"))
			options = false;
		else if (options && !strcmp(argv[i], "--explain"))
			opt.explain = true;
		else if (options && !strcmp(argv[i], "--json"))
			opt.json = true;
		else if (options && !strcmp(argv[i], "--quiet"))
			quiet = true;
		else if (options && !strcmp(argv[i], "--svg")) {
			if (cli_option_value("run", argc, argv, &i, "a file to draw the timeline into",
					     &svg_out) < 0)
				goto usage_error;
		} else {
			enum cli_arg a = options ? cli_plain_arg("run", argv[i], usage) : CLI_ARG_FILE;

			if (a != CLI_ARG_FILE) {
				free(files);
				return a == CLI_ARG_HELP ? 0 : 2;
			}
			files[nfiles++] = argv[i];
		}
	}
	if (!nfiles) {
		cli_usage_error("run", usage, "no scenario FILE");
		goto usage_error;
	}
	if (svg_out && nfiles > 1) {
		fprintf(stderr, "siglab run: --svg draws one scenario's timeline; %d files given\n",
			nfiles);
		goto usage_error;
	}
	if (svg_out && !svg_target_ok(svg_out, files, nfiles))
		goto usage_error;
	opt.svg = svg_out != NULL;
	for (int i = 0; i < nfiles; i++) {
		int st;

		if (nfiles > 1 && !opt.json && !quiet)
			printf("%s==> %s <==\n", i ? "\n" : "", files[i]);
		fflush(stdout);
		st = run_file(files[i], &opt, quiet, svg_out);
		if (st > worst)
			worst = st;
	}
	free(files);
	return worst;
usage_error:
	free(files);
	return 2;
}

/* siglab run: a scenario on the model, its trace and its expectations. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "explore/explore.h"
#include "sim/sim.h"

static void usage(FILE *to)
{
	fprintf(to, "usage: siglab run [--explain] [--json] [--quiet] FILE\n"
		    "  --explain  add the kernel rule behind each decision\n"
		    "  --json     one JSON object per line instead of text\n"
		    "  --quiet    print only failed expectations\n"
		    "  --svg OUT  also draw the timeline (one lane per task) into OUT\n"
		    "exit status: 0 all expectations hold, 1 one failed, 2 scenario error\n"
		    "exists/forall lines are judged by `siglab explore`; run only says whether\n"
		    "this one run satisfies each, which never changes its exit status\n");
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

int cmd_run(int argc, char **argv)
{
	struct sim_options opt = { 0 };
	struct scenario *s = NULL;
	struct sim_result r;
	const char *file = NULL;
	bool quiet = false;
	const char *svg_out = NULL;
	int status;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--explain"))
			opt.explain = true;
		else if (!strcmp(argv[i], "--json"))
			opt.json = true;
		else if (!strcmp(argv[i], "--quiet"))
			quiet = true;
		else if (!strcmp(argv[i], "--svg")) {
			if (cli_option_value("run", argc, argv, &i, "a file to draw the timeline into",
					     &svg_out) < 0)
				return 2;
		} else {
			enum cli_arg a = cli_file_arg("run", argv[i], &file, usage);

			if (a != CLI_ARG_FILE)
				return a == CLI_ARG_HELP ? 0 : 2;
		}
	}
	if (cli_load_file_arg(file, usage, &s) < 0)
		return 2;
	opt.svg = svg_out != NULL;
	if (sim_run(s, &opt, &r) < 0) {
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
	} else if (!opt.json) {
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

/* Reading a scenario file for the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "scenario/ast.h"

/* Scenario files are small; anything past the parser's limit is refused,
 * not read. */
#define MAX_SCENARIO_BYTES SC_MAX_SOURCE_BYTES

/* "-" is standard input. */
static int read_file(const char *cmd, const char *path, char **text, size_t *len)
{
	bool in = !strcmp(path, "-");
	FILE *f = in ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "siglab %s: %s: %s\n", cmd, path, strerror(errno));
		return -1;
	}
	errno = 0;
	for (;;) {
		size_t got;

		if (n == cap) {
			char *nb;

			cap = cap ? cap * 2 : 4096;
			if (cap > MAX_SCENARIO_BYTES + 1)
				cap = MAX_SCENARIO_BYTES + 1;
			if (n == cap) {
				fprintf(stderr, "siglab %s: %s: larger than %u bytes "
					"(16 MiB), the most a scenario may be\n", cmd, path,
					MAX_SCENARIO_BYTES);
				goto fail;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				fprintf(stderr, "siglab %s: %s: out of memory\n", cmd, path);
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				fprintf(stderr, "siglab %s: %s: %s\n", cmd, path,
					errno ? strerror(errno) : "read error");
				goto fail;
			}
			break;
		}
	}
	if (!in)
		fclose(f);
	*text = buf;
	*len = n;
	return 0;
fail:
	free(buf);
	if (!in)
		fclose(f);
	return -1;
}

int cli_load_scenario(const char *cmd, const char *path, struct scenario **out)
{
	char *text = NULL;
	size_t len = 0;
	struct sc_diag diag;
	int ret;

	*out = NULL;
	if (read_file(cmd, path, &text, &len) < 0)
		return -1;
	ret = sc_parse(path, text ? text : "", len, out, &diag);
	free(text);
	if (ret < 0) {
		fprintf(stderr, "%s:%d:%d: %s\n", path, diag.pos.line, diag.pos.col, diag.message);
		return -1;
	}
	return 0;
}

int cli_option_value(const char *cmd, int argc, char **argv, int *i, const char *what,
		     const char **out)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "siglab %s: %s needs %s\n", cmd, argv[*i], what);
		return -1;
	}
	*out = argv[++*i];
	return 0;
}

enum cli_arg cli_plain_arg(const char *cmd, const char *arg, void (*usage)(FILE *))
{
	if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
		usage(stdout);
		return CLI_ARG_HELP;
	}
	if (arg[0] == '-' && arg[1]) {
		fprintf(stderr, "siglab %s: unknown option '%s'\n", cmd, arg);
		usage(stderr);
		return CLI_ARG_BAD;
	}
	return CLI_ARG_FILE;
}

enum cli_arg cli_file_arg(const char *cmd, const char *arg, const char **file,
			  void (*usage)(FILE *))
{
	enum cli_arg a = cli_plain_arg(cmd, arg, usage);

	if (a != CLI_ARG_FILE)
		return a;
	if (*file) {
		fprintf(stderr, "siglab %s: one scenario at a time\n", cmd);
		return CLI_ARG_BAD;
	}
	*file = arg;
	return CLI_ARG_FILE;
}

int cli_load_file_arg(const char *cmd, const char *file, void (*usage)(FILE *),
		      struct scenario **out)
{
	if (!file) {
		cli_usage_error(cmd, usage, "no scenario FILE");
		return -1;
	}
	return cli_load_scenario(cmd, file, out);
}

int cli_usage_error(const char *cmd, void (*usage)(FILE *), const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "siglab %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (usage)
		usage(stderr);
	return 2;
}

/*
 * Random differential testing (`siglab fuzz`): random valid scenarios over
 * the scenario language (gen.c, its table of statement generators in
 * gen_stmt.c), and the shrinking of a scenario that diverges to a minimal
 * one (shrink.c).  Neither runs the host: the caller passes the oracle.
 * See docs/fuzz-diff.md.
 */
#ifndef SIGLAB_FUZZDIFF_FUZZDIFF_H
#define SIGLAB_FUZZDIFF_FUZZDIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A scenario as lines, in sections that are written in this order; every
 * line is one line of text (a handler's body is written on its line). */
enum fz_section { FZ_HEAD, FZ_DECL, FZ_HANDLER, FZ_STEP, FZ_NSECT };

struct fz_lines {
	char **v;
	size_t n, cap;
};

struct fz_scenario {
	struct fz_lines sect[FZ_NSECT];
};

/* The generator's random numbers: splitmix64, so that a seed gives the
 * same scenario on every machine. */
struct fz_rng {
	uint64_t s;
};
uint64_t fz_next(struct fz_rng *r);
/* A number in [0, n) (n > 0). */
unsigned fz_below(struct fz_rng *r, unsigned n);

/* Generates the scenario of `seed` and keeps only the steps the model runs
 * without a scenario error (a step for a blocked task, ...).  0, or -1 when
 * out of memory or when no valid scenario came out. */
int fz_generate(uint64_t seed, struct fz_scenario *out);

/* The text of `s` (malloc'd), and its number of lines. */
char *fz_render(const struct fz_scenario *s);
size_t fz_nlines(const struct fz_scenario *s);
/* Removes the line numbered `line` (1-based, as fz_render numbers them). */
void fz_remove_line(struct fz_scenario *s, size_t line);
int fz_push(struct fz_lines *l, const char *text);
void fz_free(struct fz_scenario *s);
int fz_copy(struct fz_scenario *dst, const struct fz_scenario *src);

/* Statements the generator covers and those it leaves out, with why, for
 * `siglab fuzz --list`: calls fn once per statement of stmt_table.def.
 * Returns the number of statements with neither a generator nor a reason
 * (a statement added to the language that the generator does not know). */
int fz_coverage(void (*fn)(const char *keyword, bool covered, const char *why, void *ud),
		void *ud);

/* Whether the text diverges (the oracle: model against host). */
typedef bool (*fz_oracle)(const char *text, void *ud);

/* Shrinks `s`, which the oracle says diverges, to a scenario that still
 * diverges and from which no step, declaration, handler or argument can
 * be removed without losing the divergence (delta debugging: steps, then
 * declarations, then arguments).  Returns the number of oracle calls. */
size_t fz_shrink(struct fz_scenario *s, fz_oracle diverges, void *ud, size_t budget);

#endif

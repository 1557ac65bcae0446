/* The timeline picture of a run: one lane per task, an arrow per
 * generated signal, a box per handler run, shading while stopped. */
#ifndef SIGLAB_SIM_SVG_H
#define SIGLAB_SIM_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario/ast.h"

/* One line of the trace, as the runner printed it. */
struct tl_line {
	int step;		/* > 0 for a step line */
	int task;		/* scenario task index, or -1 */
	int depth;		/* handler frames below */
	char kind[16];		/* "step", "generate", "deliver", "handler", ... */
	char *text;		/* the line's text (owned) */
	bool has_mask;		/* blocked below is the task's mask */
	uint64_t blocked;	/* the task's blocked mask after the line */
};

/* The SVG document for these lines (malloc'd), or NULL when out of memory. */
char *tl_render_svg(const struct scenario *s, const struct tl_line *lines, size_t n);

#endif

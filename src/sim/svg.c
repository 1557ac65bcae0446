/* The timeline picture of a run (SVG).  Time runs left to right, one
 * column per trace line; each task has a lane.  A generated signal is an
 * arrow from the sender's lane to the target's, coloured by the
 * tracepoint's result; a handler run is a box on its task's lane, nested
 * handlers stacked inside; a stopped task's lane is shaded; a death is a
 * cross with how the task died. */
#include <stdlib.h>
#include <string.h>

#include "scenario/strbuf.h"
#include "sim/svg.h"

#define LANE_H 56
#define COL_W 22
#define LEFT 110
#define TOP 46

static const char *result_colour(const char *text)
{
	const char *r = strstr(text, " res=");

	switch (r ? r[5] : '0') {
	case '1':
		return "#9a9a9a";	/* ignored */
	case '2':
		return "#e08a00";	/* already pending */
	case '3':
		return "#d0021b";	/* overflow: failed */
	case '4':
		return "#8b5cf6";	/* info lost */
	default:
		return "#1f4e9c";	/* queued */
	}
}

static void xml_text(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			sb_add(b, "&lt;");
			break;
		case '>':
			sb_add(b, "&gt;");
			break;
		case '&':
			sb_add(b, "&amp;");
			break;
		case '"':
			sb_add(b, "&quot;");
			break;
		default:
			sb_addf(b, "%c", *s);
		}
	}
}

/* The value of "key=" in a tracepoint line, copied into buf. */
static const char *field(const char *text, const char *key, char *buf, size_t n)
{
	const char *p = strstr(text, key);
	size_t i = 0;

	if (!p)
		return NULL;
	p += strlen(key);
	while (p[i] && p[i] != ' ' && i + 1 < n) {
		buf[i] = p[i];
		i++;
	}
	buf[i] = 0;
	return buf;
}

static int task_index(const struct scenario *s, const char *name)
{
	for (size_t i = 0; i < s->ntasks; i++)
		if (!strcmp(s->tasks[i].name, name))
			return (int)i;
	return -1;
}

static int lane_y(int task)
{
	return TOP + task * LANE_H + LANE_H / 2;
}

/* An open handler box: where it started. */
struct open_box {
	int col;
	int depth;
	char name[32];
};

static void draw_box(struct strbuf *b, int task, const struct open_box *o, int col_end)
{
	int x0 = LEFT + o->col * COL_W + 4, x1 = LEFT + col_end * COL_W + COL_W - 4;
	int inset = 4 + 4 * o->depth;
	int y0 = TOP + task * LANE_H + inset, h = LANE_H - 2 * inset;

	if (h < 6)
		h = 6;
	sb_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" "
		   "fill=\"#fff4c2\" fill-opacity=\"0.75\" stroke=\"#c9a100\"/>\n",
		x0, y0, x1 > x0 ? x1 - x0 : 8, h);
	sb_addf(b, "<text x=\"%d\" y=\"%d\" class=\"small\">", x0 + 3, y0 + 10);
	xml_text(b, o->name);
	sb_add(b, "</text>\n");
}

struct lanes {
	struct open_box (*boxes)[16];	/* per task, a stack of open boxes */
	int *nboxes;
	int *stopped_at;		/* column where the task stopped, or -1 */
};

static void draw_event(struct strbuf *b, const struct scenario *s, struct lanes *ln,
		       const struct tl_line *l, int col)
{
	int x = LEFT + col * COL_W + COL_W / 2, y = lane_y(l->task);
	char buf[64];

	if (!strcmp(l->kind, "generate")) {
		int to = task_index(s, field(l->text, "comm=", buf, sizeof buf) ? buf : "");
		const char *colour = result_colour(l->text);
		char sig[16];
		const char *signame;

		field(l->text, "sig=", sig, sizeof sig);
		signame = sl_signal_name(atoi(sig));
		if (to < 0)
			return;
		if (to == l->task)
			sb_addf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"7\" fill=\"none\" stroke=\"%s\"/>\n",
				x, y - 10, colour);
		else
			sb_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
				   "stroke-width=\"1.6\" marker-end=\"url(#arrow)\"/>\n",
				x, y, x, lane_y(to) + (to > l->task ? -6 : 6), colour);
		sb_addf(b, "<text x=\"%d\" y=\"%d\" class=\"small\" fill=\"%s\">%s</text>\n",
			x + 3, y - 4, colour, signame ? signame + 3 : sig);
	} else if (!strcmp(l->kind, "deliver")) {
		sb_addf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"3.5\" fill=\"#1f4e9c\"/>\n", x, y + 12);
	} else if (!strcmp(l->kind, "handler") && ln->nboxes[l->task] < 16) {
		struct open_box *o = &ln->boxes[l->task][ln->nboxes[l->task]++];
		const char *sp = strchr(l->text + 8, ' ');
		size_t n = sp ? (size_t)(sp - (l->text + 8)) : strlen(l->text + 8);

		o->col = col;
		o->depth = l->depth;
		if (n >= sizeof o->name)
			n = sizeof o->name - 1;
		memcpy(o->name, l->text + 8, n);
		o->name[n] = 0;
	} else if (!strcmp(l->kind, "sigreturn") || !strcmp(l->kind, "longjmp")) {
		int close = !strcmp(l->kind, "longjmp") ? ln->nboxes[l->task] : 1;

		while (close-- > 0 && ln->nboxes[l->task] > 0) {
			ln->nboxes[l->task]--;
			draw_box(b, l->task, &ln->boxes[l->task][ln->nboxes[l->task]], col);
		}
	} else if (!strcmp(l->kind, "stop")) {
		ln->stopped_at[l->task] = col;
	} else if (!strcmp(l->kind, "continue") && ln->stopped_at[l->task] >= 0) {
		int x0 = LEFT + ln->stopped_at[l->task] * COL_W;

		sb_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#cfd8e3\" "
			   "fill-opacity=\"0.6\"/>\n", x0, y - LANE_H / 2 + 2, x - x0, LANE_H - 4);
		ln->stopped_at[l->task] = -1;
	} else if (!strcmp(l->kind, "exit") || !strcmp(l->kind, "oops")) {
		while (ln->nboxes[l->task] > 0) {
			ln->nboxes[l->task]--;
			draw_box(b, l->task, &ln->boxes[l->task][ln->nboxes[l->task]], col);
		}
		sb_addf(b, "<path d=\"M%d %d l10 10 M%d %d l-10 10\" stroke=\"#b00020\" "
			   "stroke-width=\"2.5\"/>\n", x - 5, y - 5, x + 5, y - 5);
		sb_addf(b, "<text x=\"%d\" y=\"%d\" class=\"small\" fill=\"#b00020\">", x + 8, y + 18);
		xml_text(b, l->text);
		sb_add(b, "</text>\n");
	}
}

char *tl_render_svg(const struct scenario *s, const struct tl_line *lines, size_t n)
{
	struct strbuf b = { 0 };
	struct lanes ln;
	size_t nt = s->ntasks ? s->ntasks : 1;
	int width = LEFT + (int)n * COL_W + 160 < 900 ? 900 : LEFT + (int)n * COL_W + 160;
	int height = TOP + (int)s->ntasks * LANE_H + 30;

	ln.boxes = calloc(nt, sizeof *ln.boxes);
	ln.nboxes = calloc(nt, sizeof *ln.nboxes);
	ln.stopped_at = malloc(nt * sizeof *ln.stopped_at);
	if (!ln.boxes || !ln.nboxes || !ln.stopped_at) {
		free(ln.boxes);
		free(ln.nboxes);
		free(ln.stopped_at);
		return NULL;
	}
	for (size_t i = 0; i < nt; i++)
		ln.stopped_at[i] = -1;
	sb_addf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		    "viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"12\">\n",
		width, height, width, height);
	sb_add(&b, "<style>.small{font-size:9px}.step{font-size:10px;fill:#555}</style>\n"
		   "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
		   "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
		   "<path d=\"M0 0 L10 5 L0 10 z\" fill=\"context-stroke\"/></marker></defs>\n"
		   "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
	sb_add(&b, "<text x=\"8\" y=\"18\" font-weight=\"bold\">");
	xml_text(&b, s->name ? s->name : "");
	sb_add(&b, "</text>\n");
	for (size_t i = 0; i < s->ntasks; i++) {
		int y = lane_y((int)i);

		sb_addf(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>\n",
			LEFT, y, width - 20, y);
		sb_addf(&b, "<text x=\"8\" y=\"%d\">", y + 4);
		xml_text(&b, s->tasks[i].name);
		sb_add(&b, "</text>\n");
	}
	for (size_t i = 0; i < n; i++) {
		const struct tl_line *l = &lines[i];

		if (l->step > 0) {
			int x = LEFT + (int)i * COL_W;

			sb_addf(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbb\" "
				    "stroke-dasharray=\"3 3\"/>\n", x, TOP - 8, x, height - 24);
			sb_addf(&b, "<text x=\"%d\" y=\"%d\" class=\"step\">%d</text>\n", x + 2,
				TOP - 12, l->step);
			if (l->task >= 0)
				sb_addf(&b, "<rect x=\"%d\" y=\"%d\" width=\"6\" height=\"6\" fill=\"#555\"/>\n",
					x + COL_W / 2 - 3, lane_y(l->task) - 3);
			continue;
		}
		if (l->task >= 0)
			draw_event(&b, s, &ln, l, (int)i);
	}
	sb_addf(&b, "<text x=\"8\" y=\"%d\" class=\"small\">arrows: signal_generate "
		    "(blue queued, grey ignored, orange already pending, red failed, violet info lost); "
		    "yellow boxes: handler runs; shading: stopped</text>\n</svg>\n", height - 8);
	free(ln.boxes);
	free(ln.nboxes);
	free(ln.stopped_at);
	if (b.oom) {
		sb_free(&b);
		return NULL;
	}
	return sb_take(&b);
}

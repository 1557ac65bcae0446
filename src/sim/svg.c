/* The timeline picture of a run (SVG).  Time runs left to right, one
 * column per trace line; each task has a lane.  A generated signal is an
 * arrow from the sender's lane to the target's, coloured by the
 * tracepoint's result, named by a label along it (vertical, so that
 * neighbours never overlap); a delivery is a dot; a handler run is a box
 * on its task's lane named by its handler and signal, nested handlers
 * inset inside; a sleep in a system call is a dashed bar ending in the
 * call's result (EINTR in red) or in a restart mark where a handler ran
 * and the call went on; a stopped task's lane is shaded; the blocked mask
 * is a red band under the lane, named where it changes; a death is a
 * cross with how the task died.  A legend under the lanes shows each
 * mark. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/strbuf.h"
#include "sim/svg.h"

#define LANE_H 80
/* Below a lane's centre: a sleep's bar, and the blocked mask's band. */
#define SLEEP_DY 14
#define MASK_DY 32
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
	char name[40];
};

static void draw_box(struct strbuf *b, int task, const struct open_box *o, int col_end)
{
	int x0 = LEFT + o->col * COL_W + 4 + 2 * o->depth;
	int x1 = LEFT + col_end * COL_W + COL_W - 4 - 2 * o->depth;
	/* the lane's upper part, nested boxes inset inside the outer ones */
	int y0 = TOP + task * LANE_H + 4 + 5 * o->depth, h = LANE_H / 2 + 6 - 10 * o->depth;

	if (h < 8)
		h = 8;
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
	int *sleep_at;			/* column where its blocking call began, or -1 */
	int *mask_at;			/* column where its current mask began */
	int *label_end;			/* x where its last mask label ends */
	uint64_t *mask;			/* its blocked mask, as last drawn */
};

/* A set as short names ("USR1,RTMIN+1"), cut with "..." when long. */
static void set_names(uint64_t set, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = 0;
	for (int sig = 1; sig <= SL_NSIG && len + 12 < cap; sig++)
		if (set & ((uint64_t)1 << (sig - 1)))
			len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? "," : "",
						sl_signal_name(sig) + 3);
	if (len + 12 >= cap && cap > 4)
		memcpy(buf + cap - 4, "...", 4);
}

/* A sleep in a system call: a dashed bar under the lane. */
static void draw_sleep(struct strbuf *b, int task, int c0, int c1)
{
	int x0 = LEFT + c0 * COL_W + COL_W / 2 + 5, x1 = LEFT + c1 * COL_W + COL_W / 2;
	int y = lane_y(task) + SLEEP_DY;

	sb_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#6b7280\" "
		   "stroke-width=\"3\" stroke-dasharray=\"4 3\"/>\n", x0, y, x1 > x0 ? x1 : x0 + 4, y);
}

/* The end of a sleep: EINTR in red, any other result as a grey tick. */
static void draw_return(struct strbuf *b, int task, int col, const char *text)
{
	int x = LEFT + col * COL_W + COL_W / 2, y = lane_y(task) + SLEEP_DY;

	if (strstr(text, "EINTR"))
		sb_addf(b, "<text x=\"%d\" y=\"%d\" class=\"small\" fill=\"#b00020\" "
			   "font-weight=\"bold\">EINTR</text>\n", x + 3, y + 4);
	else
		sb_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#374151\" "
			   "stroke-width=\"2\"/>\n", x, y - 5, x, y + 5);
}

/* A handler ran and the interrupted call went on (restarted). */
static void draw_restart(struct strbuf *b, int task, int col)
{
	int x = LEFT + col * COL_W + COL_W / 2, y = lane_y(task) + SLEEP_DY;

	sb_addf(b, "<text x=\"%d\" y=\"%d\" class=\"small\" fill=\"#047857\" "
		   "font-weight=\"bold\">restart</text>\n", x - 14, y - 4);
}

/* The blocked mask from column c0 to c1: a red band along the lane's
 * bottom. */
static void draw_mask_band(struct strbuf *b, int task, int c0, int c1)
{
	int x0 = LEFT + c0 * COL_W + COL_W / 2, x1 = LEFT + c1 * COL_W + COL_W / 2;

	sb_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"3\" fill=\"#dc2626\" "
		   "fill-opacity=\"0.55\"/>\n", x0, lane_y(task) + MASK_DY,
		x1 > x0 ? x1 - x0 : 3);
}

/* Line l changed (or first showed) its task's blocked mask. */
static void mask_change(struct strbuf *b, struct lanes *ln, const struct tl_line *l, int col)
{
	int t = l->task, x;
	char names[96];

	if (!l->has_mask || l->blocked == ln->mask[t])
		return;
	if (ln->mask[t])
		draw_mask_band(b, t, ln->mask_at[t], col);
	ln->mask[t] = l->blocked;
	ln->mask_at[t] = col;
	set_names(l->blocked, names, sizeof names);
	/* a label only where it does not run into the one before: the band
	 * shows every change */
	x = LEFT + col * COL_W + COL_W / 2 - 2;
	if (x < ln->label_end[t])
		return;
	ln->label_end[t] = x + 6 * (int)(strlen(names) + 9);
	sb_addf(b, "<text x=\"%d\" y=\"%d\" class=\"small\" fill=\"#b91c1c\">blocked %s</text>\n",
		x, lane_y(t) + MASK_DY - 2, l->blocked ? names : "-");
}

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
				x + 4, y, x + 4, lane_y(to) + (to > l->task ? -6 : 6), colour);
		/* along the arrow, read bottom to top: a column is narrower
		 * than a name, so horizontal labels would overlap */
		{
			int ly = to == l->task ? y - 18 : (y + lane_y(to)) / 2 + 14;

			sb_addf(b, "<text x=\"%d\" y=\"%d\" class=\"small\" fill=\"%s\" "
				   "transform=\"rotate(-90 %d %d)\">%s</text>\n", x - 2, ly, colour,
				x - 2, ly, signame ? signame + 3 : sig);
		}
	} else if (!strcmp(l->kind, "deliver")) {
		sb_addf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"3.5\" fill=\"#1f4e9c\"/>\n", x, y + 6);
	} else if (!strcmp(l->kind, "handler") && ln->nboxes[l->task] < 16) {
		struct open_box *o = &ln->boxes[l->task][ln->nboxes[l->task]++];
		const char *sp = strchr(l->text + 8, ' ');
		size_t n = sp ? (size_t)(sp - (l->text + 8)) : strlen(l->text + 8);
		const char *hsig = field(l->text, "sig=", buf, sizeof buf) ?
					   sl_signal_name(atoi(buf)) : NULL;

		o->col = col;
		o->depth = l->depth;
		if (n >= sizeof o->name - 14)
			n = sizeof o->name - 14;
		memcpy(o->name, l->text + 8, n);
		o->name[n] = 0;
		/* the box says which signal's handler it is */
		if (hsig)
			snprintf(o->name + n, sizeof o->name - n, " %s", hsig + 3);
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
	} else if (!strcmp(l->kind, "return") && ln->sleep_at[l->task] >= 0) {
		draw_sleep(b, l->task, ln->sleep_at[l->task], col);
		draw_return(b, l->task, col, l->text);
		ln->sleep_at[l->task] = -1;
	} else if (!strcmp(l->kind, "exit") || !strcmp(l->kind, "oops")) {
		if (ln->sleep_at[l->task] >= 0)
			draw_sleep(b, l->task, ln->sleep_at[l->task], col);
		ln->sleep_at[l->task] = -1;
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

static void lanes_free(struct lanes *ln)
{
	free(ln->boxes);
	free(ln->nboxes);
	free(ln->stopped_at);
	free(ln->sleep_at);
	free(ln->mask_at);
	free(ln->label_end);
	free(ln->mask);
}

/* Whether the call a handler interrupted returns as the handler returns
 * (EINTR, or a value), rather than going on sleeping (restarted): its
 * task's next line is its return, before the next step begins. */
static bool returns_next(const struct tl_line *lines, size_t n, size_t i, int task)
{
	for (size_t j = i + 1; j < n; j++) {
		if (lines[j].step > 0)
			return false;
		if (lines[j].task == task)
			return !strcmp(lines[j].kind, "return");
	}
	return false;
}

/* The legend: every mark the picture uses. */
static void legend(struct strbuf *b, int y)
{
	static const struct { const char *colour, *what; } arrows[] = {
		{ "#1f4e9c", "queued" }, { "#9a9a9a", "ignored" }, { "#e08a00", "already pending" },
		{ "#d0021b", "failed" }, { "#8b5cf6", "info lost" },
	};
	int x = 8;

	sb_addf(b, "<text x=\"%d\" y=\"%d\" class=\"small\">signal_generate:</text>\n", x, y);
	x += 100;
	for (size_t i = 0; i < sizeof arrows / sizeof arrows[0]; i++) {
		sb_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
			   "stroke-width=\"1.6\" marker-end=\"url(#arrow)\"/>"
			   "<text x=\"%d\" y=\"%d\" class=\"small\">%s</text>\n",
			x, y - 3, x + 16, y - 3, arrows[i].colour, x + 20, y, arrows[i].what);
		x += 34 + 6 * (int)strlen(arrows[i].what);
	}
	y += 16;
	x = 8;
	sb_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"6\" height=\"6\" fill=\"#555\"/>"
		   "<text x=\"%d\" y=\"%d\" class=\"small\">step</text>\n", x, y - 7, x + 10, y);
	x += 44;
	sb_addf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"3.5\" fill=\"#1f4e9c\"/>"
		   "<text x=\"%d\" y=\"%d\" class=\"small\">signal_deliver</text>\n", x + 3, y - 4,
		x + 10, y);
	x += 100;
	sb_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"22\" height=\"10\" rx=\"3\" fill=\"#fff4c2\" "
		   "stroke=\"#c9a100\"/><text x=\"%d\" y=\"%d\" class=\"small\">handler (name, "
		   "signal; nested inset)</text>\n", x, y - 9, x + 26, y);
	x += 252;
	sb_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#6b7280\" "
		   "stroke-width=\"3\" stroke-dasharray=\"4 3\"/><text x=\"%d\" y=\"%d\" "
		   "class=\"small\">asleep in a call, then its result | </text>"
		   "<text x=\"%d\" y=\"%d\" class=\"small\" fill=\"#b00020\" font-weight=\"bold\">EINTR"
		   "</text><text x=\"%d\" y=\"%d\" class=\"small\" fill=\"#047857\" "
		   "font-weight=\"bold\">restart</text>\n", x, y - 4, x + 22, y - 4, x + 26, y,
		x + 232, y, x + 268, y);
	x += 320;
	sb_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"22\" height=\"10\" fill=\"#cfd8e3\"/>"
		   "<text x=\"%d\" y=\"%d\" class=\"small\">stopped</text>\n", x, y - 9, x + 26, y);
	x += 74;
	sb_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"22\" height=\"3\" fill=\"#dc2626\" "
		   "fill-opacity=\"0.55\"/><text x=\"%d\" y=\"%d\" class=\"small\">blocked mask"
		   "</text>\n", x, y - 5, x + 26, y);
	x += 96;
	sb_addf(b, "<path d=\"M%d %d l8 8 M%d %d l-8 8\" stroke=\"#b00020\" stroke-width=\"2\"/>"
		   "<text x=\"%d\" y=\"%d\" class=\"small\">exit</text>\n", x, y - 9, x + 8, y - 9,
		x + 12, y);
}

char *tl_render_svg(const struct scenario *s, const struct tl_line *lines, size_t n)
{
	struct strbuf b = { 0 };
	struct lanes ln;
	size_t nt = s->ntasks ? s->ntasks : 1;
	int width = LEFT + (int)n * COL_W + 160 < 1160 ? 1160 : LEFT + (int)n * COL_W + 160;
	int height = TOP + (int)s->ntasks * LANE_H + 64;

	ln.boxes = calloc(nt, sizeof *ln.boxes);
	ln.nboxes = calloc(nt, sizeof *ln.nboxes);
	ln.stopped_at = malloc(nt * sizeof *ln.stopped_at);
	ln.sleep_at = malloc(nt * sizeof *ln.sleep_at);
	ln.mask_at = calloc(nt, sizeof *ln.mask_at);
	ln.label_end = calloc(nt, sizeof *ln.label_end);
	ln.mask = calloc(nt, sizeof *ln.mask);
	if (!ln.boxes || !ln.nboxes || !ln.stopped_at || !ln.sleep_at || !ln.mask_at ||
	    !ln.label_end || !ln.mask) {
		lanes_free(&ln);
		return NULL;
	}
	for (size_t i = 0; i < nt; i++)
		ln.stopped_at[i] = ln.sleep_at[i] = -1;
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
			if (l->task >= 0) {
				size_t len = strlen(l->text);

				sb_addf(&b, "<rect x=\"%d\" y=\"%d\" width=\"6\" height=\"6\" fill=\"#555\"/>\n",
					x + COL_W / 2 - 3, lane_y(l->task) - 3);
				/* "call(...) ...": the task sleeps in it */
				if (len > 4 && !strcmp(l->text + len - 4, " ..."))
					ln.sleep_at[l->task] = (int)i;
				mask_change(&b, &ln, l, (int)i);
			}
			continue;
		}
		if (l->task < 0)
			continue;
		draw_event(&b, s, &ln, l, (int)i);
		if (!strcmp(l->kind, "sigreturn") && l->depth == 0 && ln.sleep_at[l->task] >= 0 &&
		    !returns_next(lines, n, i, l->task))
			draw_restart(&b, l->task, (int)i);
		mask_change(&b, &ln, l, (int)i);
	}
	for (size_t t = 0; t < s->ntasks; t++) {
		if (ln.mask[t])
			draw_mask_band(&b, (int)t, ln.mask_at[t], n ? (int)n - 1 : 0);
		if (ln.sleep_at[t] >= 0)
			draw_sleep(&b, (int)t, ln.sleep_at[t], n ? (int)n : 0);
	}
	legend(&b, height - 28);
	sb_add(&b, "</svg>\n");
	lanes_free(&ln);
	if (b.oom) {
		sb_free(&b);
		return NULL;
	}
	return sb_take(&b);
}

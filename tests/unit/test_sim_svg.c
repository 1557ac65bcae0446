/* The timeline picture: one lane per task, a box per handler run, an
 * arrow per generated signal, a cross per death. */
#include <criterion/criterion.h>
#include <string.h>

#include "scenario/ast.h"
#include "sim/sim.h"

static const char scn[] =
	"scenario pic\n"
	"process a\n"
	"process b\n"
	"handler h { log \"x\" }\n"
	"a: sigaction SIGUSR1 h\n"
	"b: kill a SIGUSR1\n"
	"b: kill a SIGTERM\n";

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

Test(sim_svg, draws_lanes_arrows_handler_boxes_and_deaths)
{
	struct scenario *s;
	struct sc_diag d;
	struct sim_options opt = { .svg = true };
	struct sim_result r;

	cr_assert_eq(sc_parse("pic.scn", scn, sizeof scn - 1, &s, &d), 0, "%s", d.message);
	cr_assert_eq(sim_run(s, &opt, &r), 0);
	cr_assert_not_null(r.svg);
	cr_assert(strstr(r.svg, "<svg") == r.svg);
	cr_assert_not_null(strstr(r.svg, "</svg>"));
	cr_assert_not_null(strstr(r.svg, ">a</text>"));
	cr_assert_not_null(strstr(r.svg, ">b</text>"));
	/* two kills from b to a: two arrows (and the legend's five) */
	cr_assert_eq(count(r.svg, "marker-end=\"url(#arrow)\""), 2 + 5);
	/* one handler run: one box labelled h SIGUSR1 (and the legend's) */
	cr_assert_eq(count(r.svg, "fill=\"#fff4c2\""), 1 + 1);
	cr_assert_not_null(strstr(r.svg, ">h USR1</text>"));
	cr_assert_not_null(strstr(r.svg, "killed SIGTERM"));
	sim_result_free(&r);
	sc_free(s);
}

Test(sim_svg, nothing_drawn_unless_asked)
{
	struct scenario *s;
	struct sc_diag d;
	struct sim_result r;

	cr_assert_eq(sc_parse("pic.scn", scn, sizeof scn - 1, &s, &d), 0);
	cr_assert_eq(sim_run(s, NULL, &r), 0);
	cr_assert_null(r.svg);
	sim_result_free(&r);
	sc_free(s);
}

/* The marks of a run with sleeps: a read restarted after an SA_RESTART
 * handler, a pause ended by EINTR, a blocked mask, each handler box named
 * by its signal, labels along the arrows, and the legend. */
static const char sleeps[] =
	"scenario sleeps\n"
	"process r\nprocess w\n"
	"handler h { log \"h\" }\n"
	"r: sigaction SIGUSR1 h flags=SA_RESTART\n"
	"r: sigaction SIGUSR2 h\n"
	"r: sigprocmask block {SIGINT}\n"
	"r: read p\n"
	"w: kill r SIGUSR1\n"
	"w: write p \"x\"\n"
	"r: pause\n"
	"w: kill r SIGUSR2\n";

Test(sim_svg, sleeps_restarts_eintr_masks_and_legend)
{
	struct scenario *s;
	struct sc_diag d;
	struct sim_result r;
	struct sim_options opt = { .svg = true };

	cr_assert_eq(sc_parse("s.scn", sleeps, sizeof sleeps - 1, &s, &d), 0, "%s", d.message);
	cr_assert_eq(sim_run(s, &opt, &r), 0);
	cr_assert_not_null(r.svg);
	cr_assert_eq(count(r.svg, "stroke-dasharray=\"4 3\""), 3, "two sleeps and the legend's");
	cr_assert_eq(count(r.svg, ">restart</text>"), 2, "the read's restart and the legend's");
	cr_assert_eq(count(r.svg, ">EINTR</text>"), 2, "the pause's EINTR and the legend's");
	cr_assert_not_null(strstr(r.svg, ">h USR1</text>"));
	cr_assert_not_null(strstr(r.svg, ">h USR2</text>"));
	cr_assert_not_null(strstr(r.svg, ">blocked INT</text>"));
	cr_assert_not_null(strstr(r.svg, "transform=\"rotate(-90"));
	cr_assert_not_null(strstr(r.svg, ">blocked mask</text>"));
	cr_assert_not_null(strstr(r.svg, ">signal_deliver</text>"));
	sim_result_free(&r);
	sc_free(s);
}

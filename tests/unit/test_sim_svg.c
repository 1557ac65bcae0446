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
	/* two kills from b to a: two arrows */
	cr_assert_eq(count(r.svg, "marker-end=\"url(#arrow)\""), 2);
	/* one handler run: one box labelled h */
	cr_assert_eq(count(r.svg, "fill=\"#fff4c2\""), 1);
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

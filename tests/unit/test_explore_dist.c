/* The distributed search (src/explore/dist.c) without MPI: its ranks are
 * threads of this process, talking through a communicator of barriers
 * (what siglab-mpi does with MPI_Alltoallv and MPI_Allreduce), so that
 * the sanitizers see every rank.  Rank 0's report must be the serial
 * search's, byte for byte. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "helpers.h"
#include "random_scenario.h"

#define MAX_RANKS 4

/* What the ranks of one search share. */
struct threads {
	int size;
	pthread_barrier_t bar;
	const unsigned char *out[MAX_RANKS];
	const size_t *n[MAX_RANKS];
	const uint64_t *v[MAX_RANKS];
};

struct rank {
	struct threads *t;
	struct ex_comm comm;
	const struct scenario *s;
	struct ex_result r;
	int rc;
	char *report;		/* rank 0's */
};

static int t_exchange(void *ud, const unsigned char *out, const size_t *n, unsigned char **in,
		      size_t *inlen)
{
	struct rank *me = ud;
	struct threads *t = me->t;
	int r0 = me->comm.rank;
	size_t len = 0;

	t->out[r0] = out;
	t->n[r0] = n;
	pthread_barrier_wait(&t->bar);
	for (int r = 0; r < t->size; r++)
		len += t->n[r][r0];
	*in = malloc(len + 1);
	cr_assert_not_null(*in);
	*inlen = 0;
	for (int r = 0; r < t->size; r++) {
		size_t at = 0;

		for (int k = 0; k < r0; k++)
			at += t->n[r][k];
		memcpy(*in + *inlen, t->out[r] + at, t->n[r][r0]);
		*inlen += t->n[r][r0];
	}
	pthread_barrier_wait(&t->bar);
	return 0;
}

static int t_sum(void *ud, uint64_t *v, size_t n)
{
	struct rank *me = ud;
	struct threads *t = me->t;
	uint64_t *tot = calloc(n + 1, sizeof *tot);

	cr_assert_not_null(tot);
	t->v[me->comm.rank] = v;
	pthread_barrier_wait(&t->bar);
	for (int r = 0; r < t->size; r++)
		for (size_t i = 0; i < n; i++)
			tot[i] += t->v[r][i];
	pthread_barrier_wait(&t->bar);
	memcpy(v, tot, n * sizeof *v);
	free(tot);
	return 0;
}

/* The whole report, or the error and its interleaving. */
static char *report_text(const struct scenario *s, int rc, struct ex_result *r)
{
	struct strbuf b = { 0 };

	if (rc < 0) {
		cr_assert(r->error);
		sb_addf(&b, "%d:%d: %s in %s", r->diag.pos.line, r->diag.pos.col, r->diag.message,
			r->error_witness ? r->error_witness : "?");
	} else {
		ex_report(&b, s, r, false);
	}
	return sb_take(&b);
}

static void *rank_main(void *arg)
{
	struct rank *me = arg;
	struct ex_options opt = { .comm = &me->comm };

	me->rc = ex_explore(me->s, &opt, &me->r);
	if (me->comm.rank == 0)
		me->report = report_text(me->s, me->rc, &me->r);
	ex_result_free(&me->r, me->s);
	return NULL;
}

/* Rank 0's report of a search over `size` threads. */
static char *distributed(const struct scenario *s, int size)
{
	struct threads t = { .size = size };
	struct rank ranks[MAX_RANKS];
	pthread_t tid[MAX_RANKS];
	char *rep;

	pthread_barrier_init(&t.bar, NULL, (unsigned)size);
	for (int i = 0; i < size; i++) {
		ranks[i] = (struct rank){ .t = &t, .s = s };
		ranks[i].comm = (struct ex_comm){ .rank = i, .size = size, .ud = &ranks[i],
						  .exchange = t_exchange, .sum = t_sum };
		cr_assert_eq(pthread_create(&tid[i], NULL, rank_main, &ranks[i]), 0);
	}
	for (int i = 0; i < size; i++)
		pthread_join(tid[i], NULL);
	pthread_barrier_destroy(&t.bar);
	rep = ranks[0].report;
	cr_assert_not_null(rep);
	return rep;
}

static char *serial(const struct scenario *s)
{
	struct ex_options opt = { 0 };
	struct ex_result r;
	int rc = ex_explore(s, &opt, &r);
	char *rep = report_text(s, rc, &r);

	ex_result_free(&r, s);
	return rep;
}

static void same_as_serial(const char *text, int n)
{
	struct scenario *s = parse_ok(text);
	char *one = serial(s);

	for (int size = 1; size <= 3; size++) {
		char *d = distributed(s, size);

		cr_assert_str_eq(one, d, "scenario %d, %d ranks:\n%s", n, size, text);
		free(d);
	}
	free(one);
	sc_free(s);
}

/* Random scenarios (one or two par blocks, handlers that signal, fork
 * windows now and then): the same outcomes, counts, states, states
 * reached again and witnesses with 1, 2 and 3 ranks as the serial walk. */
Test(explore_dist, ranks_give_the_serial_report_byte_for_byte)
{
	uint32_t st = 0xd157a11u;

	for (int n = 0; n < 10; n++) {
		struct strbuf b = { 0 };
		char *text;

		sb_add(&b, "process p0\nprocess p1 pgrp=p0\nprocess p2\n");
		if (n % 4 == 3)
			sb_add(&b, "process c forked\n");
		sb_add(&b,
			   "handler h0 { kill p2 SIGUSR2 }\nhandler h1 { log \"h1\" }\n"
			   "p0: sigaction SIGUSR1 h0\np1: sigaction SIGUSR2 h1\n"
			   "p2: sigaction SIGRTMIN h1\npar {\n");
		if (n % 4 == 3)
			sb_add(&b, "    p0: fork c\n");
		for (int i = 0; i < 4; i++)
			rs_step(&b, &st);
		sb_add(&b, "    p2: kill -p0 SIGUSR1\n}\n");
		if (n % 2) {
			sb_add(&b, "par {\n");
			for (int i = 0; i < 3; i++)
				rs_step(&b, &st);
			sb_add(&b, "}\n");
		}
		sb_add(&b, "exists p0 running\nforall (p1 running || p2 handled SIGRTMIN 1)\n");
		text = sb_take(&b);
		same_as_serial(text, n);
		free(text);
	}
}

/* No choice at all: one interleaving, the file order. */
Test(explore_dist, a_scenario_without_choices_is_one_interleaving)
{
	same_as_serial("process a\nprocess b\na: kill b SIGUSR1\nexists b killed SIGUSR1\n", 0);
}

/* A run-time error: rank 0 names the interleaving the serial search names. */
Test(explore_dist, an_error_is_reported_as_the_serial_search_reports_it)
{
	same_as_serial("process a\nprocess b\nhandler h { kill a SIGUSR1 }\n"
		       "a: sigaction SIGUSR1 h\npar {\n    b: kill a SIGUSR1\n"
		       "    b: kill a SIGUSR2\n}\n",
		       0);
}

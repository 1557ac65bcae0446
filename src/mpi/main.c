/*
 * siglab-mpi: `siglab explore` as one rank of an MPI job (Open MPI), the
 * states split over the ranks by hash (src/explore/dist.c).  Every rank
 * reads the scenario and takes the same arguments as `siglab explore`;
 * rank 0 prints the report, byte for byte the serial search's, and every
 * rank exits with rank 0's status.  Built only where mpicc is (Makefile).
 *
 *   mpirun -np 4 --hostfile hosts build/siglab-mpi [explore options] FILE
 *
 * The other ranks' stdout and stderr go to /dev/null, unless
 * SIGLAB_MPI_VERBOSE is set.  With SIGLAB_MPI_TIMES set, rank 0 says on
 * stderr how much CPU time each rank spent searching and in MPI calls
 * (which spin while they wait): the figures of docs/explore.md.  With
 * SIGLAB_MPI_PROGRESS set, rank 0 shows the progress line (states,
 * visited, the rate, the states queued, the memory; summed over the
 * ranks after each round) although mpirun gives it a pipe for stderr.
 */
#include <fcntl.h>
#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "explore/explore.h"

/* CPU time spent in MPI calls, so far. */
static double cpu_in_mpi;

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *what)
{
	fprintf(stderr, "siglab-mpi: %s\n", what);
	MPI_Abort(MPI_COMM_WORLD, 2);
}

static int to_int(size_t n)
{
	if (n > INT_MAX)
		fail("more than 2 GiB in one exchange");
	return (int)n;
}

/* Counts first, then the bytes (MPI_Alltoallv takes int counts). */
static int mpi_exchange(void *ud, const unsigned char *out, const size_t *n, unsigned char **in,
			size_t *inlen)
{
	int size = *(const int *)ud;
	unsigned long long *sn = malloc((size_t)size * sizeof *sn);
	unsigned long long *rn = malloc((size_t)size * sizeof *rn);
	int *sc = malloc((size_t)size * sizeof *sc), *sd = malloc((size_t)size * sizeof *sd);
	int *rc = malloc((size_t)size * sizeof *rc), *rd = malloc((size_t)size * sizeof *rd);
	size_t stot = 0, rtot = 0;
	double t0 = cpu_now();

	if (!sn || !rn || !sc || !sd || !rc || !rd)
		fail("out of memory");
	for (int r = 0; r < size; r++)
		sn[r] = n[r];
	MPI_Alltoall(sn, 1, MPI_UNSIGNED_LONG_LONG, rn, 1, MPI_UNSIGNED_LONG_LONG, MPI_COMM_WORLD);
	for (int r = 0; r < size; r++) {
		sc[r] = to_int(n[r]);
		sd[r] = to_int(stot);
		rc[r] = to_int(rn[r]);
		rd[r] = to_int(rtot);
		stot += n[r];
		rtot += rn[r];
	}
	to_int(stot);
	to_int(rtot);
	*in = malloc(rtot + 1);
	if (!*in)
		fail("out of memory");
	*inlen = rtot;
	MPI_Alltoallv(out, sc, sd, MPI_BYTE, *in, rc, rd, MPI_BYTE, MPI_COMM_WORLD);
	free(sn);
	free(rn);
	free(sc);
	free(sd);
	free(rc);
	free(rd);
	cpu_in_mpi += cpu_now() - t0;
	return 0;
}

static int mpi_sum(void *ud, uint64_t *v, size_t n)
{
	double t0 = cpu_now();

	(void)ud;
	MPI_Allreduce(MPI_IN_PLACE, v, to_int(n), MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
	cpu_in_mpi += cpu_now() - t0;
	return 0;
}

static void quiet(void)
{
	int fd = open("/dev/null", O_WRONLY);

	if (fd < 0)
		return;
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/* Each rank's CPU time searching and in MPI, on rank 0's stderr. */
static void times(const struct ex_comm *c, double start)
{
	double mine[2] = { cpu_now() - start - cpu_in_mpi, cpu_in_mpi };
	double *all = c->rank == 0 ? malloc((size_t)c->size * sizeof mine) : NULL;

	MPI_Gather(mine, 2, MPI_DOUBLE, all, 2, MPI_DOUBLE, 0, MPI_COMM_WORLD);
	for (int r = 0; all && r < c->size; r++)
		fprintf(stderr, "siglab-mpi: rank %d: %.3f s of CPU searching, %.3f s in MPI\n", r,
			all[2 * r], all[2 * r + 1]);
	free(all);
}

int main(int argc, char **argv)
{
	struct ex_comm comm = { .exchange = mpi_exchange, .sum = mpi_sum };
	double start;
	int status;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &comm.rank);
	MPI_Comm_size(MPI_COMM_WORLD, &comm.size);
	comm.ud = &comm.size;
	if (comm.rank != 0 && !getenv("SIGLAB_MPI_VERBOSE"))
		quiet();
	cli_explore_comm = &comm;
	cli_explore_progress = comm.rank == 0 && getenv("SIGLAB_MPI_PROGRESS");
	start = cpu_now();
	status = cmd_explore(argc, argv);
	fflush(stdout);
	if (getenv("SIGLAB_MPI_TIMES"))
		times(&comm, start);
	MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
	MPI_Finalize();
	return status;
}

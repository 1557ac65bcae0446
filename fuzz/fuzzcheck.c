/*
 * fuzzcheck: replays a fuzz corpus through a fuzz target without
 * libFuzzer (SQLite's test/fuzzcheck.c), so that `make check` runs every
 * checked-in input under ASan and UBSan with the engine's SL_ASSERTs on.
 * Linked with one target's LLVMFuzzerTestOneInput.
 *
 *   fuzzcheck [-v] DIR|FILE...
 *
 * A directory stands for its regular files, in name order.  When an input
 * crashes, or runs longer than INPUT_SECONDS (a hang), its name is
 * printed before the process dies; replay it alone with the libFuzzer
 * build (build-fuzz/NAME FILE) or this one.
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Each input runs in milliseconds; one that takes this long hangs. */
#define INPUT_SECONDS 10

static char current[4096];	/* the input being run, for the death note */

static void say_current(void)
{
	static const char head[] = "fuzzcheck: died on input ";
	size_t n = strlen(current);

	if (!n)
		return;
	(void)!write(2, head, sizeof head - 1);
	(void)!write(2, current, n);
	(void)!write(2, "\n", 1);
}

static void on_abort(int sig)
{
	say_current();
	signal(SIGABRT, SIG_DFL);
	if (sig == SIGALRM)
		(void)!write(2, "fuzzcheck: the input hangs\n", 27);
	abort();
}

static unsigned long ninputs;
static unsigned long long nbytes;

static int run_file(const char *path, int verbose)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "fuzzcheck: cannot open %s\n", path);
		return -1;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 4096);

			if (!nb) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		if (!got)
			break;
		n += got;
	}
	fclose(f);
	snprintf(current, sizeof current, "%s", path);
	if (verbose)
		fprintf(stderr, "%s\n", path);
	/* An exact-size copy, so that ASan sees a read past the end. */
	{
		uint8_t *exact = malloc(n ? n : 1);

		if (!exact) {
			free(buf);
			return -1;
		}
		memcpy(exact, buf, n);
		free(buf);
		alarm(INPUT_SECONDS);
		LLVMFuzzerTestOneInput(exact, n);
		alarm(0);
		free(exact);
	}
	current[0] = '\0';
	ninputs++;
	nbytes += n;
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_dir(const char *dir, int verbose)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name), err = 0;

	if (n < 0) {
		fprintf(stderr, "fuzzcheck: cannot read %s\n", dir);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (!err && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			err = run_file(path, verbose);
		free(names[i]);
	}
	free(names);
	return err;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	int verbose = 0, err = 0;

	__sanitizer_set_death_callback(say_current);
	signal(SIGABRT, on_abort);
	signal(SIGALRM, on_abort);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 1; i < argc && !err; i++) {
		struct stat st;

		if (!strcmp(argv[i], "-v")) {
			verbose = 1;
			continue;
		}
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "fuzzcheck: no such input %s\n", argv[i]);
			err = -1;
		} else {
			err = S_ISDIR(st.st_mode) ? run_dir(argv[i], verbose)
						  : run_file(argv[i], verbose);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (err)
		return 1;
	printf("fuzzcheck %s: %lu inputs, %llu bytes, %.2f s\n", argv[0], ninputs, nbytes,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return ninputs ? 0 : 1;
}

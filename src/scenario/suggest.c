/*
 * "did you mean ...?": the nearest of a list of words to a misspelt one,
 * by edit distance (insertions, deletions, substitutions, swaps of two
 * neighbours; case ignored),
 * when it is near enough to be a typo.
 */
#include <ctype.h>
#include <string.h>

#include "scenario/parser.h"

#define SUGGEST_MAX 32

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

static bool same(char x, char y)
{
	return tolower((unsigned char)x) == tolower((unsigned char)y);
}

/* The edit distance of a and b (each at most SUGGEST_MAX bytes), a swap
 * of two neighbours counting as one edit (optimal string alignment). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];

	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
				       d[i - 1][j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1));
			if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[la][lb];
}

const char *sc_suggest(const char *word, const char *const *cands, size_t n)
{
	size_t len = strlen(word), best_d = (size_t)-1;
	size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	const char *best = NULL;

	if (len == 0 || len > SUGGEST_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t d;

		if (!cands[i] || strlen(cands[i]) > SUGGEST_MAX)
			continue;
		d = distance(word, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best && best_d <= limit && best_d < len ? best : NULL;
}

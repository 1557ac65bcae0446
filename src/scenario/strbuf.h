/* A growable string for traces and reports. */
#ifndef SIGLAB_SCENARIO_STRBUF_H
#define SIGLAB_SCENARIO_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *s;		/* NUL-terminated, or NULL when empty */
	size_t len;
	size_t cap;
	bool oom;		/* an append failed; the text is truncated */
};

void sb_addf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_add(struct strbuf *b, const char *s);
/* s as a JSON string, quotes included: ", \ and control characters
 * escaped; bytes that are not valid UTF-8 (a /proc comm may hold any) are
 * written as \u00XX, so the output is always valid JSON.  NULL is "". */
void sb_add_json_string(struct strbuf *b, const char *s);
/* The text, never NULL (an empty string when nothing was added). */
const char *sb_str(const struct strbuf *b);
/* Hands the text to the caller (malloc'd, never NULL unless out of memory). */
char *sb_take(struct strbuf *b);
void sb_free(struct strbuf *b);

/* The length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes
 * there are not one (RFC 3629). */
size_t sb_utf8_sequence(const unsigned char *s);

#endif

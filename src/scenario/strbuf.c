/* A growable string for traces and reports. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/strbuf.h"

static bool sb_reserve(struct strbuf *b, size_t more)
{
	size_t need, ncap;
	char *ns;

	if (b->oom)
		return false;
	need = b->len + more + 1;
	if (need <= b->cap)
		return true;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	ns = realloc(b->s, ncap);
	if (!ns) {
		b->oom = true;
		return false;
	}
	b->s = ns;
	b->cap = ncap;
	return true;
}

void sb_addf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sb_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sb_add(struct strbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (!sb_reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

/* The length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes
 * there are not one (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */
size_t sb_utf8_sequence(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n;
	unsigned min, v;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		n = 2, min = 0x80, v = c & 0x1f;
	else if ((c & 0xf0) == 0xe0)
		n = 3, min = 0x800, v = c & 0x0f;
	else if ((c & 0xf8) == 0xf0)
		n = 4, min = 0x10000, v = c & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	return n;
}

void sb_add_json_string(struct strbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	sb_add(b, "\"");
	while (*p) {
		size_t n = sb_utf8_sequence(p);

		if (*p == '"' || *p == '\\') {
			sb_addf(b, "\\%c", *p);
		} else if (*p < 0x20 || *p == 0x7f || n == 0) {
			sb_addf(b, "\\u%04x", *p);
		} else {
			sb_addf(b, "%.*s", (int)n, (const char *)p);
			p += n;
			continue;
		}
		p++;
	}
	sb_add(b, "\"");
}

const char *sb_str(const struct strbuf *b)
{
	return b->s ? b->s : "";
}

char *sb_take(struct strbuf *b)
{
	char *s = b->s;

	if (!s)
		s = calloc(1, 1);
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void sb_free(struct strbuf *b)
{
	free(b->s);
	*b = (struct strbuf){ 0 };
}

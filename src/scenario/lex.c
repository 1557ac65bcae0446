/*
 * The scenario lexer.  Scenario text is line-oriented: newlines are tokens,
 * `#` starts a comment that runs to the end of the line, and everything
 * else is identifiers, integers, strings and a little punctuation.  Columns
 * count bytes from 1.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/lex.h"

void lex_init(struct lexer *lx, const char *text, size_t len,
	      struct sc_diag *diag)
{
	/* Trailing NULs are a C string's terminator handed over with it, not
	 * content; NULs anywhere else are an error. */
	while (len > 0 && text[len - 1] == '\0')
		len--;
	lx->text = text;
	lx->len = len;
	lx->off = 0;
	lx->line = 1;
	lx->col = 1;
	lx->diag = diag;
	lx->failed = false;
}

int lex_error(struct lexer *lx, struct sc_pos pos, const char *fmt, ...)
{
	va_list ap;

	if (lx->failed)
		return -1;
	lx->failed = true;
	lx->diag->pos = pos;
	va_start(ap, fmt);
	vsnprintf(lx->diag->message, sizeof lx->diag->message, fmt, ap);
	va_end(ap);
	return -1;
}

/* The length of the UTF-8 sequence at s (at most n bytes), or 0 when it is
 * not well-formed: overlong forms, surrogates and code points above
 * U+10FFFF are rejected, as RFC 3629 requires. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < need || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < need; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return need;
}

int lex_check_text(struct lexer *lx)
{
	const unsigned char *s = (const unsigned char *)lx->text;
	struct sc_pos pos = { 1, 1 };
	size_t i = 0;

	if (lx->len > SC_MAX_FILE)
		return lex_error(lx, pos, "file too large (max %u bytes)", SC_MAX_FILE);
	while (i < lx->len) {
		unsigned char b = s[i];
		size_t step = 1;

		if (b == '\n') {
			pos.line++;
			pos.col = 1;
			i++;
			continue;
		}
		if (pos.col > SC_MAX_LINE && b != '\r')
			return lex_error(lx, pos, "line too long (max %d bytes)", SC_MAX_LINE);
		if (b == '\0')
			return lex_error(lx, pos, "nul byte in the text");
		if (b == '\r' && (i + 1 >= lx->len || s[i + 1] != '\n'))
			return lex_error(lx, pos, "carriage return not followed by a newline");
		if ((b < 0x20 && b != '\t' && b != '\r') || b == 0x7f)
			return lex_error(lx, pos, "control character 0x%02x in the text", b);
		if (b >= 0x80) {
			step = utf8_len(s + i, lx->len - i);
			if (step == 0)
				return lex_error(lx, pos, "invalid utf-8 byte 0x%02x", b);
		}
		i += step;
		pos.col += (int)step;
	}
	return 0;
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int peek_at(const struct lexer *lx, size_t off)
{
	return off < lx->len ? (unsigned char)lx->text[off] : -1;
}

/* Identifier characters after the first: letters, digits, '_', '.', '+',
 * and '-' unless it begins "->". */
static bool continues_ident(const struct lexer *lx, size_t off)
{
	int c = peek_at(lx, off);

	if (is_alpha(c) || is_digit(c) || c == '.' || c == '+')
		return true;
	return c == '-' && peek_at(lx, off + 1) != '>';
}

static int digit_value(int c, unsigned base)
{
	int v = -1;

	if (is_digit(c))
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	return v >= 0 && (unsigned)v < base ? v : -1;
}

/* A duration: decimal digits run into a unit (2s, 500ms, 10us, 7ns).
 * Scales t->mag to nanoseconds and moves *off past the unit. */
static bool duration_unit(struct lexer *lx, size_t *off, struct token *t)
{
	static const struct { const char *u; uint64_t ns; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
	};

	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		size_t n = strlen(units[i].u), j;

		for (j = 0; j < n && peek_at(lx, *off + j) == units[i].u[j]; j++)
			;
		if (j < n || continues_ident(lx, *off + n))
			continue;
		if (t->mag > UINT64_MAX / 4 / units[i].ns)
			return false;
		t->mag *= units[i].ns;
		t->kind = TK_DURATION;
		*off += n;
		lx->off = *off;
		return true;
	}
	return false;
}

static int lex_number(struct lexer *lx, struct token *t)
{
	size_t off = lx->off;
	unsigned base = 10;
	size_t ndigits = 0;
	bool overflow = false;
	int d;

	t->kind = TK_INT;
	t->mag = 0;
	t->neg = false;
	if (peek_at(lx, off) == '-') {
		t->neg = true;
		off++;
	}
	if (peek_at(lx, off) == '0' && (peek_at(lx, off + 1) == 'x' ||
					 peek_at(lx, off + 1) == 'X')) {
		base = 16;
		off += 2;
	}
	while ((d = digit_value(peek_at(lx, off), base)) >= 0) {
		if (t->mag > (UINT64_MAX - (unsigned)d) / base)
			overflow = true;
		t->mag = t->mag * base + (unsigned)d;
		ndigits++;
		off++;
	}
	if (base == 10 && !t->neg && ndigits && duration_unit(lx, &off, t))
		return overflow ? lex_error(lx, t->pos, "duration out of range") : 0;
	if (ndigits == 0 || continues_ident(lx, off)) {
		while (continues_ident(lx, off) && off - t->start < 40)
			off++;
		return lex_error(lx, t->pos, "bad number '%.*s'",
				 (int)(off - t->start), lx->text + t->start);
	}
	if (overflow)
		return lex_error(lx, t->pos, "number '%.*s' out of range",
				 (int)(off - t->start), lx->text + t->start);
	lx->off = off;
	return 0;
}

static int lex_ident(struct lexer *lx, struct token *t)
{
	size_t off = lx->off + 1;

	while (continues_ident(lx, off))
		off++;
	if (off - lx->off > SC_MAX_IDENT)
		return lex_error(lx, t->pos, "name too long (max %d characters)",
				 SC_MAX_IDENT);
	t->kind = TK_IDENT;
	lx->off = off;
	return 0;
}

static int lex_string(struct lexer *lx, struct token *t)
{
	size_t off = lx->off + 1;

	t->kind = TK_STRING;
	for (;;) {
		int c = peek_at(lx, off);

		if (c == -1 || c == '\n' || c == '\r')
			return lex_error(lx, t->pos, "unterminated string");
		if (c == '"')
			break;
		if (c == '\\') {
			int e = peek_at(lx, off + 1);

			if (e != '"' && e != '\\' && e != 'n') {
				struct sc_pos at = { t->pos.line,
						     t->pos.col + (int)(off - t->start) };

				if (e > 0x20 && e < 0x7f)
					return lex_error(lx, at, "unknown escape '\\%c' in string", e);
				return lex_error(lx, at, "unknown escape in string");
			}
			off++;
		}
		off++;
	}
	lx->off = off + 1;
	return 0;
}

static enum tok_kind punct_kind(int c)
{
	switch (c) {
	case '{': return TK_LBRACE;
	case '}': return TK_RBRACE;
	case ':': return TK_COLON;
	case ';': return TK_SEMI;
	case '|': return TK_PIPE;
	case '=': return TK_EQ;
	case ',': return TK_COMMA;
	case '!': return TK_NOT;
	case '(': return TK_LPAREN;
	case ')': return TK_RPAREN;
	default: return TK_EOF;
	}
}

static void skip_blanks(struct lexer *lx)
{
	for (;;) {
		int c = peek_at(lx, lx->off);

		if (c == ' ' || c == '\t' || c == '\r') {
			lx->off++;
			lx->col++;
		} else if (c == '#') {
			while (peek_at(lx, lx->off) != -1 && peek_at(lx, lx->off) != '\n') {
				lx->off++;
				lx->col++;
			}
		} else {
			return;
		}
	}
}

static int lex_token(struct lexer *lx, struct token *t)
{
	int c = peek_at(lx, lx->off);
	int c1 = peek_at(lx, lx->off + 1);

	if (c == -1) {
		t->kind = TK_EOF;
		return 0;
	}
	if (c == '"')
		return lex_string(lx, t);
	if (is_digit(c) || (c == '-' && is_digit(c1)))
		return lex_number(lx, t);
	if (is_alpha(c))
		return lex_ident(lx, t);
	if (c == '-') {
		t->kind = c1 == '>' ? TK_ARROW : TK_MINUS;
		lx->off += c1 == '>' ? 2 : 1;
		return 0;
	}
	/* The operators of explore's conditions; a single '|' stays the
	 * separator of flags and sets. */
	if ((c == '|' || c == '&') && c1 == c) {
		t->kind = c == '|' ? TK_OR : TK_AND;
		lx->off += 2;
		return 0;
	}
	if (c == '&')
		return lex_error(lx, t->pos, "unexpected character '&' (did you mean '&&'?)");
	t->kind = punct_kind(c);
	if (t->kind != TK_EOF) {
		lx->off++;
		return 0;
	}
	if (c > 0x20 && c < 0x7f)
		return lex_error(lx, t->pos, "unexpected character '%c'", c);
	return lex_error(lx, t->pos, "unexpected byte 0x%02x outside a string or comment", c);
}

int lex_next(struct lexer *lx, struct token *t)
{
	if (lx->failed)
		return -1;
	skip_blanks(lx);
	t->pos.line = lx->line;
	t->pos.col = lx->col;
	t->start = lx->off;
	t->mag = 0;
	t->neg = false;
	if (peek_at(lx, lx->off) == '\n') {
		t->kind = TK_NEWLINE;
		t->end = ++lx->off;
		lx->line++;
		lx->col = 1;
		return 0;
	}
	if (lex_token(lx, t) < 0)
		return -1;
	t->end = lx->off;
	lx->col += (int)(t->end - t->start);
	return 0;
}

bool tok_is(const struct lexer *lx, const struct token *t, const char *word)
{
	size_t n = strlen(word);

	return t->kind == TK_IDENT && t->end - t->start == n &&
	       !memcmp(lx->text + t->start, word, n);
}

char *tok_dup(const struct lexer *lx, const struct token *t)
{
	size_t n = t->end - t->start;
	char *s = malloc(n + 1);

	if (s == NULL)
		return NULL;
	memcpy(s, lx->text + t->start, n);
	s[n] = '\0';
	return s;
}

char *tok_string(const struct lexer *lx, const struct token *t)
{
	const char *src = lx->text + t->start + 1;
	const char *last = lx->text + t->end - 1;
	char *s = malloc((size_t)(last - src) + 1);
	size_t n = 0;

	if (s == NULL)
		return NULL;
	while (src < last) {
		char c = *src++;

		if (c == '\\') {
			c = *src++;
			if (c == 'n')
				c = '\n';
		}
		s[n++] = c;
	}
	s[n] = '\0';
	return s;
}

const char *tok_text(const struct lexer *lx, const struct token *t,
		     char *buf, size_t n)
{
	size_t len = t->end - t->start;

	if (n == 0)
		return buf;
	if (len >= n)
		len = n - 1;
	memcpy(buf, lx->text + t->start, len);
	buf[len] = '\0';
	return buf;
}

const char *tok_describe(const struct lexer *lx, const struct token *t,
			 char *buf, size_t n)
{
	char text[48];

	switch (t->kind) {
	case TK_EOF: return "end of file";
	case TK_NEWLINE: return "end of line";
	case TK_STRING: return "a string";
	case TK_LBRACE: return "'{'";
	case TK_RBRACE: return "'}'";
	case TK_COLON: return "':'";
	case TK_SEMI: return "';'";
	case TK_PIPE: return "'|'";
	case TK_EQ: return "'='";
	case TK_ARROW: return "'->'";
	case TK_COMMA: return "','";
	case TK_MINUS: return "'-'";
	case TK_AND: return "'&&'";
	case TK_OR: return "'||'";
	case TK_NOT: return "'!'";
	case TK_LPAREN: return "'('";
	case TK_RPAREN: return "')'";
	case TK_IDENT:
	case TK_INT:
	case TK_DURATION:
		break;
	}
	snprintf(buf, n, "'%s'", tok_text(lx, t, text, sizeof text));
	return buf;
}

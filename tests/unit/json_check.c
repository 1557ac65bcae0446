/* A strict JSON syntax check (RFC 8259), recursive descent. */
#include <string.h>

#include "json_check.h"

struct cursor {
	const unsigned char *p;
	int depth;
};

static void skip_ws(struct cursor *c)
{
	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')
		c->p++;
}

static bool value(struct cursor *c);

static bool literal(struct cursor *c, const char *word)
{
	size_t n = strlen(word);

	if (strncmp((const char *)c->p, word, n))
		return false;
	c->p += n;
	return true;
}

static bool is_digit(unsigned char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool number(struct cursor *c)
{
	if (*c->p == '-')
		c->p++;
	if (*c->p == '0')
		c->p++;
	else if (is_digit(*c->p))
		while (is_digit(*c->p))
			c->p++;
	else
		return false;
	if (*c->p == '.') {
		c->p++;
		if (!is_digit(*c->p))
			return false;
		while (is_digit(*c->p))
			c->p++;
	}
	if (*c->p == 'e' || *c->p == 'E') {
		c->p++;
		if (*c->p == '+' || *c->p == '-')
			c->p++;
		if (!is_digit(*c->p))
			return false;
		while (is_digit(*c->p))
			c->p++;
	}
	return true;
}

/* One UTF-8 character of a string body (not '"' or '\\'). */
static bool utf8_char(struct cursor *c)
{
	unsigned ch = *c->p, v, min;
	int n;

	if (ch < 0x20)
		return false;
	if (ch < 0x80) {
		c->p++;
		return true;
	}
	if ((ch & 0xe0) == 0xc0)
		n = 1, v = ch & 0x1f, min = 0x80;
	else if ((ch & 0xf0) == 0xe0)
		n = 2, v = ch & 0x0f, min = 0x800;
	else if ((ch & 0xf8) == 0xf0)
		n = 3, v = ch & 0x07, min = 0x10000;
	else
		return false;
	for (int i = 1; i <= n; i++) {
		if ((c->p[i] & 0xc0) != 0x80)
			return false;
		v = v << 6 | (c->p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return false;
	c->p += n + 1;
	return true;
}

static bool string(struct cursor *c)
{
	if (*c->p++ != '"')
		return false;
	while (*c->p != '"') {
		if (!*c->p)
			return false;
		if (*c->p == '\\') {
			c->p++;
			if (*c->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", c->p[i]) || !c->p[i])
						return false;
				c->p += 5;
			} else if (*c->p && strchr("\"\\/bfnrt", *c->p)) {
				c->p++;
			} else {
				return false;
			}
		} else if (!utf8_char(c)) {
			return false;
		}
	}
	c->p++;
	return true;
}

static bool members(struct cursor *c, char close, bool object)
{
	c->p++;
	skip_ws(c);
	if (*c->p == close) {
		c->p++;
		return true;
	}
	for (;;) {
		skip_ws(c);
		if (object) {
			if (!string(c))
				return false;
			skip_ws(c);
			if (*c->p++ != ':')
				return false;
		}
		if (!value(c))
			return false;
		skip_ws(c);
		if (*c->p == close) {
			c->p++;
			return true;
		}
		if (*c->p++ != ',')
			return false;
	}
}

static bool value(struct cursor *c)
{
	bool ok;

	skip_ws(c);
	if (++c->depth > 64)
		return false;
	switch (*c->p) {
	case '{': ok = members(c, '}', true); break;
	case '[': ok = members(c, ']', false); break;
	case '"': ok = string(c); break;
	case 't': ok = literal(c, "true"); break;
	case 'f': ok = literal(c, "false"); break;
	case 'n': ok = literal(c, "null"); break;
	default: ok = number(c); break;
	}
	c->depth--;
	return ok;
}

bool json_valid(const char *s)
{
	struct cursor c = { (const unsigned char *)s, 0 };

	if (!value(&c))
		return false;
	skip_ws(&c);
	return *c.p == '\0';
}

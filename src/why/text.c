/* Text from /proc made safe for a terminal: a process name is chosen by
 * whoever runs the process (prctl(PR_SET_NAME), or the file name it
 * executes), so it may hold escape sequences that retitle or clear the
 * reader's terminal, or tabs and newlines that break a table.  procps's
 * ps(1) prints each such character as '?'; so does siglab's text output
 * (the JSON output escapes them instead). */
#include "scenario/strbuf.h"
#include "why/why.h"

/* Whether the code point of the UTF-8 sequence at p (n bytes) is a C1
 * control, U+0080..U+009F. */
static bool c1_control(const unsigned char *p, size_t n)
{
	return n == 2 && p[0] == 0xc2 && p[1] < 0xa0;
}

void why_printable(const char *in, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	size_t len = 0;

	if (!cap)
		return;
	while (*p && len + 1 < cap) {
		size_t n = sb_utf8_sequence(p);

		if (*p < 0x20 || *p == 0x7f || n == 0 || c1_control(p, n)) {
			out[len++] = '?';
			p += n ? n : 1;
			continue;
		}
		if (len + n >= cap)
			break;
		for (size_t i = 0; i < n; i++)
			out[len++] = (char)p[i];
		p += n;
	}
	out[len] = '\0';
}

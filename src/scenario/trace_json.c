/*
 * A trace line read back into its fields, for --json (docs/trace-format.md,
 * "--explain and --json").  The text of a line is the contract between the
 * model and the host, so its fields are read from that text: every line
 * shape the trace format defines gets its own members, a call its name,
 * arguments, result and errno, a tracepoint its key=value pairs.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/ast.h"
#include "scenario/trace_json.h"
#include "siglab.h"

/* A piece of the line: not NUL-terminated. */
struct span {
	const char *p;
	size_t n;
};

static bool span_is(struct span s, const char *w)
{
	return strlen(w) == s.n && !memcmp(s.p, w, s.n);
}

static bool is_one_of(char c, const char *set)
{
	return c && strchr(set, c);
}

/* Where the text from p stops: at one of stops, or at a closing bracket
 * that no bracket after p opened, outside quotes and brackets. */
static const char *scan(const char *p, const char *end, const char *stops)
{
	int depth = 0;
	bool quoted = false;

	for (; p < end; p++) {
		if (quoted) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == '"')
				quoted = false;
		} else if (*p == '"') {
			quoted = true;
		} else if (is_one_of(*p, "({[")) {
			depth++;
		} else if (is_one_of(*p, ")}]")) {
			if (depth == 0)
				return p;
			depth--;
		} else if (depth == 0 && is_one_of(*p, stops)) {
			return p;
		}
	}
	return end;
}

static struct span trim(struct span s)
{
	while (s.n && s.p[0] == ' ')
		s.p++, s.n--;
	while (s.n && s.p[s.n - 1] == ' ')
		s.n--;
	return s;
}

/* The next space-separated token of *rest (brackets and quotes kept whole). */
static struct span next_token(struct span *rest)
{
	struct span t;
	const char *e;

	*rest = trim(*rest);
	e = scan(rest->p, rest->p + rest->n, " ");
	t.p = rest->p;
	t.n = (size_t)(e - rest->p);
	rest->p += t.n;
	rest->n -= t.n;
	return t;
}

static void add_string(struct strbuf *b, struct span s)
{
	char small[256];
	char *c = s.n < sizeof small ? small : malloc(s.n + 1);

	if (!c) {
		b->oom = true;
		return;
	}
	memcpy(c, s.p, s.n);
	c[s.n] = '\0';
	sb_add_json_string(b, c);
	if (c != small)
		free(c);
}

static void add_key(struct strbuf *b, const char *key)
{
	sb_addf(b, ",\"%s\":", key);
}

static void add_member(struct strbuf *b, const char *key, struct span value)
{
	add_key(b, key);
	add_string(b, value);
}

/* A decimal integer as JSON writes one (no leading zeros). */
static bool is_integer(struct span s)
{
	size_t i = s.n && s.p[0] == '-' ? 1 : 0;

	if (i == s.n || s.n - i > 18 || (s.p[i] == '0' && s.n - i > 1))
		return false;
	for (; i < s.n; i++)
		if (!isdigit((unsigned char)s.p[i]))
			return false;
	return true;
}

/* An integer when the text is one, else the text as a string. */
static void add_value(struct strbuf *b, struct span v)
{
	if (is_integer(v))
		sb_addf(b, "%.*s", (int)v.n, v.p);
	else
		add_string(b, v);
}

/* A signal by name, and its number when the name is one. */
static void add_signal(struct strbuf *b, struct span name)
{
	char c[32];
	int sig;

	add_member(b, "signal", name);
	if (name.n >= sizeof c)
		return;
	memcpy(c, name.p, name.n);
	c[name.n] = '\0';
	sig = sl_signal_from_name(c);
	if (sig > 0)
		sb_addf(b, ",\"sig\":%d", sig);
}

/* The fields whose value is a name or an address, never a number. */
static bool string_field(struct span key)
{
	static const char *const names[] = { "comm", "pid", "sa_handler", "fd", "addr" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (span_is(key, names[i]))
			return true;
	return false;
}

static bool is_key(struct span s)
{
	for (size_t i = 0; i < s.n; i++)
		if (!islower((unsigned char)s.p[i]) && !isdigit((unsigned char)s.p[i]) && s.p[i] != '_')
			return false;
	return true;
}

/* key=value pairs: tracepoint fields and siginfo fields; the first
 * without its comma when it opens an object. */
static void add_pairs(struct strbuf *b, struct span rest, bool opens)
{
	bool first = true;

	for (;;) {
		struct span t = next_token(&rest), key, val;
		const char *eq;

		if (!t.n)
			return;
		eq = memchr(t.p, '=', t.n);
		if (!eq || eq == t.p || !is_key((struct span){ t.p, (size_t)(eq - t.p) }))
			continue;
		key = (struct span){ t.p, (size_t)(eq - t.p) };
		val = (struct span){ eq + 1, t.n - key.n - 1 };
		sb_addf(b, "%s\"%.*s\":", first && opens ? "" : ",", (int)key.n, key.p);
		first = false;
		if (span_is(key, "sa_flags"))
			sb_addf(b, "%llu", strtoull(val.p, NULL, 16));
		else if (string_field(key))
			add_string(b, val);
		else
			add_value(b, val);
	}
}

/* The text between the first and the last double quote of s. */
static struct span quoted(struct span s)
{
	const char *q = memchr(s.p, '"', s.n);
	const char *e = s.p + s.n;

	if (!q)
		return s;
	while (e > q + 1 && e[-1] != '"')
		e--;
	if (e == q + 1)
		return (struct span){ q + 1, (size_t)(s.p + s.n - q - 1) };
	return (struct span){ q + 1, (size_t)(e - q - 2) };
}

/* What a call-shaped line is: a system call, or the statement's own kind
 * (a fault, a frame_mask, an interrupt's wake_up, a kernel function). */
static bool is_syscall(struct span name)
{
	for (int op = 0; op < SC_OP_COUNT; op++) {
		const struct sc_stmt_info *in = sc_stmt_info((enum sc_op)op);

		if (span_is(name, in->name))
			return in->kind == SC_KIND_CALL;
	}
	return true;
}

/* One siginfo: "[SIGUSR1 ]code=0 pid=b" as an object. */
static void add_info_object(struct strbuf *b, struct span item)
{
	struct span rest = item, t = next_token(&rest);
	bool named = t.n > 3 && !memcmp(t.p, "SIG", 3) && !memchr(t.p, '=', t.n);

	sb_add(b, "{");
	if (named) {
		sb_add(b, "\"signal\":");
		add_string(b, t);
	}
	add_pairs(b, named ? rest : item, !named);
	sb_add(b, "}");
}

/* The siginfo a call brought back: "(code=0 pid=b)", "{SIGUSR1 code=0
 * ...}"; a list of them ("[SIGUSR1 code=0 ..., ...]", PEEKSIGINFO) as an
 * array. */
static void add_siginfo(struct strbuf *b, struct span detail)
{
	const char *e = detail.p + detail.n, *from = detail.p;

	if (detail.n > 1 && detail.p[0] == '[' && e[-1] == ']' &&
	    memmem(detail.p, detail.n, "code=", 5)) {
		add_key(b, "siginfo");
		sb_add(b, "[");
		for (const char *p = detail.p + 1; p < e - 1;) {
			const char *q = scan(p, e - 1, ",");

			if (p != detail.p + 1)
				sb_add(b, ",");
			add_info_object(b, trim((struct span){ p, (size_t)(q - p) }));
			p = q < e - 1 ? q + 1 : q;
		}
		sb_add(b, "]");
		return;
	}
	for (const char *p = detail.p; p + 5 <= e; p++) {
		if (is_one_of(*p, "({"))
			from = p + 1;
		if (memcmp(p, "code=", 5) || (p > detail.p && !is_one_of(p[-1], "( ")))
			continue;
		add_key(b, "siginfo");
		add_info_object(b, (struct span){ from, (size_t)(scan(from, e, ",") - from) });
		return;
	}
}

/* " = RESULT DETAIL", " ..." or nothing after a call's parentheses. */
static void add_result(struct strbuf *b, struct span after)
{
	struct span res, detail;

	if (after.n >= 3 && !memcmp(after.p, " = ", 3)) {
		detail = (struct span){ after.p + 3, after.n - 3 };
		res = next_token(&detail);
		sb_add(b, ",\"result\":");
		add_value(b, res);
		add_key(b, "errno");
		if (span_is(res, "-1") && detail.n) {
			add_string(b, next_token(&detail));
		} else {
			sb_add(b, "null");
		}
		detail = trim(detail);
		if (detail.n > 1 && detail.p[0] == '(' &&
		    scan(detail.p + 1, detail.p + detail.n, "") == detail.p + detail.n - 1)
			detail = (struct span){ detail.p + 1, detail.n - 2 };
		if (detail.n) {
			add_member(b, "detail", detail);
			add_siginfo(b, detail);
		}
		return;
	}
	sb_add(b, ",\"result\":null,\"errno\":null");
	if (trim(after).n && span_is(trim(after), "..."))
		sb_add(b, ",\"pending\":true");
}

/* name(arg, arg) = result */
static void add_call(struct strbuf *b, struct span name, const char *open, const char *end)
{
	const char *close = scan(open + 1, end, "");
	const char *p = open + 1;
	bool first = true;

	sb_addf(b, ",\"event\":\"%s\",\"name\":", is_syscall(name) ? "syscall" : "call");
	add_string(b, name);
	sb_add(b, ",\"args\":[");
	while (p < close) {
		const char *e = scan(p, close, ",");
		struct span arg = trim((struct span){ p, (size_t)(e - p) });

		if (arg.n || e < close) {
			if (!first)
				sb_add(b, ",");
			add_string(b, arg);
			first = false;
		}
		p = e < close ? e + 1 : close;
	}
	sb_add(b, "]");
	add_result(b, (struct span){ close < end ? close + 1 : end,
				     close < end ? (size_t)(end - close - 1) : 0 });
}

/* stopped SIG / traced SIG[|0x80] [EVENT] / killed SIG [(core dumped)] /
 * exited N: a stop or a death, as an event and as a final state. */
static bool add_state(struct strbuf *b, struct span word, struct span rest)
{
	struct span t = next_token(&rest);

	if (span_is(word, "exited") && t.n) {
		add_key(b, "status");
		add_value(b, t);
	} else if (span_is(word, "killed") && t.n) {
		add_signal(b, t);
		sb_addf(b, ",\"core_dumped\":%s", span_is(trim(rest), "(core dumped)") ? "true" : "false");
	} else if (span_is(word, "stopped") && t.n) {
		add_signal(b, t);
	} else if (span_is(word, "traced") && t.n) {
		const char *bar = memchr(t.p, '|', t.n);

		add_signal(b, bar ? (struct span){ t.p, (size_t)(bar - t.p) } : t);
		sb_addf(b, ",\"sysgood\":%s", bar ? "true" : "false");
		t = next_token(&rest);
		if (t.n)
			add_member(b, "ptrace_event", t);
	} else {
		return t.n == 0;
	}
	return true;
}

/* The words after an event that has no fields of its own. */
static void add_args(struct strbuf *b, struct span rest)
{
	bool first = true;

	if (!trim(rest).n)
		return;
	sb_add(b, ",\"args\":[");
	for (struct span t = next_token(&rest); t.n; t = next_token(&rest)) {
		if (!first)
			sb_add(b, ",");
		add_string(b, t);
		first = false;
	}
	sb_add(b, "]");
}

/* Every line shape that is a word and its operands. */
static void add_word_line(struct strbuf *b, struct span word, struct span rest)
{
	if (span_is(word, "oops")) {
		/* "oops: SIGSEGV in kernel mode, die()" (the event) or "oops" */
		sb_add(b, ",\"event\":\"oops\"");
		if (rest.n && rest.p[0] == ':') {
			rest.p++, rest.n--;
			add_signal(b, next_token(&rest));
		}
		return;
	}
	add_key(b, "event");
	add_string(b, word);
	if (span_is(word, "signal_generate") || span_is(word, "signal_deliver")) {
		add_pairs(b, rest, false);
	} else if (span_is(word, "handler")) {
		add_member(b, "handler", next_token(&rest));
		add_pairs(b, rest, false);
	} else if (span_is(word, "log")) {
		add_member(b, "message", quoted(rest));
	} else if (span_is(word, "repeat")) {
		add_key(b, "count");
		add_value(b, next_token(&rest));
	} else if (span_is(word, "spin") || span_is(word, "advance")) {
		add_member(b, "duration", next_token(&rest));
	} else if (span_is(word, "type")) {
		add_member(b, "tty", next_token(&rest));
		add_member(b, "chars", quoted(rest));
	} else if (span_is(word, "resize")) {
		add_member(b, "tty", next_token(&rest));
		add_key(b, "rows");
		add_value(b, next_token(&rest));
		add_key(b, "cols");
		add_value(b, next_token(&rest));
	} else if (span_is(word, "hangup")) {
		add_member(b, "tty", next_token(&rest));
	} else if (!add_state(b, word, rest)) {
		add_args(b, rest);
	}
}

void sc_trace_json(struct strbuf *b, const char *text)
{
	const char *end = text + strlen(text);
	const char *w = text;

	if (!*text) {
		sb_add(b, ",\"event\":\"note\"");
		return;
	}
	if (!strncmp(text, "(not run: ", 10)) {
		const char *is = strstr(text, " is ");

		sb_add(b, ",\"event\":\"not_run\"");
		if (is && end > is + 5)
			add_member(b, "state", (struct span){ is + 4, (size_t)(end - is - 5) });
		return;
	}
	while (w < end && (isalnum((unsigned char)*w) || *w == '_'))
		w++;
	if (w == text) {
		sb_add(b, ",\"event\":\"other\"");
		return;
	}
	if (*w == '(') {
		add_call(b, (struct span){ text, (size_t)(w - text) }, w, end);
		return;
	}
	add_word_line(b, (struct span){ text, (size_t)(w - text) },
		      (struct span){ w, (size_t)(end - w) });
}

void sc_final_json(struct strbuf *b, const char *text)
{
	const char *end = text + strlen(text);
	const char *w = text;
	struct span word;

	while (w < end && *w != ' ')
		w++;
	word = (struct span){ text, (size_t)(w - text) };
	if (!strcmp(text, "not forked")) {
		sb_add(b, ",\"state\":\"not_forked\"");
		return;
	}
	add_member(b, "state", word);
	add_state(b, word, (struct span){ w, (size_t)(end - w) });
}

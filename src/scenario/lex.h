/*
 * The scenario lexer: turns scenario text into tokens, one at a time, and
 * owns the diagnostics of the whole parse (only the first error counts).
 * Internal to src/scenario/.
 */
#ifndef SIGLAB_SCENARIO_LEX_H
#define SIGLAB_SCENARIO_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario/ast.h"

/* Limits that keep every input cheap to reject; valid scenarios of any
 * reasonable size stay far below them. */
#define SC_MAX_FILE SC_MAX_SOURCE_BYTES	/* bytes of scenario text */
#define SC_MAX_LINE 4096	/* bytes per line, newline excluded */
#define SC_MAX_IDENT 64		/* bytes per identifier */

enum tok_kind {
	TK_EOF,
	TK_NEWLINE,
	TK_IDENT,	/* [A-Za-z_][A-Za-z0-9_.+-]*, never ending inside "->" */
	TK_INT,		/* [-](decimal | 0x hex) */
	TK_STRING,	/* "..." with \" \\ \n escapes */
	TK_LBRACE, TK_RBRACE, TK_COLON, TK_SEMI, TK_PIPE, TK_EQ, TK_ARROW,
	TK_COMMA,
	TK_MINUS,	/* a '-' that starts no number and no "->" */
	TK_DURATION,	/* digits and a unit (ns us ms s): mag is in ns */
	/* explore conditions (exists / forall) */
	TK_AND,		/* && */
	TK_OR,		/* || */
	TK_NOT,		/* ! */
	TK_LPAREN, TK_RPAREN
};

struct token {
	enum tok_kind kind;
	struct sc_pos pos;	/* where the token starts */
	size_t start, end;	/* its bytes: text[start, end) */
	uint64_t mag;		/* TK_INT: magnitude */
	bool neg;		/* TK_INT: a leading '-' */
};

struct lexer {
	const char *text;
	size_t len;
	size_t off;		/* next byte to read */
	int line, col;		/* position of text[off] */
	struct sc_diag *diag;	/* where the first error goes */
	bool failed;		/* an error has been reported */
};

void lex_init(struct lexer *lx, const char *text, size_t len,
	      struct sc_diag *diag);
/* Checks the whole text once: size, NUL bytes, UTF-8, control characters,
 * line length.  Returns 0 or -1 (diagnosed). */
int lex_check_text(struct lexer *lx);
/* Reads the next token into *t.  Returns 0 or -1 (diagnosed). */
int lex_next(struct lexer *lx, struct token *t);

/* Records the first error at pos; always returns -1. */
int lex_error(struct lexer *lx, struct sc_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* True when t is the identifier `word`. */
bool tok_is(const struct lexer *lx, const struct token *t, const char *word);
/* A NUL-terminated copy of an identifier, or NULL when memory runs out. */
char *tok_dup(const struct lexer *lx, const struct token *t);
/* The decoded value of a TK_STRING, or NULL when memory runs out. */
char *tok_string(const struct lexer *lx, const struct token *t);
/* Copies an identifier into buf (truncated); returns buf. */
const char *tok_text(const struct lexer *lx, const struct token *t,
		     char *buf, size_t n);
/* Describes a token for a message: "'kill'", "'{'", "end of line", ... */
const char *tok_describe(const struct lexer *lx, const struct token *t,
			 char *buf, size_t n);

#endif

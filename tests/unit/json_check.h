/* A strict JSON syntax check (RFC 8259) for tests of --json outputs. */
#ifndef SIGLAB_TESTS_JSON_CHECK_H
#define SIGLAB_TESTS_JSON_CHECK_H

#include <stdbool.h>

/* Whether s is exactly one JSON value, with optional surrounding
 * whitespace; strings must be valid UTF-8 without raw control bytes. */
bool json_valid(const char *s);

#endif

/* JSON as text, without a parser's round trip: re-indenting keeps every
 * number and string byte for byte, where a parse and dump would print 1.1
 * as 1.1000000000000001 and unescape what the sender escaped. */
#ifndef TIERTOP_JSON_TEXT_H
#define TIERTOP_JSON_TEXT_H

#include <stddef.h>

struct tt_buf;

/* Appends s[0..len) to out with one member or element per line, indented
 * by `indent` spaces per level, and ": " after keys. s must already be valid
 * JSON (check with a parser first); empty {} and [] stay on one line. No
 * trailing newline. */
void tt_json_reindent(const char *s, size_t len, int indent, struct tt_buf *out);

#endif

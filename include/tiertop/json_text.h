/* JSON as text, without a parser's round trip: re-indenting keeps every
 * number and string byte for byte, where a parse and dump would print 1.1
 * as 1.1000000000000001 and unescape what the sender escaped. Everything is
 * appended to the caller's buffer; nothing else is allocated. */
#ifndef TIERTOP_JSON_TEXT_H
#define TIERTOP_JSON_TEXT_H

#include <stddef.h>

struct tt_buf;

/* Appends s[0..len) to out with one member or element per line, indented
 * by `indent` spaces per level, and ": " after keys. s must already be valid
 * JSON (check with a parser first); empty {} and [] stay on one line. No
 * trailing newline. */
void tt_json_reindent(const char *s, size_t len, int indent, struct tt_buf *out);
/* Appends s[0..len) on one line: the blanks between tokens dropped, every
 * string (escapes included) and number kept byte for byte. s must be valid
 * JSON. */
void tt_json_compact(const char *s, size_t len, struct tt_buf *out);

/* Appends a JSON string literal, quotes included, for s[0..len). Besides
 * what JSON requires, the C0 and C1 controls, DEL, U+2028/U+2029 and the
 * bidirectional controls are written as \uXXXX, so the literal is one line
 * with nothing in it a terminal would act on; other UTF-8 is kept as it is,
 * and bytes that are not valid UTF-8 become U+FFFD. */
void tt_json_string(struct tt_buf *out, const char *s, size_t len);
/* The same with every non-ASCII character escaped too (\uXXXX, surrogate
 * pairs past U+FFFF): for output that must read right on any terminal. */
void tt_json_string_ascii(struct tt_buf *out, const char *s, size_t len);

#endif

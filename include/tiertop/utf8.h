/* Decoding UTF-8 one code point at a time, strictly: overlong forms,
 * surrogates and values past U+10FFFF are invalid, since they are the
 * classic way to smuggle a control character past a filter. Pure function;
 * nothing is allocated. */
#ifndef TIERTOP_UTF8_H
#define TIERTOP_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at s (len > 0 bytes available): returns its length
 * (1 to 4) and stores the code point, or returns 0 when the bytes there are
 * not valid UTF-8. */
size_t tt_utf8_next(const char *s, size_t len, uint32_t *cp);
/* Whether all len bytes are valid UTF-8 (as above): what a JSON request can
 * carry. A string that is not would be dropped by jansson, silently. */
bool tt_utf8_valid(const char *s, size_t len);
/* Encodes a code point (a key typed, say) into out: returns its length (1
 * to 4), or 0 for a surrogate or a value past U+10FFFF. */
size_t tt_utf8_encode(uint32_t cp, char out[4]);

#endif

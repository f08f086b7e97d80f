/* Small string helpers. Functions returning char * hand ownership to the
 * caller; the others work in place or return borrowed pointers into their
 * argument. */
#ifndef TIERTOP_STR_H
#define TIERTOP_STR_H

#include <stdbool.h>
#include <stddef.h>

/* Python's shlex.split in POSIX mode, which the AWS CLI applies to
 * credential_process and botocore to "[profile NAME]" headers: quotes
 * group, single quotes are literal, inside double quotes a backslash
 * escapes only '"' and '\\', outside quotes any character. Returns the
 * number of words, stored in words[0..n) (the caller frees each) with
 * words[n] = NULL; -1 for a trailing backslash, an unterminated quote or
 * more than max-1 words (a command cut short would run something else). */
int tt_shlex_split(const char *s, char **words, int max);

bool tt_str_starts_with(const char *s, const char *prefix);
bool tt_str_ends_with(const char *s, const char *suffix);
bool tt_str_ieq(const char *a, const char *b);
/* Trims ASCII white space in place; returns s advanced past leading space. */
char *tt_str_trim(char *s);
/* "true"/"false" (any case) as AWS config files spell them. Returns -1 for
 * anything else. */
int tt_str_parse_bool(const char *s);
/* tiertop's own switches (its config file, TIERTOP_* variables): true, yes,
 * on, 1 give 1; false, no, off, 0 give 0 (any case); anything else -1. */
int tt_str_parse_switch(const char *s);
/* Parses a whole decimal number in [min, max]; -1 on anything else. */
int tt_str_parse_long(const char *s, long min, long max, long *out);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void tt_hex_encode(const unsigned char *in, size_t n, char *out);
/* Percent-encodes every byte except A-Z a-z 0-9 - _ . ~ (and '/' when
 * keep_slash); hex in upper case, as SigV4 and AWS URLs require. */
char *tt_uri_encode(const char *s, size_t len, bool keep_slash);
/* Decodes %XX escapes (a malformed escape is kept as is). Returns the decoded
 * length; out must hold len+1 bytes. */
size_t tt_uri_decode(const char *s, size_t len, char *out);

#endif

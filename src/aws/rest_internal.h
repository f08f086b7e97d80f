/* Shared by the restJson1 clients (Lambda, API Gateway): reading answers into
 * plain C structs and walking paginated listings. Private to src/aws.
 *
 * Ownership: tt_rj_str returns a string the caller frees; tt_rj_load returns
 * a json_t the caller releases with json_decref. tt_rj_pages owns its walk
 * and frees it after calling done. */
#ifndef TIERTOP_REST_INTERNAL_H
#define TIERTOP_REST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "tiertop/http.h"

struct tt_err;

/* The whole answer as a JSON object; on anything else TT_ERR_AWS saying that
 * `what` ("lambda ListFunctions") answered with malformed JSON. */
json_t *tt_rj_load(const char *data, size_t len, const char *what, struct tt_err *err);

/* A copy of o[key] when it is a string, else "" (never NULL). */
char *tt_rj_str(const json_t *o, const char *key);
/* o[key] when it is an integer (or a whole real), else dflt. */
long long tt_rj_int(const json_t *o, const char *key, long long dflt);
bool tt_rj_bool(const json_t *o, const char *key);
/* Epoch seconds from a number (API Gateway v1, Lambda event source
 * mappings) or an ISO-8601 string (API Gateway v2); 0 when absent or
 * unreadable. */
time_t tt_rj_time(const json_t *o, const char *key);
/* The next-page token: o[key] when it is a non-empty string, else NULL.
 * Caller frees. */
char *tt_rj_token(const json_t *o, const char *key);

/* items (an array of *n items of size bytes, the caller's) grown by add
 * zeroed items; returns the new array and adds add to *n. The one page
 * appender of every listing, so that none gets the arithmetic wrong. */
void *tt_rj_append(void *items, size_t *n, size_t add, size_t size);

/* Paginated listings. build makes the request for one page (token NULL for
 * the first); parse appends one page's items to the caller's list and sets
 * *next to the following token (owned) or NULL at the end; done runs once,
 * with err NULL when every page arrived. A token that repeats the previous
 * one, or more than TT_RJ_MAX_PAGES pages, ends the walk with an error rather
 * than looping forever on a misbehaving endpoint. */
#define TT_RJ_MAX_PAGES 2000

typedef struct tt_http_req *(*tt_rj_build_fn)(void *ctx, const char *token, struct tt_err *err);
typedef int (*tt_rj_parse_fn)(void *ctx, const char *body, size_t len, char **next, struct tt_err *err);
typedef void (*tt_rj_done_fn)(void *ctx, const struct tt_err *err);

int tt_rj_pages(struct tt_http *http, tt_rj_build_fn build, tt_rj_parse_fn parse, tt_rj_done_fn done,
		void *ctx, struct tt_err *err);

/* Submits one request whose answer body goes to parse (next is NULL for
 * it); done as above. For single-page calls, so that every call reports the
 * same way. */
int tt_rj_call(struct tt_http *http, struct tt_http_req *req, tt_rj_parse_fn parse, tt_rj_done_fn done,
	       void *ctx);

#endif

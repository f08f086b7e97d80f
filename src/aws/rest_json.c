/* Reading restJson1 answers and walking their pages (rest_internal.h). */
#include <stdlib.h>
#include <string.h>

#include "rest_internal.h"
#include "tiertop/clock.h"
#include "tiertop/err.h"
#include "tiertop/xalloc.h"

json_t *tt_rj_load(const char *data, size_t len, const char *what, struct tt_err *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(data ? data : "", len, 0, &jerr);

	if (!json_is_object(root)) {
		json_decref(root);
		tt_err_set(err, TT_ERR_AWS, "%s answered with malformed JSON (line %d, column %d: %s)", what,
			   jerr.line, jerr.column, root ? "not an object" : jerr.text);
		return NULL;
	}
	return root;
}

char *tt_rj_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return tt_xstrdup(s ? s : "");
}

long long tt_rj_int(const json_t *o, const char *key, long long dflt)
{
	const json_t *v = json_object_get(o, key);
	double d;

	if (json_is_integer(v))
		return json_integer_value(v);
	/* Some SDKs and simulators write 128.0; a fraction is not a count. */
	if (json_is_real(v)) {
		d = json_real_value(v);
		if (d > -9e15 && d < 9e15 && (double)(long long)d == d)
			return (long long)d;
	}
	return dflt;
}

bool tt_rj_bool(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

time_t tt_rj_time(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	time_t t;

	/* Past the year 9999 is no date, and too big to cast (undefined). */
	if (json_is_number(v) && json_number_value(v) > 0 && json_number_value(v) < 253402300800.0)
		return (time_t)json_number_value(v);
	if (json_is_string(v) && tt_time_parse_iso8601(json_string_value(v), &t) == 0)
		return t;
	return 0;
}

char *tt_rj_token(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? tt_xstrdup(s) : NULL;
}

struct walk {
	struct tt_http *http;
	struct tt_http_req *first; /* tt_rj_call: the one request */
	tt_rj_build_fn build;
	tt_rj_parse_fn parse;
	tt_rj_done_fn done;
	void *ctx;
	char *token;
	int pages;
};

static void walk_end(struct walk *w, const struct tt_err *err)
{
	w->done(w->ctx, err);
	free(w->token);
	free(w);
}

static int walk_submit(struct walk *w, struct tt_err *err);

static void on_page(void *ctx, const struct tt_http_resp *resp, const struct tt_err *herr)
{
	struct walk *w = ctx;
	struct tt_err err;
	char *next = NULL;

	if (herr) {
		walk_end(w, herr);
		return;
	}
	w->pages++;
	if (w->parse(w->ctx, resp->body.data, resp->body.len, &next, &err)) {
		walk_end(w, &err);
		return;
	}
	if (!w->build || !next) {
		free(next);
		walk_end(w, NULL);
		return;
	}
	if ((w->token && strcmp(next, w->token) == 0) || w->pages >= TT_RJ_MAX_PAGES) {
		tt_err_set(&err, TT_ERR_AWS,
			   "the listing did not end after %d pages (next-page token \"%.60s\")", w->pages,
			   next);
		free(next);
		walk_end(w, &err);
		return;
	}
	free(w->token);
	w->token = next;
	if (walk_submit(w, &err))
		walk_end(w, &err);
}

static int walk_submit(struct walk *w, struct tt_err *err)
{
	struct tt_http_req *req = w->first ? w->first : w->build(w->ctx, w->token, err);

	w->first = NULL;
	if (!req)
		return -1;
	return tt_http_submit(w->http, req, on_page, w);
}

void *tt_rj_append(void *items, size_t *n, size_t add, size_t size)
{
	size_t base = *n;
	char *grown = tt_xrealloc(items, (base + add ? base + add : 1) * size);

	memset(grown + base * size, 0, add * size);
	*n = base + add;
	return grown;
}

int tt_rj_pages(struct tt_http *http, tt_rj_build_fn build, tt_rj_parse_fn parse, tt_rj_done_fn done,
		void *ctx, struct tt_err *err)
{
	struct walk *w = tt_xcalloc(1, sizeof(*w));

	w->http = http;
	w->build = build;
	w->parse = parse;
	w->done = done;
	w->ctx = ctx;
	if (walk_submit(w, err)) {
		free(w);
		return -1;
	}
	return 0;
}

int tt_rj_call(struct tt_http *http, struct tt_http_req *req, tt_rj_parse_fn parse, tt_rj_done_fn done,
	       void *ctx)
{
	struct walk *w = tt_xcalloc(1, sizeof(*w));

	w->http = http;
	w->first = req;
	w->parse = parse;
	w->done = done;
	w->ctx = ctx;
	return tt_http_submit(http, req, on_page, w);
}

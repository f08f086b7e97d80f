/* The engine: a curl multi handle plus the retry, re-signing and skew logic
 * around each transfer. See http.h for the contract. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "http_internal.h"
#include "tiertop/clock.h"
#include "tiertop/creds.h"
#include "tiertop/err.h"
#include "tiertop/log.h"
#include "tiertop/retry.h"
#include "tiertop/sigv4.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

enum xfer_state { X_DUE, X_WAIT_CREDS, X_RUNNING };

struct xfer {
	struct xfer *next;
	long id;
	struct tt_http *http;
	struct tt_http_req *req;
	tt_http_done_fn done;
	void *ctx;
	enum xfer_state state;
	int attempt;          /* tries started so far */
	int64_t due_ms;       /* monotonic time the next try may start */
	CURL *easy;
	struct curl_slist *hdrs;
	struct tt_http_resp resp;
	char errbuf[CURL_ERROR_SIZE];
	bool skew_retried;
	bool creds_retried;
	int quota_taken;      /* what the last retry took from the retry quota */
	bool body_too_big;
	bool cancelled;
	bool streamed;        /* bytes went to on_data: a retry would repeat them */
	int64_t first_ms;     /* when the first try started (0: not yet); waiting for credentials is not counted */
	int64_t deadline_at;  /* monotonic ms after which it ends unanswered; 0: never */
	int64_t creds_since;  /* when it began to wait for credentials (their time is not counted) */
	char last_why[160];   /* why the last try failed, for the deadline's message */
};

#define MAX_WATCHED 8

struct watched_fd {
	int fd;
	tt_http_fd_fn cb;
	void *ctx;
	bool readable;
};

struct tt_http {
	CURLM *multi;
	struct watched_fd watched[MAX_WATCHED];
	size_t nwatched;
	struct tt_http_config cfg;
	struct xfer *xfers;
	long skew_s;
	uint64_t rng;
	long next_id;
	bool added; /* a transfer joined the multi handle since the last perform */
	struct tt_retry_quota quota;
	void (*idle)(void *ctx);
	void *idle_ctx;
	long deadline_ms;           /* per request, from its first try; 0: none */
	bool deadline_strict;       /* also for requests with a longer timeout of their own */
	tt_http_waiting_fn waiting; /* the "waiting for ..." notice of one-shot verbs */
	void *waiting_ctx;
	long waiting_after_ms, waiting_every_ms;
	bool waiting_shown;
	int64_t waiting_next_ms;    /* no notice before this */
};

/* --- engine lifetime ---------------------------------------------------- */

struct tt_http *tt_http_new(const struct tt_http_config *cfg)
{
	struct tt_http *h = tt_xcalloc(1, sizeof(*h));

	h->multi = curl_multi_init();
	h->cfg = *cfg;
	tt_retry_quota_init(&h->quota);
	if (h->cfg.max_attempts < 1)
		h->cfg.max_attempts = 3;
	if (h->cfg.connect_timeout_ms == 0)
		h->cfg.connect_timeout_ms = 10000;
	if (h->cfg.timeout_ms == 0)
		h->cfg.timeout_ms = 60000;
	h->rng = (uint64_t)tt_clock_now_ms() ^ ((uint64_t)getpid() << 32) ^ 0x9E3779B97F4A7C15ull;
	curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
	return h;
}

static void resp_clear(struct tt_http_resp *r)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	r->headers = NULL;
	r->nheaders = 0;
	r->status = 0;
	tt_buf_clear_secret(&r->body);
}

static void xfer_release_easy(struct xfer *x)
{
	if (x->easy) {
		curl_multi_remove_handle(x->http->multi, x->easy);
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
}

static void xfer_free(struct xfer *x)
{
	xfer_release_easy(x);
	resp_clear(&x->resp);
	tt_http_req_free(&x->req);
	free(x);
}

/* The callback may print: the notice must not share its line. */
static void clear_waiting(struct tt_http *h)
{
	if (!h->waiting_shown)
		return;
	h->waiting_shown = false;
	h->waiting_next_ms = 0;
	h->waiting(h->waiting_ctx, NULL, NULL, 0);
}

void tt_http_free(struct tt_http **hp)
{
	struct tt_http *h = *hp;

	if (!h)
		return;
	clear_waiting(h);
	while (h->xfers) {
		struct xfer *x = h->xfers;
		h->xfers = x->next;
		xfer_free(x);
	}
	curl_multi_cleanup(h->multi);
	free(h);
	*hp = NULL;
}

long tt_http_clock_skew(const struct tt_http *h)
{
	return h->skew_s;
}

time_t tt_http_now(const struct tt_http *h)
{
	return (time_t)(tt_clock_now_ms() / 1000) + h->skew_s;
}

bool tt_http_busy(const struct tt_http *h)
{
	return h->xfers != NULL;
}

size_t tt_http_in_flight(const struct tt_http *h)
{
	size_t n = 0;

	for (const struct xfer *x = h->xfers; x; x = x->next)
		n += x->state == X_RUNNING;
	return n;
}

void tt_http_wake(struct tt_http *h)
{
	curl_multi_wakeup(h->multi);
}

static double next_random(struct tt_http *h)
{
	/* xorshift64*: jitter only needs to be spread out, not secret. */
	h->rng ^= h->rng >> 12;
	h->rng ^= h->rng << 25;
	h->rng ^= h->rng >> 27;
	return (double)((h->rng * 2685821657736338717ull) >> 11) / (double)(1ull << 53);
}

static const char *label_of(const struct tt_http_req *req)
{
	return req->label ? req->label : req->path;
}

static int max_attempts_of(const struct xfer *x)
{
	return x->req->max_attempts > 0 ? x->req->max_attempts : x->http->cfg.max_attempts;
}

/* --- finishing ---------------------------------------------------------- */

static void unlink_xfer(struct xfer *x)
{
	for (struct xfer **pp = &x->http->xfers; *pp; pp = &(*pp)->next) {
		if (*pp == x) {
			*pp = x->next;
			return;
		}
	}
}

static void finish(struct xfer *x, const struct tt_err *err)
{
	clear_waiting(x->http);
	unlink_xfer(x);
	xfer_release_easy(x);
	x->resp.attempts = x->attempt;
	if (x->done)
		x->done(x->ctx, x->resp.status ? &x->resp : NULL, err);
	xfer_free(x);
}

static void schedule_retry(struct xfer *x, long delay_ms, const char *why)
{
	tt_log_printf("%s: retrying in %ld ms (%s, attempt %d of %d)", label_of(x->req), delay_ms,
		      why, x->attempt + 1, max_attempts_of(x));
	snprintf(x->last_why, sizeof(x->last_why), "%s", why);
	xfer_release_easy(x);
	resp_clear(&x->resp);
	x->state = X_DUE;
	x->due_ms = tt_clock_mono_ms() + delay_ms;
}

/* --- logging ------------------------------------------------------------ */

static bool secret_header(const char *name)
{
	static const char *const names[] = {
		"x-amz-security-token", "x-amz-sso_bearer_token", "x-aws-ec2-metadata-token",
		"proxy-authorization", NULL,
	};

	for (size_t i = 0; names[i]; i++)
		if (strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

static void log_header(const char *dir, const char *name, const char *value)
{
	if (strcasecmp(name, "authorization") == 0) {
		/* Keep what helps debug signing (scope, signed headers), drop the
		 * key id and the signature. */
		const char *scope = strchr(value, '/');
		const char *sh = strstr(value, "SignedHeaders=");
		if (tt_str_starts_with(value, "AWS4-HMAC-SHA256") && scope && sh) {
			const char *end = strchr(sh, ',');
			tt_log_printf("%s %s: AWS4-HMAC-SHA256 Credential=[redacted]%.*s %.*s Signature=REDACTED",
				      dir, name, (int)(strcspn(scope, ",") + 1), scope,
				      (int)(end ? end - sh + 1 : (long)strlen(sh)), sh);
		} else {
			tt_log_printf("%s %s: [redacted]", dir, name);
		}
	} else if (secret_header(name)) {
		tt_log_printf("%s %s: [redacted]", dir, name);
	} else {
		tt_log_printf("%s %s: %s", dir, name, value);
	}
}

static void log_request(const struct xfer *x, const char *url, struct curl_slist *hdrs)
{
	const struct tt_http_req *req = x->req;

	if (!tt_log_enabled())
		return;
	tt_log_printf("> %s %s (%s, attempt %d of %d)", req->method, url, label_of(req), x->attempt,
		      max_attempts_of(x));
	for (struct curl_slist *h = hdrs; h; h = h->next) {
		char *copy = tt_xstrdup(h->data);
		char *colon = strchr(copy, ':');
		if (colon && colon[1]) {
			*colon = '\0';
			log_header(">", copy, tt_str_trim(colon + 1));
		}
		free(copy);
	}
	if (req->sensitive && req->body.len)
		tt_log_printf("> [%zu-byte body withheld: it carries credentials]", req->body.len);
	else if (req->body.len)
		tt_log_block("> body", req->body.data, req->body.len, 16384);
}

static void log_filtered(tt_http_log_filter_fn filter, const struct tt_buf *body)
{
	char *shown = filter(body->data ? body->data : "", body->len);

	if (shown)
		tt_log_block("< body (secrets redacted)", shown, strlen(shown), 16384);
	else
		tt_log_printf("< [%zu-byte body withheld: it may carry secrets]", body->len);
	free(shown);
}

static void log_response(const struct xfer *x)
{
	const struct tt_http_resp *r = &x->resp;

	long connects = 0;

	if (!tt_log_enabled())
		return;
	curl_easy_getinfo(x->easy, CURLINFO_NUM_CONNECTS, &connects);
	tt_log_printf("< HTTP %ld (%s, %s connection)", r->status, label_of(x->req),
		      connects ? "new" : "reused");
	for (size_t i = 0; i < r->nheaders; i++)
		log_header("<", r->headers[i].name, r->headers[i].value);
	if (x->req->sensitive && r->status >= 200 && r->status < 300)
		tt_log_printf("< [%zu-byte body withheld: it carries credentials]", r->body.len);
	else if (x->req->log_filter && r->status >= 200 && r->status < 300)
		log_filtered(x->req->log_filter, &r->body);
	else
		tt_log_block("< body", r->body.data ? r->body.data : "", r->body.len, 16384);
}

/* --- curl callbacks ----------------------------------------------------- */

static bool streaming(struct xfer *x)
{
	long status = 0;

	if (!x->req->on_data)
		return false;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	return status >= 200 && status < 300;
}

/* A multi-megabyte page (FilterLogEvents, Scan) is stored in one block sized
 * from Content-Length rather than grown and copied a dozen times. */
static void reserve_content_length(struct xfer *x)
{
	curl_off_t announced = -1;

	if (curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced) == CURLE_OK &&
	    announced > 0 && (uint64_t)announced <= x->req->body_limit)
		tt_buf_reserve(&x->resp.body, (size_t)announced);
}

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
	struct xfer *x = userp;
	size_t len = size * n;

	if (streaming(x)) {
		x->streamed = true;
		if (x->req->on_data(x->req->data_ctx, data, len))
			return len;
		x->cancelled = true;
		return 0;
	}
	if (x->resp.body.len + len > x->req->body_limit) {
		x->body_too_big = true;
		return 0; /* makes curl fail the transfer with CURLE_WRITE_ERROR */
	}
	if (x->resp.body.len == 0)
		reserve_content_length(x);
	tt_buf_append(&x->resp.body, data, len);
	return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *userp)
{
	struct xfer *x = userp;
	size_t len = size * n;
	char *line, *colon;

	if (len > 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or 100-continue): start over. */
		resp_clear(&x->resp);
		return len;
	}
	line = tt_xstrndup(data, len);
	colon = strchr(line, ':');
	if (colon && x->resp.nheaders < 256) {
		*colon = '\0';
		x->resp.headers = tt_xrealloc(x->resp.headers,
					      (x->resp.nheaders + 1) * sizeof(*x->resp.headers));
		x->resp.headers[x->resp.nheaders].name = tt_xstrdup(tt_str_trim(line));
		x->resp.headers[x->resp.nheaders].value = tt_xstrdup(tt_str_trim(colon + 1));
		x->resp.nheaders++;
	}
	free(line);
	return len;
}

/* --- starting a try ----------------------------------------------------- */

/* Host header value as curl will send it: host[:port], port only when it is
 * not the scheme's default. */
static char *host_header(const char *base_url)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *scheme = NULL, *out = NULL;

	if (curl_url_set(u, CURLUPART_URL, base_url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
		curl_url_get(u, CURLUPART_PORT, &port, 0);
		for (char *p = host; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		bool default_port = !port || (scheme && ((strcmp(scheme, "https") == 0 && strcmp(port, "443") == 0) ||
							(strcmp(scheme, "http") == 0 && strcmp(port, "80") == 0)));
		out = default_port ? tt_xstrdup(host) : tt_xasprintf("%s:%s", host, port);
	}
	curl_free(host);
	curl_free(port);
	curl_free(scheme);
	curl_url_cleanup(u);
	return out;
}

static char *build_url(const struct tt_http_req *req)
{
	struct tt_kv *q = tt_xcalloc(req->nquery, sizeof(*q));
	char *qs, *url;

	for (size_t i = 0; i < req->nquery; i++) {
		q[i].key = req->query[i].name;
		q[i].value = req->query[i].value;
	}
	/* Send the query in canonical order: what is signed is what is sent. */
	qs = tt_sigv4_canonical_query(q, req->nquery);
	url = tt_xasprintf("%s%s%s%s", req->base_url, req->path, *qs ? "?" : "", qs);
	free(qs);
	free(q);
	return url;
}

static struct curl_slist *add_header(struct curl_slist *list, const char *name, const char *value)
{
	char *line = tt_xasprintf("%s: %s", name, value);
	struct curl_slist *out = curl_slist_append(list, line);

	tt_free_secret(line);
	return out;
}

/* Returns 0 when signed, 1 when credentials are still being fetched, -1 on
 * error. */
static int sign_request(struct xfer *x, const char *host, struct curl_slist **hdrs, struct tt_err *err)
{
	struct tt_http_req *req = x->req;
	const struct tt_creds *c = NULL;
	struct tt_kv *headers, *query;
	struct tt_sigv4_params p;
	struct tt_sigv4_output out;
	struct tt_sigv4_input in;
	int rc = tt_creds_cache_get(req->creds, tt_http_now(x->http), &c, err);

	if (rc != 0)
		return rc;
	headers = tt_xcalloc(req->nheaders + 1, sizeof(*headers));
	query = tt_xcalloc(req->nquery + 1, sizeof(*query));
	headers[0].key = "Host";
	headers[0].value = host;
	for (size_t i = 0; i < req->nheaders; i++) {
		headers[i + 1].key = req->headers[i].name;
		headers[i + 1].value = req->headers[i].value;
	}
	for (size_t i = 0; i < req->nquery; i++) {
		query[i].key = req->query[i].name;
		query[i].value = req->query[i].value;
	}
	in = (struct tt_sigv4_input){req->method, req->path, query, req->nquery, headers,
				     req->nheaders + 1, req->body.data, req->body.len};
	memset(&p, 0, sizeof(p));
	p.access_key_id = c->access_key_id;
	p.secret_access_key = c->secret_access_key;
	p.session_token = c->session_token;
	p.region = req->region;
	p.service = req->signing_name;
	p.now = tt_http_now(x->http);
	p.normalize_path = true;
	p.sign_session_token = true;
	rc = tt_sigv4_sign_headers(&in, &p, &out, err);
	if (rc == 0) {
		for (size_t i = 0; i < out.nadded; i++)
			*hdrs = add_header(*hdrs, out.added[i].name, out.added[i].value);
		tt_sigv4_output_clear(&out);
	}
	free(headers);
	free(query);
	return rc;
}

static void set_method_and_body(CURL *e, const struct tt_http_req *req)
{
	bool has_body = req->has_body || strcmp(req->method, "POST") == 0 ||
			strcmp(req->method, "PUT") == 0;

	if (strcmp(req->method, "GET") == 0 && !req->has_body) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
		return;
	}
	if (strcmp(req->method, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
		return;
	}
	if (has_body) {
		/* POSTFIELDS sends exactly the bytes that were hashed for the
		 * signature; a read callback would not. */
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body.len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body.data ? req->body.data : "");
	}
	if (strcmp(req->method, "POST") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
}

static void set_transfer_options(struct xfer *x, CURL *e, const char *url)
{
	const struct tt_http_req *req = x->req;
	const struct tt_http_config *cfg = &x->http->cfg;

	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "tiertop/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	/* TLS verification is never optional. */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (cfg->ca_bundle && *cfg->ca_bundle)
		curl_easy_setopt(e, CURLOPT_CAINFO, cfg->ca_bundle);
	/* A negative setting is "none" (--cli-*-timeout 0), which is 0 to curl. */
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 req->connect_ms > 0 ? req->connect_ms
			 : cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 0L);
	if (req->on_data) {
		/* A stream stays open for hours: only a silence ends it. */
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (req->stall_ms + 999) / 1000);
	} else {
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
				 req->total_ms > 0 ? req->total_ms : cfg->timeout_ms > 0 ? cfg->timeout_ms : 0L);
	}
	if (req->no_proxy)
		curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
	/* On a reused connection that dies before any answer byte, curl sends
	 * the request again by itself: fine for a GET, a second run for an
	 * Invoke. A fresh connection costs one handshake and removes that. */
	if (req->not_idempotent)
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	set_method_and_body(e, req);
}

/* A request the caller gave a longer timeout (a synchronous Invoke runs
 * up to 15 minutes) keeps it: the deadline is for waits nobody asked for.
 * Streams (Live Tail) have none; their silence is what ends them. */
static void start_deadline(struct xfer *x)
{
	const struct tt_http_req *req = x->req;
	long budget = x->http->deadline_ms;
	long own = req->total_ms > 0 ? req->total_ms + (req->connect_ms > 0 ? req->connect_ms : 0) : 0;

	x->first_ms = tt_clock_mono_ms();
	if (budget <= 0 || req->on_data)
		return;
	if (!x->http->deadline_strict && own > budget)
		budget = own;
	x->deadline_at = x->first_ms + budget;
}

/* Returns what became of x: it may have been finished (and freed). */
enum try_outcome { TRY_RUNNING, TRY_WAITING, TRY_FINISHED };

static enum try_outcome start_try(struct xfer *x)
{
	struct tt_http_req *req = x->req;
	struct curl_slist *hdrs = NULL;
	struct tt_err err;
	char *host = host_header(req->base_url);
	char *url;
	int rc = 0;

	if (!host) {
		tt_err_set(&err, TT_ERR_CONFIG, "invalid endpoint URL \"%s\"", req->base_url);
		finish(x, &err);
		return TRY_FINISHED;
	}
	for (size_t i = 0; i < req->nheaders; i++)
		hdrs = add_header(hdrs, req->headers[i].name, req->headers[i].value);
	hdrs = add_header(hdrs, "Host", host);
	if (req->creds)
		rc = sign_request(x, host, &hdrs, &err);
	free(host);
	if (rc != 0) {
		curl_slist_free_all(hdrs);
		if (rc > 0) {
			if (x->state != X_WAIT_CREDS)
				x->creds_since = tt_clock_mono_ms();
			x->state = X_WAIT_CREDS;
			return TRY_WAITING;
		}
		finish(x, &err);
		return TRY_FINISHED;
	}
	/* No 100-continue round trip; and an empty Expect is not signed. */
	hdrs = curl_slist_append(hdrs, "Expect:");
	x->hdrs = hdrs;
	if (x->state == X_WAIT_CREDS && x->first_ms) {
		/* A person may have typed an MFA code meanwhile. */
		int64_t waited = tt_clock_mono_ms() - x->creds_since;
		x->first_ms += waited;
		if (x->deadline_at)
			x->deadline_at += waited;
	}
	if (!x->attempt)
		start_deadline(x);
	x->attempt++;
	x->body_too_big = false;
	x->errbuf[0] = '\0';
	url = build_url(req);
	x->easy = curl_easy_init();
	set_transfer_options(x, x->easy, url);
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, hdrs);
	log_request(x, url, hdrs);
	free(url);
	tt_buf_init(&x->resp.body, 0);
	tt_buf_puts(&x->resp.body, ""); /* callers may rely on a non-NULL body */
	x->state = X_RUNNING;
	curl_multi_add_handle(x->http->multi, x->easy);
	x->http->added = true;
	return TRY_RUNNING;
}

int tt_http_submit(struct tt_http *h, struct tt_http_req *req, tt_http_done_fn done, void *ctx)
{
	tt_http_submit_id(h, req, done, ctx);
	return 0;
}

void tt_http_cancel(struct tt_http *h, long id)
{
	struct tt_err err;

	for (struct xfer *x = h->xfers; x; x = x->next) {
		if (x->id != id)
			continue;
		tt_err_set(&err, TT_ERR_FAILURE, "%s: cancelled", label_of(x->req));
		finish(x, &err);
		return;
	}
}

void tt_http_cancel_all(struct tt_http *h)
{
	/* A caller that answers every cancellation with a new request would
	 * keep this going: a bound, far above any real chain of follow-ups. */
	for (int ended = 0; h->xfers && ended < 100000; ended++) {
		struct tt_err err;

		tt_err_set(&err, TT_ERR_FAILURE, "%s: cancelled", label_of(h->xfers->req));
		finish(h->xfers, &err);
	}
}

long tt_http_submit_id(struct tt_http *h, struct tt_http_req *req, tt_http_done_fn done, void *ctx)
{
	struct xfer *x = tt_xcalloc(1, sizeof(*x));
	struct xfer **tail = &h->xfers;

	x->id = ++h->next_id;
	x->http = h;
	x->req = req;
	x->done = done;
	x->ctx = ctx;
	x->state = X_DUE;
	x->due_ms = req->delay_ms > 0 ? tt_clock_mono_ms() + req->delay_ms : 0;
	while (*tail)
		tail = &(*tail)->next;
	*tail = x;
	tt_http_wake(h);
	return x->id;
}

/* --- finishing a try ---------------------------------------------------- */

static long retry_after_ms(const struct tt_http_resp *r)
{
	const char *ms = tt_http_resp_header(r, "x-amz-retry-after");
	const char *s = tt_http_resp_header(r, "Retry-After");
	long v;

	if (ms && tt_str_parse_long(ms, 0, 3600000, &v) == 0)
		return v;
	if (s && tt_str_parse_long(s, 0, 3600, &v) == 0)
		return v * 1000;
	return -1;
}

/* The server's clock from its Date header, as an offset from ours. Returns
 * false when there is no usable Date. */
static bool server_skew(const struct tt_http_resp *r, long *skew_s)
{
	const char *date = tt_http_resp_header(r, "Date");
	time_t server;

	if (!date || tt_time_parse_http_date(date, &server))
		return false;
	*skew_s = (long)(server - (time_t)(tt_clock_now_ms() / 1000));
	return true;
}

/* AWS accepts 5 minutes; a difference of more than a minute from what we
 * assumed means our correction is wrong. */
static bool try_skew_fix(struct xfer *x)
{
	long skew;

	if (x->skew_retried || !server_skew(&x->resp, &skew) || labs(skew - x->http->skew_s) < 60)
		return false;
	tt_log_printf("clock skew: server is %+ld s from this machine; re-signing", skew);
	x->http->skew_s = skew;
	x->skew_retried = true;
	return true;
}

/* The bundle the user named is the problem, not the server: say so, with
 * what is wrong with the file, instead of advising to set it. */
static void ca_bundle_error(struct xfer *x, struct tt_err *err)
{
	const struct tt_http_config *cfg = &x->http->cfg;
	struct stat st;
	const char *why = stat(cfg->ca_bundle, &st) ? strerror(errno)
			  : S_ISDIR(st.st_mode)     ? "it is a directory"
						    : "no certificate could be read from it (PEM expected)";

	if (cfg->ca_bundle_where)
		tt_err_set(err, TT_ERR_CONFIG, "%s: cannot use the CA bundle %s (ca_bundle, %s): %s", label_of(x->req),
			   cfg->ca_bundle, cfg->ca_bundle_where, why);
	else
		tt_err_set(err, TT_ERR_CONFIG, "%s: cannot use the CA bundle %s (AWS_CA_BUNDLE): %s", label_of(x->req),
			   cfg->ca_bundle, why);
}

static void network_error(struct xfer *x, CURLcode rc, struct tt_err *err)
{
	const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);

	if (x->body_too_big) {
		tt_err_set(err, TT_ERR_AWS, "%s: the answer is larger than %zu bytes; refusing it",
			   label_of(x->req), x->req->body_limit);
		return;
	}
	if (rc == CURLE_SSL_CACERT_BADFILE && x->http->cfg.ca_bundle) {
		ca_bundle_error(x, err);
		return;
	}
	if (x->attempt > 1)
		tt_err_set(err, TT_ERR_NETWORK, "%s: cannot reach %s: %s (after %d attempts)", label_of(x->req),
			   x->req->base_url, detail, x->attempt);
	else
		tt_err_set(err, TT_ERR_NETWORK, "%s: cannot reach %s: %s", label_of(x->req), x->req->base_url,
			   detail);
	if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE)
		tt_err_prefix(err, "TLS certificate check failed (set AWS_CA_BUNDLE if your network re-signs TLS)");
}

static bool retryable_transport(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_COULDNT_RESOLVE_HOST:
		return true;
	default:
		return false;
	}
}

/* Before curl sent the request no server can have acted on it, so even a
 * request that must not run twice may be tried again. */
static bool nothing_sent(struct xfer *x)
{
	long sent = 0;

	return curl_easy_getinfo(x->easy, CURLINFO_REQUEST_SIZE, &sent) == CURLE_OK && sent == 0;
}

static void note_not_retried(struct tt_err *err)
{
	size_t n = strlen(err->message);

	snprintf(err->message + n, sizeof(err->message) - n,
		 " (not retried: the request may have taken effect)");
}

/* The retry quota's say on one more try. A refusal is written into the
 * error, so that nobody wonders why a retryable failure was not retried. */
static bool take_quota(struct xfer *x, bool after_timeout, struct tt_err *err)
{
	size_t n;

	x->quota_taken = tt_retry_quota_acquire(&x->http->quota, after_timeout);
	if (x->quota_taken)
		return true;
	n = strlen(err->message);
	snprintf(err->message + n, sizeof(err->message) - n,
		 " (not retried: so many requests failed lately that the retry quota is spent)");
	tt_log_printf("%s: retry quota spent, not retried", label_of(x->req));
	return false;
}

static void on_transport_failure(struct xfer *x, CURLcode rc)
{
	struct tt_err err;
	bool once = x->req->not_idempotent && !nothing_sent(x);

	if (x->cancelled) {
		tt_err_set(&err, TT_ERR_FAILURE, "%s: cancelled", label_of(x->req));
		finish(x, &err);
		return;
	}
	network_error(x, rc, &err);
	if (!x->body_too_big && !x->streamed && !once && retryable_transport(rc) &&
	    x->attempt < max_attempts_of(x) && take_quota(x, rc == CURLE_OPERATION_TIMEDOUT, &err)) {
		schedule_retry(x, tt_retry_delay_ms(x->attempt, next_random(x->http), -1),
			       curl_easy_strerror(rc));
		return;
	}
	if (once && !x->body_too_big)
		note_not_retried(&err);
	resp_clear(&x->resp);
	finish(x, &err);
}

static void on_error_answer(struct xfer *x)
{
	struct tt_err err;
	enum tt_retry_class cls;
	bool retryable;

	tt_http_parse_error(x->req->proto, &x->resp, &err);
	cls = tt_retry_classify(x->resp.status, err.code);
	if ((cls == TT_RETRY_CLOCK_SKEW || cls == TT_RETRY_EXPIRED_CREDS) && try_skew_fix(x)) {
		schedule_retry(x, 0, "clock skew");
		return;
	}
	if (cls == TT_RETRY_EXPIRED_CREDS && x->req->creds && !x->creds_retried &&
	    tt_creds_cache_invalidate(x->req->creds)) {
		x->creds_retried = true;
		schedule_retry(x, 0, "credentials expired");
		return;
	}
	if (cls == TT_RETRY_TRANSIENT && x->req->not_idempotent) {
		tt_err_prefix(&err, "%s", label_of(x->req));
		note_not_retried(&err);
		finish(x, &err);
		return;
	}
	if (x->req->creds && tt_retry_is_credential_code(err.code))
		tt_creds_cache_explain(x->req->creds, &err);
	retryable = cls == TT_RETRY_THROTTLED || cls == TT_RETRY_TRANSIENT;
	if (retryable && x->attempt < max_attempts_of(x)) {
		if (take_quota(x, false, &err)) {
			schedule_retry(x, tt_retry_delay_ms(x->attempt, next_random(x->http),
			                                    retry_after_ms(&x->resp)),
			               err.code);
			return;
		}
		retryable = false; /* the error says why */
	}
	if (retryable)
		tt_err_prefix(&err, "%s (gave up after %d attempts)", label_of(x->req), x->attempt);
	else
		tt_err_prefix(&err, "%s", label_of(x->req));
	finish(x, &err);
}

static void on_done(struct xfer *x, CURLcode rc)
{
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->resp.status);
	if (rc != CURLE_OK) {
		tt_log_printf("! %s: %s", label_of(x->req), x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
		on_transport_failure(x, rc);
		return;
	}
	log_response(x);
	if (x->resp.status >= 200 && x->resp.status < 300) {
		tt_retry_quota_release(&x->http->quota, x->quota_taken);
		finish(x, NULL);
		return;
	}
	on_error_answer(x);
}

/* --- the loop hooks ----------------------------------------------------- */

static void collect_finished(struct tt_http *h)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(h->multi, &left))) {
		struct xfer *x = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (x)
			on_done(x, msg->data.result);
	}
}

/* Starts every try that is due. The scan restarts after each change because
 * a start can finish a request and run its callback, which may submit or
 * complete others. Returns whether anything changed. */
static bool start_due(struct tt_http *h)
{
	int64_t now = tt_clock_mono_ms();
	bool changed = false;

	for (bool again = true; again;) {
		again = false;
		for (struct xfer *x = h->xfers; x; x = x->next) {
			bool due = (x->state == X_DUE && x->due_ms <= now) || x->state == X_WAIT_CREDS;
			enum xfer_state before = x->state;
			if (!due)
				continue;
			if (start_try(x) == TRY_WAITING && before == X_WAIT_CREDS)
				continue; /* still waiting; nothing changed */
			changed = again = true;
			break;
		}
	}
	return changed;
}

int tt_http_watch_fd(struct tt_http *h, int fd, tt_http_fd_fn cb, void *ctx)
{
	if (h->nwatched >= MAX_WATCHED)
		return -1;
	h->watched[h->nwatched++] = (struct watched_fd){fd, cb, ctx, false};
	return 0;
}

void tt_http_unwatch_fd(struct tt_http *h, int fd)
{
	for (size_t i = 0; i < h->nwatched; i++) {
		if (h->watched[i].fd == fd) {
			h->watched[i] = h->watched[--h->nwatched];
			return;
		}
	}
}

/* Callbacks may unwatch (and so reorder) the table: restart after each. */
static void run_watched(struct tt_http *h)
{
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < h->nwatched; i++) {
			struct watched_fd w = h->watched[i];
			if (!w.readable)
				continue;
			h->watched[i].readable = false;
			w.cb(w.ctx, w.fd);
			again = true;
			break;
		}
	}
}

static bool overdue(const struct xfer *x, int64_t now)
{
	if (!x->deadline_at || x->state == X_WAIT_CREDS)
		return false;
	/* A retry due after the deadline (a long Retry-After) is not waited for. */
	return now >= x->deadline_at || (x->state == X_DUE && x->due_ms > x->deadline_at);
}

static void expire(struct xfer *x, int64_t now)
{
	struct tt_err err;
	char *host = host_header(x->req->base_url);
	size_t n;

	tt_err_set(&err, TT_ERR_NETWORK, "no answer from %s at %s within the deadline of %ld s (attempt %d of %d",
		   label_of(x->req), host ? host : x->req->base_url, (long)((x->deadline_at - x->first_ms) / 1000),
		   x->attempt, max_attempts_of(x));
	n = strlen(err.message);
	if (x->state == X_DUE && x->due_ms > now)
		snprintf(err.message + n, sizeof(err.message) - n, "; the next would start in %ld s after %s",
			 (long)((x->due_ms - now + 999) / 1000), x->last_why);
	else if (x->last_why[0])
		snprintf(err.message + n, sizeof(err.message) - n, "; the last failed: %s", x->last_why);
	n = strlen(err.message);
	snprintf(err.message + n, sizeof(err.message) - n, "); --deadline SECONDS or TIERTOP_DEADLINE waits longer");
	if (x->req->not_idempotent && x->state == X_RUNNING)
		note_not_retried(&err);
	tt_log_printf("! %s: deadline passed", label_of(x->req));
	free(host);
	finish(x, &err);
}

/* Callbacks may submit or finish others: restart after each. */
static void expire_overdue(struct tt_http *h)
{
	int64_t now = tt_clock_mono_ms();

	for (bool again = true; again;) {
		again = false;
		for (struct xfer *x = h->xfers; x; x = x->next) {
			if (!overdue(x, now))
				continue;
			expire(x, now);
			again = true;
			break;
		}
	}
}

void tt_http_set_deadline(struct tt_http *h, long ms, bool strict)
{
	h->deadline_ms = ms > 0 ? ms : 0;
	h->deadline_strict = strict;
}

void tt_http_set_waiting(struct tt_http *h, long after_ms, long every_ms, tt_http_waiting_fn fn, void *ctx)
{
	clear_waiting(h);
	h->waiting = fn;
	h->waiting_ctx = ctx;
	h->waiting_after_ms = after_ms;
	h->waiting_every_ms = every_ms > 0 ? every_ms : 1000;
}

/* The request waiting longest, streams aside (they wait by design). */
static const struct xfer *longest_wait(const struct tt_http *h)
{
	const struct xfer *best = NULL;

	for (const struct xfer *x = h->xfers; x; x = x->next)
		if (x->first_ms && !x->req->on_data && x->state != X_WAIT_CREDS &&
		    (!best || x->first_ms < best->first_ms))
			best = x;
	return best;
}

/* When the next notice is due, or -1 when there is nothing to tell. */
static int64_t waiting_due(const struct tt_http *h)
{
	const struct xfer *x = h->waiting ? longest_wait(h) : NULL;
	int64_t at;

	if (!x)
		return -1;
	at = x->first_ms + h->waiting_after_ms;
	return at > h->waiting_next_ms ? at : h->waiting_next_ms;
}

static void notice_waiting(struct tt_http *h)
{
	int64_t now = tt_clock_mono_ms(), due = waiting_due(h);
	const struct xfer *x;
	char *host;

	if (due < 0 || now < due)
		return;
	x = longest_wait(h);
	host = host_header(x->req->base_url);
	h->waiting(h->waiting_ctx, label_of(x->req), host ? host : x->req->base_url,
		   (long)((now - x->first_ms) / 1000));
	free(host);
	h->waiting_shown = true;
	h->waiting_next_ms = now + h->waiting_every_ms;
}

void tt_http_dispatch(struct tt_http *h)
{
	int running;

	expire_overdue(h);
	run_watched(h);
	/* Every perform is followed by a collect: a transfer that a perform
	 * completes and nobody collects would wait for the next wake-up, up to
	 * the caller's whole timeout. A request submitted from a completion
	 * callback (the next page) is put on the wire before dispatch returns,
	 * so that the server works on it while the caller handles this page. */
	do {
		h->added = false;
		curl_multi_perform(h->multi, &running);
		collect_finished(h);
	} while (start_due(h) || h->added);
}

static long next_due_ms(const struct tt_http *h, long max_ms)
{
	int64_t now = tt_clock_mono_ms(), notice = waiting_due(h);
	long wait = max_ms;

	if (notice >= 0 && notice - now < wait)
		wait = notice <= now ? 0 : (long)(notice - now);
	for (const struct xfer *x = h->xfers; x; x = x->next)
		if (x->deadline_at && x->state != X_WAIT_CREDS && x->deadline_at - now < wait)
			wait = x->deadline_at <= now ? 0 : (long)(x->deadline_at - now);

	for (const struct xfer *x = h->xfers; x; x = x->next) {
		if (x->state == X_DUE) {
			long d = x->due_ms <= now ? 0 : (long)(x->due_ms - now);
			if (d < wait)
				wait = d;
		}
	}
	return wait;
}

int tt_http_wait(struct tt_http *h, struct tt_http_fd *fds, size_t nfds, long max_ms)
{
	struct curl_waitfd local[MAX_WATCHED + 8], *wfds = local;
	size_t n = nfds;
	int ready = 0, numfds = 0;

	/* Every caller fd is watched, however many: more than the usual few
	 * costs an allocation, not a silently ignored fd. */
	if (n > 8)
		wfds = tt_xcalloc(n + MAX_WATCHED, sizeof(*wfds));

	if (h->idle)
		h->idle(h->idle_ctx);
	notice_waiting(h);
	for (size_t i = 0; i < n + h->nwatched; i++) {
		wfds[i].fd = i < n ? fds[i].fd : h->watched[i - n].fd;
		wfds[i].events = CURL_WAIT_POLLIN;
		wfds[i].revents = 0;
	}
	/* curl reports POLLIN but not POLLHUP for extra fds, so a pipe at EOF
	 * would never look ready: while fds are watched, wake up often and let
	 * their (non-blocking) readers look. */
	if (h->nwatched && max_ms > 20)
		max_ms = 20;
	curl_multi_poll(h->multi, wfds, (unsigned)(n + h->nwatched), (int)next_due_ms(h, max_ms), &numfds);
	for (size_t i = 0; i < n; i++) {
		fds[i].readable = (wfds[i].revents & (CURL_WAIT_POLLIN | CURL_WAIT_POLLPRI)) != 0;
		ready += fds[i].readable;
	}
	for (size_t i = 0; i < h->nwatched; i++)
		h->watched[i].readable = true;
	if (wfds != local)
		free(wfds);
	return ready;
}

void tt_http_set_idle(struct tt_http *h, void (*fn)(void *ctx), void *ctx)
{
	h->idle = fn;
	h->idle_ctx = ctx;
}

void tt_http_run_until(struct tt_http *h, const bool *done)
{
	for (;;) {
		tt_http_dispatch(h);
		if (*done)
			return;
		tt_http_wait(h, NULL, 0, 1000);
	}
}

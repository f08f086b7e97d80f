/* The HTTP engine: every request tiertop makes goes through one curl multi
 * handle driven by the caller's event loop, so nothing ever blocks (DNS, TLS,
 * credential fetches, retries' back-off sleeps included).
 *
 * It signs requests (SigV4, re-signed for every attempt), retries the way the
 * AWS SDKs' "standard" mode does, corrects clock skew from the server's Date
 * header, parses AWS errors per protocol and writes the --debug-log with
 * secrets redacted.
 *
 * Ownership: tt_http_new returns an engine the caller frees with
 * tt_http_free (pending requests are cancelled; their callbacks do not run).
 * A request built with tt_http_req_new belongs to the caller until
 * tt_http_submit, which takes it over in every case (even on failure). The
 * response and error passed to a callback are borrowed for the duration of the
 * callback. */
#ifndef TIERTOP_HTTP_H
#define TIERTOP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "tiertop/buf.h"

struct tt_err;
struct tt_creds_cache;

enum tt_proto {
	TT_PROTO_NONE,      /* non-AWS (IMDS, container endpoint) */
	TT_PROTO_QUERY,     /* awsQuery: form body, XML answers (STS, CloudFormation) */
	TT_PROTO_JSON,      /* awsJson 1.0 / 1.1 */
	TT_PROTO_REST_JSON, /* restJson1 (Lambda, API Gateway, SSO) */
};

enum tt_retry_mode { TT_RETRY_STANDARD, TT_RETRY_LEGACY, TT_RETRY_ADAPTIVE };

struct tt_http_config {
	int max_attempts;          /* total tries, >= 1 (AWS default: 3) */
	enum tt_retry_mode retry_mode;
	const char *ca_bundle;     /* AWS_CA_BUNDLE / ca_bundle; NULL = system store */
	const char *ca_bundle_where; /* the config line that set it; NULL: the environment */
	long connect_timeout_ms;   /* 0: 10 s (botocore's is 60 s, too long to learn a host is wrong)... */
	long timeout_ms;           /* ...and 60 s to answer, as botocore's read timeout; negative: none */
};

struct tt_http_header {
	char *name;
	char *value;
};

struct tt_http_resp {
	long status;
	struct tt_http_header *headers;
	size_t nheaders;
	struct tt_buf body;
	int attempts;              /* how many tries it took */
};

/* Case-insensitive lookup of a response header; borrowed or NULL. */
const char *tt_http_resp_header(const struct tt_http_resp *resp, const char *name);

struct tt_http;
struct tt_http_req;

/* err is NULL on success (a 2xx answer). On failure resp may still be set
 * (an AWS error answer) or be NULL (network failure). */
typedef void (*tt_http_done_fn)(void *ctx, const struct tt_http_resp *resp,
				const struct tt_err *err);

/* The program calls curl_global_init once, in main, before any engine
 * exists (libcurl's rule: before any other thread, once). */
struct tt_http *tt_http_new(const struct tt_http_config *cfg);
void tt_http_free(struct tt_http **http);

/* Reads AWS_MAX_ATTEMPTS / AWS_RETRY_MODE / AWS_CA_BUNDLE, falling back to
 * the profile's max_attempts / retry_mode / ca_bundle. Strings stay owned by
 * the environment or cfg. */
struct tt_awscfg;
int tt_http_config_load(struct tt_http_config *out, const struct tt_awscfg *cfg,
			const char *profile, struct tt_err *err);

struct tt_http_req *tt_http_req_new(const char *method, const char *base_url, const char *path);
void tt_http_req_free(struct tt_http_req **req);
void tt_http_req_query(struct tt_http_req *req, const char *key, const char *value);
void tt_http_req_header(struct tt_http_req *req, const char *name, const char *value);
void tt_http_req_body(struct tt_http_req *req, const void *data, size_t len);
/* Sign with credentials from cache (the engine fetches them when needed). */
void tt_http_req_sign(struct tt_http_req *req, struct tt_creds_cache *creds,
		      const char *signing_name, const char *region);
void tt_http_req_proto(struct tt_http_req *req, enum tt_proto proto);
/* What the request is, for logs and errors: "sts GetCallerIdentity". */
void tt_http_req_label(struct tt_http_req *req, const char *label);
void tt_http_req_timeouts(struct tt_http_req *req, long connect_ms, long total_ms);
void tt_http_req_attempts(struct tt_http_req *req, int max_attempts);
/* The request must not take effect twice (Lambda Invoke): it is tried again
 * only when the server certainly did not act on it, i.e. throttling (429 or a
 * throttling code: rejected before any work), credential and clock-skew
 * rejections (refused before any work), and transport failures before a byte
 * of the request was sent (DNS, refused connection, connect timeout). A 5xx,
 * a timeout or a reset after sending may follow work that was done, so they
 * end the request with "not retried" in the message. Such a request always
 * opens a new connection, because curl silently resends a request whose
 * reused connection died before answering. */
void tt_http_req_not_idempotent(struct tt_http_req *req);
/* Bodies that carry credentials are never written to the debug log. */
void tt_http_req_sensitive(struct tt_http_req *req);
/* For answers that mix secrets with what is worth logging: the debug log
 * shows filter(body) instead of the body. The filter returns a string the
 * log frees, or NULL to withhold the body altogether. */
typedef char *(*tt_http_log_filter_fn)(const char *body, size_t len);
void tt_http_req_log_filter(struct tt_http_req *req, tt_http_log_filter_fn filter);
/* The first try waits this long after submit: a back-off between calls
 * that the caller decides (DynamoDB's UnprocessedKeys, for one). */
void tt_http_req_delay(struct tt_http_req *req, long ms);
/* Link-local metadata endpoints must not go through a proxy. */
void tt_http_req_no_proxy(struct tt_http_req *req);
void tt_http_req_body_limit(struct tt_http_req *req, size_t max_bytes);
/* Streaming answers (Live Tail): once a 2xx status is in, body bytes go to
 * on_data as they arrive instead of into resp->body; returning false aborts
 * the transfer (the done callback then reports TT_ERR_FAILURE "cancelled").
 * Error answers are still collected and parsed as usual. Streams have no
 * total timeout; a stall of stall_ms (no byte at all) ends them. */
typedef bool (*tt_http_data_fn)(void *ctx, const char *data, size_t len);
void tt_http_req_stream(struct tt_http_req *req, tt_http_data_fn on_data, void *ctx, long stall_ms);


int tt_http_submit(struct tt_http *http, struct tt_http_req *req, tt_http_done_fn done, void *ctx);
/* Like tt_http_submit, returns an id (> 0) for tt_http_cancel. */
long tt_http_submit_id(struct tt_http *http, struct tt_http_req *req, tt_http_done_fn done, void *ctx);
void tt_http_cancel(struct tt_http *http, long id);
/* Ends every pending request now, its callback run with TT_ERR_FAILURE
 * "cancelled", so that whatever waits on one frees what it holds (unlike
 * tt_http_free). Requests submitted from those callbacks are ended too. */
void tt_http_cancel_all(struct tt_http *http);

/* Event-loop hooks. tt_http_wait blocks for at most max_ms (or until one of
 * fds is readable, or tt_http_wake is called) and returns the number of
 * extra fds that are readable; tt_http_dispatch then does all due work and
 * runs callbacks. */
struct tt_http_fd {
	int fd;
	bool readable;
};
/* Any number of fds is watched (beyond eight it costs an allocation). */
int tt_http_wait(struct tt_http *http, struct tt_http_fd *fds, size_t nfds, long max_ms);
void tt_http_dispatch(struct tt_http *http);
void tt_http_wake(struct tt_http *http);
/* True while any request is queued, in flight or waiting to retry. */
bool tt_http_busy(const struct tt_http *http);
/* Requests on the wire now (a Live Tail stream included), for the
 * console's status line. */
size_t tt_http_in_flight(const struct tt_http *http);
/* Runs the loop until *done becomes true (for one-shot commands). */
void tt_http_run_until(struct tt_http *http, const bool *done);
/* One-shot verbs (not the console, which shows its own status): no request
 * waits longer than ms from its first try (retries and their back-off
 * included; not the wait for credentials, whose own requests have one)
 * unless the caller gave it a longer total timeout (tt_http_req_timeouts:
 * a synchronous Invoke) and the deadline is not strict (a person asked for
 * this one; the default yields). Then it ends with TT_ERR_NETWORK naming the call,
 * the host and what it was waiting for; a retry due after the deadline
 * ends it at once. 0 (the default) means none. Applies to requests whose
 * first try starts after the call. */
void tt_http_set_deadline(struct tt_http *http, long ms, bool strict);
/* Told, from tt_http_wait, about the request waiting longest (streams
 * aside) once it has waited after_ms, then at most every every_ms; called
 * with label NULL when the notice must go (before any request's callback
 * runs, so the callback's output starts on a clean line). label and host
 * are borrowed for the call. NULL fn removes it. */
typedef void (*tt_http_waiting_fn)(void *ctx, const char *label, const char *host, long waited_s);
void tt_http_set_waiting(struct tt_http *http, long after_ms, long every_ms, tt_http_waiting_fn fn, void *ctx);
/* fn(ctx) runs at the start of every tt_http_wait, so after the caller's
 * dispatch and outside it: where a front end may answer what callbacks
 * asked of a person (an MFA code) without a verb knowing. It may block (the
 * command line reads a terminal there) and may submit requests. NULL
 * removes it; ctx is borrowed. */
void tt_http_set_idle(struct tt_http *http, void (*fn)(void *ctx), void *ctx);

/* Watches fd for readability as part of the loop (used for child
 * processes such as credential_process). The callback runs from
 * tt_http_dispatch; at most 8 fds are watched at once. */
typedef void (*tt_http_fd_fn)(void *ctx, int fd);
int tt_http_watch_fd(struct tt_http *http, int fd, tt_http_fd_fn on_readable, void *ctx);
void tt_http_unwatch_fd(struct tt_http *http, int fd);

/* Seconds the server clock is ahead of ours, learned from skew errors. */
long tt_http_clock_skew(const struct tt_http *http);
/* Wall-clock seconds as AWS sees them: our clock corrected by the skew. */
time_t tt_http_now(const struct tt_http *http);

/* Turns a status and body into code/message/request id per protocol; kind is
 * TT_ERR_AWS (or TT_ERR_CONFIG for credential errors). */
void tt_http_parse_error(enum tt_proto proto, const struct tt_http_resp *resp, struct tt_err *err);

#endif

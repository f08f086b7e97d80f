/* StartLiveTail (svc_logs.h): an ordinary signed JSON POST whose answer is
 * an eventstream that stays open for up to 3 hours. Bytes reach on_data as
 * they arrive; the decoder turns them into messages, and each message into
 * a callback.
 *
 * The owner may free the session from inside a callback. We can be deep
 * inside curl's write callback then, where the transfer must not be torn
 * down, so freeing only marks the session orphaned: on_data then returns
 * false, curl aborts the transfer, and the engine's done callback frees it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logs_internal.h"
#include "tiertop/err.h"
#include "tiertop/eventstream.h"
#include "tiertop/log.h"
#include "tiertop/xalloc.h"

/* AWS sends an update every second, even an empty one: 20 s of silence
 * means the connection is dead, whatever TCP thinks. */
#define LIVE_STALL_MS 20000

struct tt_logs_live {
	struct tt_http *http; /* NULL when detached */
	long id;              /* the transfer in flight, 0 when none */
	struct tt_es_decoder *dec;
	struct tt_logs_live_handlers h;
	void *ctx;
	int in_callback;
	bool orphaned; /* the owner freed it while we were busy */
	bool ended;    /* the stream is over: only on_end remains */
	bool have_end_err;
	struct tt_err end_err;
};

static void destroy(struct tt_logs_live *l)
{
	tt_es_decoder_free(&l->dec);
	free(l);
}

/* Records why the stream ends; the first reason wins. */
static void end_with(struct tt_logs_live *l, const struct tt_err *err)
{
	if (!l->have_end_err && err) {
		l->end_err = *err;
		l->have_end_err = true;
	}
	l->ended = true;
}

static void on_start(struct tt_logs_live *l, const struct tt_es_message *m)
{
	struct tt_err err;
	json_t *root = logs_load(m->payload, m->payload_len, "Live Tail sessionStart", &err);
	struct tt_logs_live_start s;

	if (!root) {
		end_with(l, &err);
		return;
	}
	s.request_id = json_string_value(json_object_get(root, "requestId"));
	s.session_id = json_string_value(json_object_get(root, "sessionId"));
	if (l->h.on_start) {
		l->in_callback++;
		l->h.on_start(l->ctx, &s);
		l->in_callback--;
	}
	json_decref(root);
}

static void on_update(struct tt_logs_live *l, const struct tt_es_message *m)
{
	struct tt_err err;
	json_t *root = logs_load(m->payload, m->payload_len, "Live Tail sessionUpdate", &err);
	struct tt_logs_live_update u;

	if (!root) {
		end_with(l, &err);
		return;
	}
	memset(&u, 0, sizeof(u));
	u.sampled = json_is_true(json_object_get(json_object_get(root, "sessionMetadata"), "sampled"));
	logs_events_from(json_object_get(root, "sessionResults"), &u.events, &u.n);
	json_decref(root);
	if (l->h.on_update) {
		l->in_callback++;
		l->h.on_update(l->ctx, &u);
		l->in_callback--;
	}
	for (size_t i = 0; i < u.n; i++)
		tt_logs_event_clear(&u.events[i]);
	free(u.events);
}

/* An exception message carries its code in a header and JSON in the payload. */
static void on_exception(struct tt_logs_live *l, const struct tt_es_message *m)
{
	const char *code = tt_es_message_string(m, ":exception-type");
	json_t *root = json_loadb(m->payload, m->payload_len, 0, NULL);
	const char *msg = json_string_value(json_object_get(root, "message"));
	struct tt_err err;

	if (!msg)
		msg = json_string_value(json_object_get(root, "Message"));
	tt_err_set(&err, TT_ERR_AWS, "Live Tail: %s", msg ? msg : "the session ended with an exception");
	snprintf(err.code, sizeof(err.code), "%s", code ? code : "UnknownException");
	json_decref(root);
	end_with(l, &err);
}

static void on_error_message(struct tt_logs_live *l, const struct tt_es_message *m)
{
	const char *code = tt_es_message_string(m, ":error-code");
	const char *msg = tt_es_message_string(m, ":error-message");
	struct tt_err err;

	tt_err_set(&err, TT_ERR_AWS, "Live Tail: %s", msg ? msg : "the stream reported an error");
	snprintf(err.code, sizeof(err.code), "%s", code ? code : "UnknownError");
	end_with(l, &err);
}

static void handle_message(struct tt_logs_live *l, const struct tt_es_message *m)
{
	const char *type = tt_es_message_string(m, ":message-type");
	const char *event = tt_es_message_string(m, ":event-type");
	struct tt_err err;

	if (!type) {
		tt_err_set(&err, TT_ERR_AWS, "Live Tail sent a message without :message-type");
		end_with(l, &err);
	} else if (strcmp(type, "exception") == 0) {
		on_exception(l, m);
	} else if (strcmp(type, "error") == 0) {
		on_error_message(l, m);
	} else if (strcmp(type, "event") != 0 || !event) {
		tt_log_printf("logs StartLiveTail: ignoring a \"%.40s\" message", type);
	} else if (strcmp(event, "sessionStart") == 0) {
		on_start(l, m);
	} else if (strcmp(event, "sessionUpdate") == 0) {
		on_update(l, m);
	} else if (strcmp(event, "initial-response") != 0) {
		/* New event types may come; they must not end a session. */
		tt_log_printf("logs StartLiveTail: ignoring a \"%.40s\" event", event);
	}
}

static bool on_data(void *ctx, const char *data, size_t len)
{
	struct tt_logs_live *l = ctx;
	struct tt_es_message m;
	struct tt_err err;
	int rc = 0;

	if (l->ended || l->orphaned)
		return false;
	tt_es_decoder_feed(l->dec, data, len);
	while (!l->ended && !l->orphaned && (rc = tt_es_decoder_next(l->dec, &m, &err)) == 1) {
		handle_message(l, &m);
		tt_es_message_clear(&m);
	}
	if (rc < 0) {
		tt_err_prefix(&err, "Live Tail");
		end_with(l, &err);
	}
	return !l->ended && !l->orphaned;
}

/* Runs on_end, which may free l: nothing may touch l afterwards. */
static void finish(struct tt_logs_live *l, const struct tt_err *transport_err)
{
	const struct tt_err *final = NULL;
	struct tt_err cut;

	if (l->have_end_err) {
		final = &l->end_err;
	} else if (transport_err) {
		final = transport_err;
	} else if (tt_es_decoder_pending(l->dec)) {
		tt_err_set(&cut, TT_ERR_NETWORK,
		           "Live Tail: the stream ended in the middle of a frame (%zu bytes)",
		           tt_es_decoder_pending(l->dec));
		final = &cut;
	}
	l->ended = true;
	if (l->h.on_end)
		l->h.on_end(l->ctx, final);
}

static void on_done(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct tt_logs_live *l = ctx;

	l->id = 0;
	if (l->orphaned)
		destroy(l);
	else
		finish(l, err);
}

struct tt_logs_live *tt_logs_live_new_detached(const struct tt_logs_live_handlers *handlers, void *ctx)
{
	struct tt_logs_live *l = tt_xcalloc(1, sizeof(*l));

	l->dec = tt_es_decoder_new();
	l->h = *handlers;
	l->ctx = ctx;
	return l;
}

static void add_list(json_t *o, const char *key, const char *const *items, size_t n)
{
	json_t *a;

	if (!items || n == 0)
		return;
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	json_object_set_new(o, key, a);
}

struct tt_logs_live *tt_logs_live_start(const struct tt_aws *aws, const struct tt_logs_live_in *in,
                                        const struct tt_logs_live_handlers *handlers, void *ctx,
                                        struct tt_err *err)
{
	json_t *body = json_object();
	struct tt_http_req *req;
	struct tt_logs_live *l;

	add_list(body, "logGroupIdentifiers", in->group_arns, in->ngroups);
	add_list(body, "logStreamNames", in->streams, in->nstreams);
	add_list(body, "logStreamNamePrefixes", in->stream_prefixes, in->nprefixes);
	if (in->pattern && *in->pattern)
		json_object_set_new(body, "logEventFilterPattern", json_string(in->pattern));
	req = logs_request(aws, "StartLiveTail", body, "stream-", err);
	if (!req)
		return NULL;
	l = tt_logs_live_new_detached(handlers, ctx);
	l->http = aws->http;
	tt_http_req_stream(req, on_data, l, LIVE_STALL_MS);
	l->id = tt_http_submit_id(aws->http, req, on_done, l);
	return l;
}

bool tt_logs_live_feed(struct tt_logs_live *l, const char *data, size_t len)
{
	if (l->ended)
		return false;
	if (data && len && on_data(l, data, len))
		return true;
	if (l->orphaned)
		destroy(l);
	else
		finish(l, NULL);
	return false;
}

void tt_logs_live_free(struct tt_logs_live **lp)
{
	struct tt_logs_live *l = *lp;

	if (!l)
		return;
	*lp = NULL;
	if (l->in_callback) {
		l->orphaned = true;
	} else if (l->id) {
		l->orphaned = true;
		tt_http_cancel(l->http, l->id);
	} else {
		destroy(l);
	}
}

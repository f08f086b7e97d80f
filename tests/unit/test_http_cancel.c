/* tt_http_cancel_all: every pending request ends at once, each owner told
 * (so it can free what it holds), follow-ups submitted from a callback
 * included. The requests wait out a long first delay, so none reaches the
 * network; nothing here depends on time. */
#include <string.h>

#include <curl/curl.h>

#include "tap.h"
#include "tiertop/err.h"
#include "tiertop/http.h"

struct owner {
	struct tt_http *http;
	int calls;
	bool cancelled;     /* the error said so, and no answer came with it */
	int follow_ups;     /* how many more requests to submit from the callback */
};

static void submit(struct owner *o);

static void on_done(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct owner *o = ctx;

	o->calls++;
	o->cancelled = !resp && err && err->kind == TT_ERR_FAILURE && strstr(err->message, "cancelled");
	if (o->follow_ups > 0) {
		o->follow_ups--;
		submit(o);
	}
}

static void submit(struct owner *o)
{
	struct tt_http_req *req = tt_http_req_new("GET", "http://127.0.0.1:9", "/");

	tt_http_req_delay(req, 3600 * 1000L);
	tt_http_submit(o->http, req, on_done, o);
}

int main(void)
{
	struct tt_http_config cfg = {0};
	struct tt_http *http;
	struct owner a = {0}, b = {0}, chain = {0}, endless = {0};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	http = tt_http_new(&cfg);
	a.http = b.http = chain.http = endless.http = http;
	submit(&a);
	submit(&b);
	chain.follow_ups = 2;
	submit(&chain);
	tap_ok(tt_http_busy(http), "three requests pending");
	tt_http_cancel_all(http);
	tap_ok(a.calls == 1 && a.cancelled && b.calls == 1 && b.cancelled,
	       "each owner told once, with a \"cancelled\" error and no answer");
	tap_ok(chain.calls == 3 && chain.cancelled, "follow-ups submitted from a callback are ended too (%d calls)",
	       chain.calls);
	tap_ok(!tt_http_busy(http), "nothing left pending");
	tt_http_cancel_all(http);
	tap_ok(a.calls == 1, "with nothing pending, nobody is called again");

	/* An owner that answers every cancellation with a new request must not
	 * keep it going for ever. */
	endless.follow_ups = 1 << 30;
	submit(&endless);
	tt_http_cancel_all(http);
	tap_ok(endless.calls > 1000, "a caller that always submits again: ended after a bound (%d calls)",
	       endless.calls);
	endless.follow_ups = 0;
	tt_http_free(&http);
	curl_global_cleanup();
	return tap_done();
}

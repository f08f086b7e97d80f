/* A Live Tail session (eventstream frames carrying JSON events) fed
 * arbitrary bytes, cut into chunks whose size the first byte picks, then
 * the end of the stream. Properties: on_end runs exactly once, last, and
 * nothing runs after it. */
#include "fuzz.h"

#include <stdbool.h>

#include "tiertop/err.h"
#include "tiertop/svc_logs.h"

struct seen {
	int starts, updates, ends;
	size_t events;
};

static void on_start(void *ctx, const struct tt_logs_live_start *start)
{
	struct seen *s = ctx;

	(void)start;
	if (s->ends)
		fuzz_fail("on_start after on_end");
	s->starts++;
}

static void on_update(void *ctx, struct tt_logs_live_update *update)
{
	struct seen *s = ctx;

	if (s->ends)
		fuzz_fail("on_update after on_end");
	s->updates++;
	s->events += update->n;
	for (size_t i = 0; i < update->n; i++)
		(void)update->events[i];
}

static void on_end(void *ctx, const struct tt_err *err)
{
	struct seen *s = ctx;

	if (err && !err->message[0])
		fuzz_fail("on_end with an empty error");
	s->ends++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct tt_logs_live_handlers handlers = {on_start, on_update, on_end};
	struct seen seen = {0};
	struct tt_logs_live *live;
	size_t chunk, off = 0;
	bool open = true;

	if (size == 0)
		return 0;
	chunk = 1 + data[0] % 128;
	data++;
	size--;
	live = tt_logs_live_new_detached(&handlers, &seen);
	while (open && off < size) {
		size_t n = size - off < chunk ? size - off : chunk;
		open = tt_logs_live_feed(live, (const char *)data + off, n);
		off += n;
	}
	if (open && tt_logs_live_feed(live, NULL, 0))
		fuzz_fail("the session is still open after the end of the stream");
	if (seen.ends != 1)
		fuzz_fail("on_end ran %d times", seen.ends);
	if (tt_logs_live_feed(live, "x", 1))
		fuzz_fail("an ended session took more bytes");
	tt_logs_live_free(&live);
	return 0;
}

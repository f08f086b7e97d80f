/* A bounded fan-out of asynchronous requests; see tiertop/fanout.h. */
#include "tiertop/fanout.h"

#include <string.h>

void tt_fanout_init(struct tt_fanout *f, size_t n, size_t limit, bool (*start)(void *ctx, size_t i),
                    void *ctx)
{
	memset(f, 0, sizeof(*f));
	f->n = n;
	f->limit = limit ? limit : 1;
	f->start = start;
	f->ctx = ctx;
}

bool tt_fanout_finished(const struct tt_fanout *f)
{
	return f->next >= f->n && f->in_flight == 0;
}

bool tt_fanout_pump(struct tt_fanout *f)
{
	/* A completion that arrives while start() is still running (a request
	 * answered or refused on the spot) only gives its slot back: the loop
	 * below refills it, and the stack does not grow with the list. */
	if (f->pumping)
		return false;
	f->pumping = true;
	while (f->in_flight < f->limit && f->next < f->n) {
		size_t i = f->next++;
		/* Counted before start() so that an early completion has a slot
		 * to give back. */
		f->in_flight++;
		if (!f->start(f->ctx, i))
			f->in_flight--;
	}
	f->pumping = false;
	return tt_fanout_finished(f);
}

bool tt_fanout_done(struct tt_fanout *f)
{
	if (f->in_flight > 0)
		f->in_flight--;
	return tt_fanout_pump(f);
}

void tt_fanout_fail(struct tt_fanout *f, const struct tt_err *err)
{
	if (f->failures++ == 0)
		f->first_err = *err;
}

/* CloudWatch Logs' answer parsers on arbitrary text. The first byte picks
 * the parser; the rest is the answer. */
#include "fuzz.h"

#include "tiertop/err.h"
#include "tiertop/svc_logs.h"

static void groups(const char *body, size_t len)
{
	struct tt_logs_group_page page;
	struct tt_err err;

	memset(&page, 0, sizeof(page));
	(void)tt_logs_parse_groups(body, len, &page, &err);
	tt_logs_group_page_clear(&page);
}

static void events(const char *body, size_t len)
{
	struct tt_logs_event_page page;
	struct tt_err err;

	memset(&page, 0, sizeof(page));
	(void)tt_logs_parse_events(body, len, &page, &err);
	tt_logs_event_page_clear(&page);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const parsers[])(const char *, size_t) = {groups, events};

	if (size == 0)
		return 0;
	parsers[data[0] % (sizeof(parsers) / sizeof(parsers[0]))]((const char *)data + 1, size - 1);
	return 0;
}

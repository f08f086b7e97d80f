/* CloudWatch's answers in both protocols (JSON and the query protocol's
 * XML): GetMetricData pages and DescribeAlarms. The first byte picks the
 * parser; the rest is the answer. Property: every series has as many
 * values as timestamps. */
#include "fuzz.h"

#include "../../src/aws/cw_internal.h"
#include "tiertop/err.h"

static void gmd(const char *body, size_t len, bool xml)
{
	struct cw_page page;
	struct tt_err err;

	memset(&page, 0, sizeof(page));
	if ((xml ? cw_gmd_parse_xml : cw_gmd_parse_json)(body, len, &page, &err) == 0) {
		for (size_t i = 0; i < page.n; i++)
			if (page.series[i].n > page.series[i].cap || (page.series[i].n && (!page.series[i].ts ||
											      !page.series[i].v)))
				fuzz_fail("series %zu: %zu points but room for %zu", i, page.series[i].n,
					  page.series[i].cap);
	}
	cw_page_clear(&page);
}

static void alarms(const char *body, size_t len, bool xml)
{
	struct cw_alarm_list list;
	struct tt_err err;

	memset(&list, 0, sizeof(list));
	if ((xml ? cw_alarms_parse_xml : cw_alarms_parse_json)(body, len, &list, &err) == 0)
		free(cw_alarm_views(&list));
	cw_alarm_list_clear(&list);
}

static void gmd_json(const char *body, size_t len) { gmd(body, len, false); }
static void gmd_xml(const char *body, size_t len) { gmd(body, len, true); }
static void alarms_json(const char *body, size_t len) { alarms(body, len, false); }
static void alarms_xml(const char *body, size_t len) { alarms(body, len, true); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const parsers[])(const char *, size_t) = {gmd_json, gmd_xml, alarms_json, alarms_xml};

	if (size == 0)
		return 0;
	parsers[data[0] % (sizeof(parsers) / sizeof(parsers[0]))]((const char *)data + 1, size - 1);
	return 0;
}

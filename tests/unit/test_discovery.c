/* The parsers behind finding a region's applications: CloudFormation
 * ListStacks (awsQuery XML) and Tagging GetTagValues (JSON), on canned
 * answers shaped like the services' own. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/err.h"
#include "tiertop/svc_discovery.h"

static const char stacks_page1[] =
	"<ListStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\n"
	" <ListStacksResult>\n"
	"  <StackSummaries>\n"
	"   <member>\n"
	"    <StackId>arn:aws:cloudformation:us-east-1:111122223333:stack/feedback-stack/0f1e</StackId>\n"
	"    <StackStatus>UPDATE_COMPLETE</StackStatus>\n"
	"    <StackName>feedback-stack</StackName>\n"
	"    <CreationTime>2026-11-01T09:30:00Z</CreationTime>\n"
	"    <DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>\n"
	"   </member>\n"
	"   <member>\n"
	"    <StackName>feedback-stack-AlarmsStack-1QX2</StackName>\n"
	"    <StackStatus>CREATE_COMPLETE</StackStatus>\n"
	"    <ParentId>arn:aws:cloudformation:us-east-1:111122223333:stack/feedback-stack/0f1e</ParentId>\n"
	"    <RootId>arn:aws:cloudformation:us-east-1:111122223333:stack/feedback-stack/0f1e</RootId>\n"
	"   </member>\n"
	"   <member>\n"
	"    <StackName>old-stack</StackName>\n"
	"    <StackStatus>DELETE_COMPLETE</StackStatus>\n"
	"    <DeletionTime>2026-10-01T09:30:00Z</DeletionTime>\n"
	"   </member>\n"
	"   <member>\n"
	"    <StackName>never-made</StackName>\n"
	"    <StackStatus>ROLLBACK_COMPLETE</StackStatus>\n"
	"   </member>\n"
	"   <member>\n"
	"    <StackStatus>UPDATE_ROLLBACK_COMPLETE</StackStatus>\n"
	"    <StackName>rolled-back-update</StackName>\n"
	"   </member>\n"
	"  </StackSummaries>\n"
	"  <NextToken>page-2</NextToken>\n"
	" </ListStacksResult>\n"
	" <ResponseMetadata><RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ResponseMetadata>\n"
	"</ListStacksResponse>\n";

static const char stacks_page2[] =
	"<ListStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\n"
	" <ListStacksResult>\n"
	"  <StackSummaries>\n"
	"   <member><StackName>workers-stack</StackName><StackStatus>CREATE_COMPLETE</StackStatus></member>\n"
	"   <member><StackName>updating</StackName><StackStatus>UPDATE_IN_PROGRESS</StackStatus></member>\n"
	"   <member><StackName>creating</StackName><StackStatus>CREATE_IN_PROGRESS</StackStatus></member>\n"
	"  </StackSummaries>\n"
	" </ListStacksResult>\n"
	"</ListStacksResponse>\n";

static void test_list_stacks(void)
{
	struct tt_name_page page = {0};
	struct tt_err err;

	tap_ok(tt_cfn_list_stacks_parse(stacks_page1, strlen(stacks_page1), &page, &err) == 0, "page 1 parses");
	tap_ok(page.n == 2, "root stacks in live states only (got %zu)", page.n);
	if (page.n == 2) {
		tap_str_eq(page.names[0], "feedback-stack", "a root stack");
		tap_str_eq(page.names[1], "rolled-back-update", "name after status in the member");
	}
	tap_str_eq(page.next_token, "page-2", "the next page's token");
	tap_ok(tt_cfn_list_stacks_parse(stacks_page2, strlen(stacks_page2), &page, &err) == 0, "page 2 parses");
	tap_ok(page.n == 4, "page 2 appends (got %zu)", page.n);
	if (page.n == 4) {
		tap_str_eq(page.names[2], "workers-stack", "page 2, first");
		tap_str_eq(page.names[3], "updating", "an update in progress still has its resources");
	}
	tap_ok(page.next_token == NULL, "no token: the last page");
	tt_name_page_clear(&page);
	tap_ok(page.n == 0 && !page.names && !page.next_token, "clear empties the page");

	tap_ok(tt_cfn_list_stacks_parse("<ListStacksResponse><oops>", 26, &page, &err) == -1, "truncated XML fails");
	tap_ok(strstr(err.message, "ListStacks") != NULL, "the error names the call: %s", err.message);
	tt_name_page_clear(&page);
}

static void test_live_states(void)
{
	tap_ok(tt_cfn_state_live("CREATE_COMPLETE") && tt_cfn_state_live("UPDATE_ROLLBACK_FAILED") &&
		       tt_cfn_state_live("IMPORT_COMPLETE"),
	       "complete and updating states are live");
	tap_ok(!tt_cfn_state_live("DELETE_COMPLETE") && !tt_cfn_state_live("DELETE_IN_PROGRESS") &&
		       !tt_cfn_state_live("ROLLBACK_COMPLETE") && !tt_cfn_state_live("CREATE_IN_PROGRESS") &&
		       !tt_cfn_state_live("REVIEW_IN_PROGRESS") && !tt_cfn_state_live(NULL),
	       "deleted, failed creations and creations in progress are not");
}

static void test_tag_values(void)
{
	static const char first[] = "{\"PaginationToken\":\"next\",\"TagValues\":[\"feedback\",\"\",7]}";
	static const char last[] = "{\"PaginationToken\":\"\",\"TagValues\":[\"workers\"]}";
	static const char bare[] = "{}";
	struct tt_name_page page = {0};
	struct tt_err err;

	tap_ok(tt_tagging_values_parse(first, strlen(first), &page, &err) == 0, "first page parses");
	tap_ok(page.n == 2, "strings kept, others skipped (got %zu)", page.n);
	if (page.n == 2) {
		tap_str_eq(page.names[0], "feedback", "a value");
		tap_str_eq(page.names[1], "", "an empty value is a value");
	}
	tap_str_eq(page.next_token, "next", "token");
	tap_ok(tt_tagging_values_parse(last, strlen(last), &page, &err) == 0 && page.n == 3, "last page appends");
	tap_ok(page.next_token == NULL, "an empty token ends the pages");
	tap_ok(tt_tagging_values_parse(bare, strlen(bare), &page, &err) == 0 && page.n == 3 && !page.next_token,
	       "no list, no token: nothing more");
	tap_ok(tt_tagging_values_parse("[1]", 3, &page, &err) == -1, "not an object fails");
	tap_ok(tt_tagging_values_parse("{\"TagValues\":", 13, &page, &err) == -1, "truncated JSON fails");
	tap_ok(strstr(err.message, "GetTagValues") != NULL, "the error names the call: %s", err.message);
	tt_name_page_clear(&page);
}

int main(void)
{
	test_list_stacks();
	test_live_states();
	test_tag_values();
	return tap_done();
}

/* The stack model's pure parts: names out of ARNs and references, which
 * table an environment value names, how a selection is described. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/stack.h"

static void fn(const char *ref, const char *want)
{
	char *got = tt_stack_function_name(ref);

	if (want)
		tap_str_eq(got, want, ref);
	else
		tap_ok(got == NULL, "not a function: %s", ref ? ref : "(null)");
	free(got);
}

static void table(const char *arn, const char *want)
{
	char *got = tt_stack_table_name(arn);

	if (want)
		tap_str_eq(got, want, arn);
	else
		tap_ok(got == NULL, "not a table: %s", arn ? arn : "(null)");
	free(got);
}

static void env_tables(void)
{
	char names[3][16] = {"Feedback", "FeedbackStats", "Gone"}, problem[] = "ResourceNotFoundException";
	struct tt_stack_table tables[] = {{.name = names[0]}, {.name = names[1]}, {.name = names[2], .problem = problem}};
	struct tt_stack st = {.tables = tables, .ntables = 3};
	const char *got;

	tap_str_eq(tt_stack_env_table(&st, "Feedback"), "Feedback", "a table's name");
	tap_str_eq(tt_stack_env_table(&st, "arn:aws:dynamodb:us-east-1:111122223333:table/FeedbackStats"),
		   "FeedbackStats", "a table's ARN");
	got = tt_stack_env_table(&st, "feedback");
	tap_ok(got == NULL, "names are case-sensitive");
	got = tt_stack_env_table(&st, "Feedback2");
	tap_ok(got == NULL, "a longer name is another table");
	got = tt_stack_env_table(&st, "Gone");
	tap_ok(got == NULL, "a table that could not be described links nothing");
	got = tt_stack_env_table(&st, "");
	tap_ok(got == NULL, "an empty value");
}

static void mapping_owner(void)
{
	char names[4][24] = {"worker-1", "worker-10", "(functions)", "gone"}, problem[] = "not found";
	struct tt_stack_function fns[] = {{.name = names[0]}, {.name = names[1]}, {.name = names[2], .problem = problem},
					  {.name = names[3], .problem = problem}};
	struct tt_stack st = {.functions = fns, .nfunctions = 4};

	tap_ok(tt_stack_mapping_function(&st, "arn:aws:lambda:eu-west-1:111122223333:function:worker-1") == 0,
	       "a mapping's FunctionArn names its function");
	tap_ok(tt_stack_mapping_function(&st, "arn:aws:lambda:eu-west-1:111122223333:function:worker-10:live") == 1,
	       "a qualified FunctionArn (alias) is its function's");
	tap_ok(tt_stack_mapping_function(&st, "worker-10") == 1, "a bare name");
	tap_ok(tt_stack_mapping_function(&st, "arn:aws:lambda:eu-west-1:111122223333:function:worker-100") == -1,
	       "another function of the region, a longer name");
	tap_ok(tt_stack_mapping_function(&st, "arn:aws:lambda:eu-west-1:111122223333:function:worker-") == -1,
	       "a shorter name");
	tap_ok(tt_stack_mapping_function(&st, "arn:aws:lambda:eu-west-1:111122223333:function:gone") == -1,
	       "a function that could not be described links nothing");
	tap_ok(tt_stack_mapping_function(&st, "") == -1, "an empty FunctionArn");
	tap_ok(tt_stack_mapping_function(&st, NULL) == -1, "no FunctionArn");
}

static void selection_text(void)
{
	struct tt_select sel[] = {{TT_SELECT_STACK, "s"}, {TT_SELECT_TAG, "k=v"}, {TT_SELECT_PREFIX, ""},
				  {TT_SELECT_FUNCTION, "f"}, {TT_SELECT_TABLE, "t"},  {TT_SELECT_API, "a"}};
	char *text = tt_stack_describe_selection(sel, 6);

	tap_str_eq(text, "stack s + tag k=v + whole region + function f + table t + api a", "selection text");
	free(text);
}

static void cfn_name(const char *s, const char *want)
{
	char *got = tt_stack_cfn_stack_name(s);

	tap_str_eq(got, want, s);
	free(got);
}

int main(void)
{
	cfn_name("arn:aws:cloudformation:eu-west-1:111122223333:stack/platform-FeedbackApp-1AB2/0f1e2d3c-aaaa-bbbb",
		 "platform-FeedbackApp-1AB2");
	cfn_name("arn:aws-us-gov:cloudformation:us-gov-west-1:111122223333:stack/s/id", "s");
	cfn_name("feedback-stack", "feedback-stack");
	cfn_name("arn:aws:lambda:eu-west-1:111122223333:function:stack/x",
		 "arn:aws:lambda:eu-west-1:111122223333:function:stack/x");
	env_tables();
	mapping_owner();
	selection_text();
	fn("submit-feedback", "submit-feedback");
	fn("submit-feedback:live", "submit-feedback");
	fn("arn:aws:lambda:eu-west-1:111122223333:function:submit-feedback", "submit-feedback");
	fn("arn:aws:lambda:eu-west-1:111122223333:function:submit-feedback:3", "submit-feedback");
	fn("arn:aws-cn:lambda:cn-north-1:111122223333:function:f", "f");
	fn("111122223333:function:f", "f");
	fn("", NULL);
	fn(NULL, NULL);
	table("arn:aws:dynamodb:us-east-1:111122223333:table/Feedback", "Feedback");
	table("arn:aws:dynamodb:us-east-1:111122223333:table/Feedback/stream/2026-01-01T00:00:00.000", "Feedback");
	table("arn:aws:dynamodb:us-east-1:111122223333:table/Feedback/index/ByStatus", "Feedback");
	table("arn:aws:kinesis:us-east-1:111122223333:stream/table/x", NULL);
	table("arn:aws:sqs:us-east-1:111122223333:queue", NULL);
	table("Feedback", NULL);
	table(NULL, NULL);
	return tap_done();
}

/* The stack model's pure parts: names out of ARNs and references. */
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

int main(void)
{
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

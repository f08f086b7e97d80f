/* Lambda's answer parsers and pure helpers on arbitrary text. The first
 * byte picks the parser; the rest is the answer (or the argument). */
#include "fuzz.h"

#include "tiertop/err.h"
#include "tiertop/svc_lambda.h"

static void functions_page(const char *body, size_t len)
{
	struct tt_lambda_functions list;
	struct tt_err err;
	char *next = NULL;

	memset(&list, 0, sizeof(list));
	/* Two pages into one list, as the pager does. */
	if (tt_lambda_parse_functions_page(body, len, &list, &next, &err) == 0) {
		free(next);
		(void)tt_lambda_parse_functions_page(body, len, &list, &next, &err);
	}
	free(next);
	tt_lambda_functions_clear(&list);
}

static void function(const char *body, size_t len)
{
	struct tt_lambda_function fn;
	struct tt_err err;

	(void)tt_lambda_parse_function(body, len, &fn, &err);
	tt_lambda_function_clear(&fn);
}

static void esms_page(const char *body, size_t len)
{
	struct tt_lambda_esms list;
	struct tt_err err;
	char *next = NULL;

	memset(&list, 0, sizeof(list));
	(void)tt_lambda_parse_esms_page(body, len, &list, &next, &err);
	free(next);
	tt_lambda_esms_clear(&list);
}

static void log_view(const char *body, size_t len)
{
	free(tt_lambda_log_view(body, len));
}

/* The helpers take C strings: function references and X-Amz-Log-Result. */
static void helpers(const char *body, size_t len)
{
	char *s = fuzz_str((const uint8_t *)body, len);
	struct tt_lambda_ref ref;
	struct tt_err err;
	char *out = NULL;
	size_t n;

	memset(&ref, 0, sizeof(ref));
	if (tt_lambda_ref_parse(s, &ref, &err) == 0)
		free(tt_lambda_ref_arn(&ref, "us-east-1", "123456789012"));
	tt_lambda_ref_clear(&ref);
	free(tt_lambda_function_path(s, "/invocations"));
	if (tt_lambda_decode_log(s, &out, &n) == 0 && out[n] != '\0')
		fuzz_fail("decoded log not NUL-terminated");
	free(out);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const parsers[])(const char *, size_t) = {
		functions_page, function, esms_page, log_view, helpers,
	};

	if (size == 0)
		return 0;
	parsers[data[0] % (sizeof(parsers) / sizeof(parsers[0]))]((const char *)data + 1, size - 1);
	return 0;
}

/* The flattened XML reader used for awsQuery answers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/xml.h"

/* The parser grows its entry array one element at a time; AddressSanitizer's
 * realloc always copies, which makes the 100000-entry checks take many
 * minutes there. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static int parse(const char *doc, struct tt_xml_flat *x, struct tt_err *err)
{
	tt_err_clear(err);
	return tt_xml_flat_parse(doc, strlen(doc), x, err);
}

static void test_sts(void)
{
	static const char doc[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
		"  <AssumeRoleResult>\n"
		"    <SourceIdentity>Alice</SourceIdentity>\n"
		"    <AssumedRoleUser>\n"
		"      <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>\n"
		"      <AssumedRoleId>ARO123EXAMPLE123:TestAR</AssumedRoleId>\n"
		"    </AssumedRoleUser>\n"
		"    <Credentials>\n"
		"      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>\n"
		"      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>\n"
		"      <SessionToken>\n"
		"       AQoDYXdzEPT//////////wEXAMPLE\n"
		"      </SessionToken>\n"
		"      <Expiration>2019-11-09T13:34:41Z</Expiration>\n"
		"    </Credentials>\n"
		"    <PackedPolicySize>6</PackedPolicySize>\n"
		"  </AssumeRoleResult>\n"
		"  <ResponseMetadata>\n"
		"    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n"
		"  </ResponseMetadata>\n"
		"</AssumeRoleResponse>\n";
	struct tt_xml_flat x;
	struct tt_err err;
	int rc = parse(doc, &x, &err);

	tap_ok(rc == 0, "sts: parses (%s)", rc ? err.message : "ok");
	tap_ok(x.n == 14, "sts: one entry per element (%zu)", x.n);
	tap_str_eq(x.n ? x.entries[0].path : NULL, "AssumeRoleResponse",
		   "sts: namespace dropped from the root path");
	tap_str_eq(x.n ? x.entries[0].text : NULL, "", "sts: container text is empty");
	tap_str_eq(tt_xml_flat_get(&x, "AssumeRoleResponse/AssumeRoleResult/Credentials/AccessKeyId"),
		   "ASIAIOSFODNN7EXAMPLE", "sts: get by full path");
	tap_str_eq(tt_xml_flat_get(&x, "Credentials/SecretAccessKey"),
		   "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", "sts: get by path suffix");
	tap_str_eq(tt_xml_flat_get(&x, "Expiration"), "2019-11-09T13:34:41Z",
		   "sts: get by last element name");
	tap_str_eq(tt_xml_flat_get(&x, "SessionToken"), "AQoDYXdzEPT//////////wEXAMPLE",
		   "sts: text trimmed of surrounding white space");
	tap_str_eq(tt_xml_flat_get(&x, "RequestId"), "c6104cbe-af31-11e0-8154-cbc7ccf896c7",
		   "sts: request id");
	tap_str_eq(tt_xml_flat_get(&x, "AssumeRoleResponse/AssumeRoleResult"), "",
		   "sts: a container by full path has empty text");
	tap_ok(tt_xml_flat_get(&x, "KeyId") == NULL,
	       "sts: a suffix must start at an element boundary (KeyId is not AccessKeyId)");
	tap_ok(tt_xml_flat_get(&x, "Credentials/Nope") == NULL, "sts: missing path is NULL");
	tap_ok(tt_xml_flat_get(&x, "Result/Credentials/AccessKeyId") == NULL,
	       "sts: partial element name in the middle does not match");
	tap_ok(tt_xml_flat_get(&x, "AssumeRoleResponse/AssumeRoleResult/Credentials/AccessKeyId/x") ==
		       NULL,
	       "sts: longer than any path is NULL");
	tt_xml_flat_clear(&x);
	tap_ok(x.n == 0 && x.entries == NULL, "free empties the struct");
	tt_xml_flat_clear(&x);
	tap_ok(x.n == 0, "free twice is harmless");
}

static void test_prefixed_namespace(void)
{
	struct tt_xml_flat x;
	struct tt_err err;
	int rc = parse("<s:Env xmlns:s=\"urn:a\" xmlns:t=\"urn:b\"><s:Body><t:V>1</t:V></s:Body></s:Env>",
		       &x, &err);

	tap_ok(rc == 0 && x.n == 3, "prefixed namespaces parse (%zu entries)", x.n);
	tap_str_eq(x.n == 3 ? x.entries[2].path : NULL, "Env/Body/V",
		   "prefixes dropped from every level");
	tt_xml_flat_clear(&x);
}

static void test_members(void)
{
	static const char doc[] =
		"<ListMetricsResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
		"<ListMetricsResult><Metrics>"
		"<member><Namespace>AWS/Lambda</Namespace><MetricName>Invocations</MetricName>"
		"<Dimensions><member><Name>FunctionName</Name><Value>submit-feedback</Value></member>"
		"</Dimensions></member>"
		"<member><Namespace>AWS/Lambda</Namespace><MetricName>Errors</MetricName></member>"
		"<member><Namespace>AWS/DynamoDB</Namespace><MetricName>Throttles</MetricName></member>"
		"</Metrics><NextToken>tok==</NextToken></ListMetricsResult>"
		"<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>"
		"</ListMetricsResponse>";
	static const char *const want_names[] = {"Invocations", "Errors", "Throttles"};
	static const char *const want_ns[] = {"AWS/Lambda", "AWS/Lambda", "AWS/DynamoDB"};
	const char *names[8], *ns[8];
	size_t nnames = 0, nns = 0, nmembers = 0;
	struct tt_xml_flat x;
	struct tt_err err;
	int rc = parse(doc, &x, &err);
	bool order = true;

	tap_ok(rc == 0, "members: parses");
	for (size_t i = 0; i < x.n; i++) {
		const char *p = x.entries[i].path;
		if (strcmp(p, "ListMetricsResponse/ListMetricsResult/Metrics/member") == 0)
			nmembers++;
		if (strcmp(p, "ListMetricsResponse/ListMetricsResult/Metrics/member/MetricName") == 0 &&
		    nnames < 8)
			names[nnames++] = x.entries[i].text;
		if (strcmp(p, "ListMetricsResponse/ListMetricsResult/Metrics/member/Namespace") == 0 &&
		    nns < 8)
			ns[nns++] = x.entries[i].text;
	}
	tap_ok(nmembers == 3, "members: three <member> entries (%zu)", nmembers);
	for (size_t i = 0; i < 3 && nnames == 3 && nns == 3; i++)
		order &= strcmp(names[i], want_names[i]) == 0 && strcmp(ns[i], want_ns[i]) == 0;
	tap_ok(nnames == 3 && nns == 3 && order, "members: names and namespaces in document order");
	tap_str_eq(tt_xml_flat_get(&x, "Metrics/member/MetricName"), "Invocations",
		   "members: get returns the first occurrence");
	tap_str_eq(tt_xml_flat_get(&x, "Dimensions/member/Value"), "submit-feedback",
		   "members: nested member lists");
	tap_str_eq(tt_xml_flat_get(&x, "NextToken"), "tok==", "members: element after the list");
	tt_xml_flat_clear(&x);
}

static void test_text(void)
{
	struct tt_xml_flat x;
	struct tt_err err;
	int rc;

	rc = parse("<a>Tom &amp; Jerry &lt;3 &gt; &quot;q&quot; &apos;s&apos; &#65;&#x42;</a>", &x, &err);
	tap_str_eq(rc == 0 ? tt_xml_flat_get(&x, "a") : NULL, "Tom & Jerry <3 > \"q\" 's' AB",
		   "entities decoded");
	tt_xml_flat_clear(&x);

	rc = parse("<a><![CDATA[<b>not a tag</b> & raw]]></a>", &x, &err);
	tap_ok(rc == 0 && x.n == 1, "CDATA is text, not elements");
	tap_str_eq(rc == 0 ? tt_xml_flat_get(&x, "a") : NULL, "<b>not a tag</b> & raw",
		   "CDATA content kept verbatim");
	tt_xml_flat_clear(&x);

	rc = parse("<a>caf\xc3\xa9 \xe1\x88\xb4</a>", &x, &err);
	tap_str_eq(rc == 0 ? tt_xml_flat_get(&x, "a") : NULL, "caf\xc3\xa9 \xe1\x88\xb4",
		   "UTF-8 text kept");
	tt_xml_flat_clear(&x);

	rc = parse("<a><b/><c></c></a>", &x, &err);
	tap_ok(rc == 0 && x.n == 3 && strcmp(tt_xml_flat_get(&x, "b"), "") == 0 &&
		       strcmp(tt_xml_flat_get(&x, "c"), "") == 0,
	       "empty elements have empty text");
	tt_xml_flat_clear(&x);

	rc = tt_xml_flat_parse("<a>1</a>GARBAGE", 8, &x, &err);
	tap_ok(rc == 0 && strcmp(tt_xml_flat_get(&x, "a"), "1") == 0,
	       "only len bytes are parsed (no NUL needed)");
	tt_xml_flat_clear(&x);
}

static bool contains(const char *s, const char *needle)
{
	return s && strstr(s, needle) != NULL;
}

static void test_errors(void)
{
	struct tt_xml_flat x;
	struct tt_err err;
	struct tt_buf b;
	int rc;

	rc = parse("<a>\n  <b>\n</a>\n", &x, &err);
	tap_ok(rc == -1, "malformed: mismatched tag fails");
	tap_ok(err.kind == TT_ERR_AWS, "malformed: kind is TT_ERR_AWS");
	tap_ok(contains(err.message, "line 3"), "malformed: message has the line number: %s",
	       err.message);
	tap_ok(x.n == 0 && x.entries == NULL, "malformed: nothing left to free");
	tt_xml_flat_clear(&x);

	rc = parse("<a>unclosed", &x, &err);
	tap_ok(rc == -1 && err.kind == TT_ERR_AWS && contains(err.message, "line 1"),
	       "truncated document fails: %s", err.message);
	tt_xml_flat_clear(&x);

	rc = parse("", &x, &err);
	tap_ok(rc == -1 && err.kind == TT_ERR_AWS && err.message[0] && x.n == 0,
	       "empty document fails: %s", err.message);
	tt_xml_flat_clear(&x);

	rc = parse("  \n ", &x, &err);
	tap_ok(rc == -1 && err.kind == TT_ERR_AWS, "white-space-only document fails");
	tt_xml_flat_clear(&x);

	rc = parse("{\"__type\":\"NotXml\"}", &x, &err);
	tap_ok(rc == -1 && err.kind == TT_ERR_AWS, "JSON is not XML");
	tt_xml_flat_clear(&x);

	rc = parse("<a></a><b></b>", &x, &err);
	tap_ok(rc == -1, "two root elements fail");
	tt_xml_flat_clear(&x);

	/* 32 levels are allowed, 33 are not. */
	tt_buf_init(&b, 0);
	for (int i = 0; i < 32; i++)
		tt_buf_printf(&b, "<d%d>", i);
	tt_buf_puts(&b, "deep");
	for (int i = 31; i >= 0; i--)
		tt_buf_printf(&b, "</d%d>", i);
	rc = parse(b.data, &x, &err);
	tap_ok(rc == 0 && x.n == 32, "depth 32 accepted");
	tap_ok(rc == 0 && x.n == 32 && strcmp(x.entries[31].text, "deep") == 0,
	       "depth 32: innermost text read");
	tt_xml_flat_clear(&x);
	tt_buf_reset(&b);
	for (int i = 0; i < 33; i++)
		tt_buf_printf(&b, "<d%d>", i);
	for (int i = 32; i >= 0; i--)
		tt_buf_printf(&b, "</d%d>", i);
	rc = parse(b.data, &x, &err);
	tap_ok(rc == -1 && err.kind == TT_ERR_AWS && x.n == 0, "depth 33 rejected: %s", err.message);
	tt_xml_flat_clear(&x);
	tt_buf_reset(&b);
	for (int i = 0; i < 5000; i++)
		tt_buf_puts(&b, "<x>");
	rc = parse(b.data, &x, &err);
	tap_ok(rc == -1 && x.n == 0, "5000 unclosed levels rejected");
	tt_xml_flat_clear(&x);

	/* At most 100000 entries. */
	if (UNDER_ASAN) {
		tap_skip("100000-entry limit: too slow under AddressSanitizer (one realloc per entry)");
		tap_skip("100001 entries: too slow under AddressSanitizer");
		tt_buf_clear(&b);
		return;
	}
	tt_buf_reset(&b);
	tt_buf_puts(&b, "<r>");
	for (int i = 0; i < 99999; i++)
		tt_buf_puts(&b, "<m/>");
	tt_buf_puts(&b, "</r>");
	rc = parse(b.data, &x, &err);
	tap_ok(rc == 0 && x.n == 100000, "100000 entries accepted (%zu)", x.n);
	tt_xml_flat_clear(&x);
	tt_buf_reset(&b);
	tt_buf_puts(&b, "<r>");
	for (int i = 0; i < 100000; i++)
		tt_buf_puts(&b, "<m/>");
	tt_buf_puts(&b, "</r>");
	rc = parse(b.data, &x, &err);
	tap_ok(rc == -1 && x.n == 0, "100001 entries rejected");
	tt_xml_flat_clear(&x);
	tt_buf_clear(&b);
}

static void test_hostile(void)
{
	static const char lolz[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE lolz [\n"
		" <!ENTITY lol \"lol\">\n"
		" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		" <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		" <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
		" <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
		" <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
		" <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
		" <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
		"]>\n"
		"<lolz>&lol9;</lolz>\n";
	static const char xxe[] = "<?xml version=\"1.0\"?>\n"
				  "<!DOCTYPE a [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
				  "<a>[&xxe;]</a>\n";
	struct tt_xml_flat x;
	struct tt_err err;
	/* Whether expansion is bounded shows in the size of what came out, not
	 * in how long it took (a loaded machine makes any time limit flaky). */
	int rc = parse(lolz, &x, &err);
	size_t biggest = 0;

	for (size_t i = 0; i < x.n; i++)
		if (strlen(x.entries[i].text) > biggest)
			biggest = strlen(x.entries[i].text);
	tap_ok(rc == -1 || biggest <= (1u << 20),
	       "billion laughs: fails or stays small (rc %d, largest text %zu bytes)", rc, biggest);
	if (rc == -1)
		printf("# %s\n", err.message);
	tt_xml_flat_clear(&x);

	rc = parse(xxe, &x, &err);
	tap_ok(rc == -1 || !contains(tt_xml_flat_get(&x, "a"), "root:"),
	       "external entity is not fetched (rc %d, text \"%s\")", rc,
	       rc == 0 && tt_xml_flat_get(&x, "a") ? tt_xml_flat_get(&x, "a") : "");
	tt_xml_flat_clear(&x);
}

int main(void)
{
	test_sts();
	test_prefixed_namespace();
	test_members();
	test_text();
	test_errors();
	test_hostile();
	return tap_done();
}

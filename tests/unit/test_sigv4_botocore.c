/* Cross-check with botocore: tests/sigv4/gen_botocore_cases.py builds a few
 * hundred awkward requests (paths, queries, headers, bodies, tokens) and signs
 * each with botocore's SigV4Auth at a fixed time; here tiertop's signer signs
 * the same requests and every stage must be identical: canonical request,
 * string to sign, signature and Authorization header.
 *
 * One TAP line per case. A failing line names the first stage that differs and
 * the diagnostics print every differing stage, botocore's and ours.
 *
 * The generator sends only the unsigned headers that every botocore version
 * leaves out (Expect, User-Agent, X-Amzn-Trace-Id): Debian 12's botocore
 * 1.29 signs Connection and other hop-by-hop headers that newer botocore and
 * tiertop leave unsigned, so for those there is no single reference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "tap.h"
#include "tiertop/buf.h"
#include "tiertop/clock.h"
#include "tiertop/err.h"
#include "tiertop/sigv4.h"
#include "tiertop/xalloc.h"

#ifndef PYTHON
#define PYTHON "/usr/bin/python3" /* Debian's, which has python3-botocore */
#endif
#define MIN_CASES 500
#define NCASES "600"

struct bc_case {
	json_t *doc;
	const char *name;
	struct tt_kv *query;
	size_t nquery;
	struct tt_kv *headers;
	size_t nheaders;
	unsigned char *body;
	size_t body_len;
};

static const char *str_field(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* Base64 to bytes. EVP_DecodeBlock works on whole quanta and counts the
 * padding as zero bytes, so the '=' are subtracted again. */
static int decode_b64(const char *s, unsigned char **out, size_t *outlen)
{
	size_t len = strlen(s), pad = 0;
	int n;

	*out = tt_xmalloc(len / 4 * 3 + 1);
	*outlen = 0;
	if (len == 0)
		return 0;
	if (len % 4)
		return -1;
	n = EVP_DecodeBlock(*out, (const unsigned char *)s, (int)len);
	if (n < 0)
		return -1;
	if (s[len - 1] == '=')
		pad++;
	if (s[len - 2] == '=')
		pad++;
	*outlen = (size_t)n - pad;
	return 0;
}

/* [[name, value], ...] with string names and string (or, for a query key
 * sent without '=', null) values. */
static int load_pairs(json_t *arr, bool null_ok, struct tt_kv **out, size_t *n)
{
	size_t count = json_array_size(arr);

	*out = tt_xcalloc(count ? count : 1, sizeof(**out));
	*n = 0;
	if (!json_is_array(arr))
		return -1;
	for (size_t i = 0; i < count; i++) {
		json_t *pair = json_array_get(arr, i);
		json_t *k = json_array_get(pair, 0), *v = json_array_get(pair, 1);
		if (json_array_size(pair) != 2 || !json_is_string(k) ||
		    !(json_is_string(v) || (null_ok && json_is_null(v))))
			return -1;
		(*out)[i].key = json_string_value(k);
		(*out)[i].value = json_string_value(v); /* NULL for null */
		(*n)++;
	}
	return 0;
}

static void free_case(struct bc_case *c)
{
	free(c->query);
	free(c->headers);
	free(c->body);
	json_decref(c->doc);
}

/* Prints a (possibly multi-line) value as TAP diagnostics, one line each, so
 * nothing in it can be mistaken for a test line. */
static void diag_text(const char *label, const char *text)
{
	const char *p = text ? text : "(null)";

	for (;;) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		printf("#   %s| %.*s\n", label, len, p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

static void diag_stage(const char *stage, const char *want, const char *got)
{
	size_t line = 1, i = 0;

	while (want[i] && want[i] == got[i]) {
		if (want[i] == '\n')
			line++;
		i++;
	}
	printf("# %s differs (first at byte %zu, line %zu):\n", stage, i, line);
	diag_text("botocore", want);
	diag_text("tiertop ", got);
}

static void print_request(const struct bc_case *c, const char *method, const char *path)
{
	printf("# request: %s %s, %zu query pairs, %zu body bytes\n", method, path, c->nquery,
	       c->body_len);
	for (size_t i = 0; i < c->nquery; i++)
		printf("#   query[%zu] \"%s\" = %s%s%s\n", i, c->query[i].key,
		       c->query[i].value ? "\"" : "", c->query[i].value ? c->query[i].value : "(none)",
		       c->query[i].value ? "\"" : "");
	for (size_t i = 0; i < c->nheaders; i++)
		printf("#   header[%zu] \"%s\" = \"%s\"\n", i, c->headers[i].key, c->headers[i].value);
}

enum outcome { SAME, DIFFERENT };

/* One generated line: sign it and compare; one TAP line. */
static enum outcome run_case(const char *line, size_t lineno)
{
	struct bc_case c = {0};
	json_error_t jerr;
	struct tt_sigv4_input in;
	struct tt_sigv4_params p = {0};
	struct tt_sigv4_output o;
	struct tt_err err = {0};
	const char *method, *path, *body_b64, *amz_date;
	time_t now = 0;
	enum outcome result = DIFFERENT;

	c.doc = json_loads(line, 0, &jerr);
	if (!c.doc) {
		tap_ok(false, "line %zu: not JSON: %s", lineno, jerr.text);
		return DIFFERENT;
	}
	c.name = str_field(c.doc, "name");
	method = str_field(c.doc, "method");
	path = str_field(c.doc, "path");
	body_b64 = str_field(c.doc, "body_b64");
	amz_date = str_field(c.doc, "amz_date");
	p.access_key_id = str_field(c.doc, "access_key");
	p.secret_access_key = str_field(c.doc, "secret_key");
	p.session_token = str_field(c.doc, "token"); /* NULL when null */
	p.region = str_field(c.doc, "region");
	p.service = str_field(c.doc, "service");
	p.normalize_path = true;
	p.sign_session_token = true;
	p.add_content_sha256 = false;
	if (!c.name || !method || !path || !body_b64 || !amz_date || !p.access_key_id ||
	    !p.secret_access_key || !p.region || !p.service ||
	    !str_field(c.doc, "canonical_request") || !str_field(c.doc, "string_to_sign") ||
	    !str_field(c.doc, "signature") || !str_field(c.doc, "authorization") ||
	    load_pairs(json_object_get(c.doc, "query"), true, &c.query, &c.nquery) ||
	    load_pairs(json_object_get(c.doc, "headers"), false, &c.headers, &c.nheaders) ||
	    decode_b64(body_b64, &c.body, &c.body_len) || tt_time_parse_amz(amz_date, &now)) {
		tap_ok(false, "line %zu (%s): malformed case", lineno, c.name ? c.name : "?");
		free_case(&c);
		return result;
	}
	p.now = now;
	in = (struct tt_sigv4_input){method, path, c.query, c.nquery, c.headers, c.nheaders,
				     c.body, c.body_len};
	if (tt_sigv4_sign_headers(&in, &p, &o, &err) != 0) {
		tap_ok(false, "%s: tt_sigv4_sign_headers failed: %s", c.name, err.message);
		free_case(&c);
		return result;
	}

	{
		static const char *const stages[] = {"canonical_request", "string_to_sign",
						     "signature", "authorization"};
		const char *ours[] = {o.canonical_request, o.string_to_sign, o.signature,
				      o.authorization};
		const char *first = NULL;

		for (size_t i = 0; i < 4; i++)
			if (!ours[i] || strcmp(ours[i], str_field(c.doc, stages[i])) != 0) {
				first = stages[i];
				break;
			}
		if (first) {
			tap_ok(false, "%s: %s differs from botocore", c.name, first);
			print_request(&c, method, path);
			for (size_t i = 0; i < 4; i++) {
				const char *want = str_field(c.doc, stages[i]);
				if (!ours[i] || strcmp(ours[i], want) != 0)
					diag_stage(stages[i], want, ours[i] ? ours[i] : "(null)");
			}
		} else {
			result = SAME;
			tap_ok(true, "%s: canonical request, string to sign, signature and "
					  "Authorization match botocore",
				    c.name);
		}
	}
	tt_sigv4_output_clear(&o);
	free_case(&c);
	return result;
}

/* Single-quotes s for /bin/sh. */
static char *shell_quote(const char *s)
{
	size_t n = 3;
	char *out, *q;

	for (const char *p = s; *p; p++)
		n += *p == '\'' ? 4 : 1;
	out = q = tt_xmalloc(n);
	*q++ = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'') {
			memcpy(q, "'\\''", 4);
			q += 4;
		} else {
			*q++ = *p;
		}
	}
	*q++ = '\'';
	*q = '\0';
	return out;
}

int main(void)
{
	const char *srcdir = getenv("srcdir");
	char *script, *quoted, *cmd, *line = NULL;
	size_t cap = 0, ncases = 0, nsame = 0;
	ssize_t len;
	FILE *gen;
	int status;

	if (access(PYTHON, X_OK) != 0) {
		tap_skip("test_sigv4_botocore: " PYTHON " is missing");
		return tap_done();
	}
	if (system(PYTHON " -c 'import botocore.auth' >/dev/null 2>&1") != 0) {
		tap_skip("test_sigv4_botocore: botocore is missing (" PYTHON
			 " cannot import botocore; install python3-botocore)");
		return tap_done();
	}
	script = tt_xasprintf("%s/tests/sigv4/gen_botocore_cases.py", srcdir ? srcdir : ".");
	quoted = shell_quote(script);
	cmd = tt_xasprintf(PYTHON " %s " NCASES, quoted);
	printf("# running %s\n", cmd);
	fflush(stdout);
	gen = popen(cmd, "r");
	if (!tap_ok(gen != NULL, "start the botocore case generator")) {
		free(script);
		free(quoted);
		free(cmd);
		return tap_done();
	}
	while ((len = getline(&line, &cap, gen)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		ncases++;
		if (run_case(line, ncases) == SAME)
			nsame++;
	}
	free(line);
	status = pclose(gen);
	tap_ok(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "the generator exited cleanly (status %d)", status);
	tap_ok(ncases >= MIN_CASES, "read %zu botocore cases (at least %d)", ncases, MIN_CASES);
	tap_ok(ncases > 0 && nsame == ncases, "%zu of %zu cases identical to botocore in all four stages",
	       nsame, ncases);
	free(script);
	free(quoted);
	free(cmd);
	return tap_done();
}

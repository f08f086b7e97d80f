#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tiertop/buf.h"
#include "tiertop/clock.h"
#include "tiertop/err.h"
#include "tiertop/sigv4.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

#define ALGORITHM "AWS4-HMAC-SHA256"

/* Headers that proxies or the HTTP stack may change in flight; signing them
 * would break the signature. The list of current botocore (1.43); older
 * botocore (Debian 12 ships 1.29) skips only expect, user-agent and
 * x-amzn-trace-id. AWS verifies whatever SignedHeaders lists, so both work. */
static const char *const unsigned_headers[] = {
	"authorization", "connection", "expect", "keep-alive", "proxy-authenticate",
	"proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
	"user-agent", "x-amzn-trace-id", NULL,
};

void tt_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	tt_hex_encode(md, 32, out);
}

static void hmac(const void *key, size_t keylen, const char *msg, unsigned char out[32])
{
	unsigned int n = 32;

	HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg, strlen(msg), out, &n);
}

/* --- path ------------------------------------------------------------- */

/* RFC 3986 dot-segment removal plus AWS's collapsing of empty segments. */
static char *normalize_path(const char *path)
{
	size_t len = strlen(path);
	char *copy = tt_xstrdup(path);
	char **segs = tt_xcalloc(len + 1, sizeof(*segs));
	size_t nseg = 0;
	struct tt_buf out;
	char *save = NULL;

	for (char *s = strtok_r(copy, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
		if (strcmp(s, ".") == 0)
			continue;
		if (strcmp(s, "..") == 0) {
			if (nseg)
				nseg--;
			continue;
		}
		segs[nseg++] = s;
	}
	tt_buf_init(&out, 0);
	if (path[0] == '/')
		tt_buf_putc(&out, '/');
	for (size_t i = 0; i < nseg; i++) {
		if (i)
			tt_buf_putc(&out, '/');
		tt_buf_puts(&out, segs[i]);
	}
	if (len && path[len - 1] == '/' && nseg)
		tt_buf_putc(&out, '/');
	free(segs);
	free(copy);
	return tt_buf_steal(&out);
}

char *tt_sigv4_canonical_path(const char *path, bool normalize)
{
	char *norm, *enc;

	if (!path || !*path)
		return tt_xstrdup("/");
	norm = normalize ? normalize_path(path) : tt_xstrdup(path);
	if (!*norm) {
		free(norm);
		return tt_xstrdup("/");
	}
	enc = tt_uri_encode(norm, strlen(norm), true);
	free(norm);
	return enc;
}

/* --- query ------------------------------------------------------------ */

struct enc_pair {
	char *key;
	char *value;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct enc_pair *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->value, y->value);
}

static char *join_pairs(struct enc_pair *pairs, size_t n)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	for (size_t i = 0; i < n; i++) {
		tt_buf_printf(&b, "%s%s=%s", i ? "&" : "", pairs[i].key, pairs[i].value);
		free(pairs[i].key);
		free(pairs[i].value);
	}
	free(pairs);
	return tt_buf_steal(&b);
}

static struct enc_pair *encode_pairs(const struct tt_kv *q, size_t n)
{
	struct enc_pair *pairs = tt_xcalloc(n, sizeof(*pairs));

	for (size_t i = 0; i < n; i++) {
		const char *v = q[i].value ? q[i].value : "";
		pairs[i].key = tt_uri_encode(q[i].key, strlen(q[i].key), false);
		pairs[i].value = tt_uri_encode(v, strlen(v), false);
	}
	return pairs;
}

char *tt_sigv4_canonical_query(const struct tt_kv *query, size_t n)
{
	struct enc_pair *pairs = encode_pairs(query, n);

	/* AWS sorts after encoding, by key then value, byte-wise. */
	qsort(pairs, n, sizeof(*pairs), cmp_pair);
	return join_pairs(pairs, n);
}

char *tt_sigv4_query_string(const struct tt_kv *query, size_t n)
{
	return join_pairs(encode_pairs(query, n), n);
}

/* --- headers ---------------------------------------------------------- */

/* Python's str.split() white space over ASCII, which is what botocore (and so
 * AWS's reference behaviour) collapses. */
static bool header_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
	       (c >= 0x1c && c <= 0x1f);
}

static void append_trimmed(struct tt_buf *b, const char *v)
{
	bool pending = false, any = false;

	for (; *v; v++) {
		if (header_space((unsigned char)*v)) {
			pending = any;
			continue;
		}
		if (pending)
			tt_buf_putc(b, ' ');
		tt_buf_putc(b, *v);
		pending = false;
		any = true;
	}
}

static bool is_unsigned_header(const char *lname)
{
	for (size_t i = 0; unsigned_headers[i]; i++)
		if (strcmp(lname, unsigned_headers[i]) == 0)
			return true;
	return false;
}

struct canon_header {
	char *name;          /* lower case */
	struct tt_buf value; /* values joined with ',' in request order */
};

struct header_set {
	struct canon_header *h;
	size_t n;
};

static char *lower_dup(const char *s)
{
	char *p = tt_xstrdup(s);

	for (char *q = p; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return p;
}

static void header_set_add(struct header_set *set, const char *name, const char *value)
{
	char *lname = lower_dup(name);
	struct canon_header *h = NULL;

	if (is_unsigned_header(lname)) {
		free(lname);
		return;
	}
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->h[i].name, lname) == 0)
			h = &set->h[i];
	if (h) {
		free(lname);
		tt_buf_putc(&h->value, ',');
	} else {
		set->h = tt_xrealloc(set->h, (set->n + 1) * sizeof(*set->h));
		h = &set->h[set->n++];
		h->name = lname;
		tt_buf_init(&h->value, 0);
		tt_buf_puts(&h->value, ""); /* an empty value is still a value */
	}
	append_trimmed(&h->value, value);
}

static int cmp_header(const void *a, const void *b)
{
	return strcmp(((const struct canon_header *)a)->name, ((const struct canon_header *)b)->name);
}

static void header_set_clear(struct header_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->h[i].name);
		tt_buf_clear(&set->h[i].value);
	}
	free(set->h);
	set->h = NULL;
	set->n = 0;
}

/* --- the signature ---------------------------------------------------- */

static void add_pair(struct tt_sigv4_output *out, const char *name, const char *value)
{
	if (out->nadded >= TT_SIGV4_MAX_ADDED)
		abort(); /* a programming error: the list is fixed by this file */
	out->added[out->nadded].name = tt_xstrdup(name);
	out->added[out->nadded].value = tt_xstrdup(value);
	out->nadded++;
}

static char *scope_of(const struct tt_sigv4_params *p, const char *amz_date)
{
	return tt_xasprintf("%.8s/%s/%s/aws4_request", amz_date, p->region, p->service);
}

static void derive_key(const struct tt_sigv4_params *p, const char *amz_date, unsigned char key[32])
{
	char date[9];
	char *k0 = tt_xasprintf("AWS4%s", p->secret_access_key);
	unsigned char k1[32], k2[32], k3[32];

	memcpy(date, amz_date, 8);
	date[8] = '\0';
	hmac(k0, strlen(k0), date, k1);
	hmac(k1, 32, p->region, k2);
	hmac(k2, 32, p->service, k3);
	hmac(k3, 32, "aws4_request", key);
	tt_free_secret(k0);
	OPENSSL_cleanse(k1, sizeof(k1));
	OPENSSL_cleanse(k2, sizeof(k2));
	OPENSSL_cleanse(k3, sizeof(k3));
}

static char *build_canonical(const struct tt_sigv4_input *in, const struct tt_sigv4_params *p,
			     const struct tt_kv *query, size_t nquery, struct header_set *hs,
			     const char *payload_hash, char **signed_headers)
{
	struct tt_buf b, names;
	char *path = tt_sigv4_canonical_path(in->path, p->normalize_path);
	char *cq = tt_sigv4_canonical_query(query, nquery);

	qsort(hs->h, hs->n, sizeof(*hs->h), cmp_header);
	tt_buf_init(&b, 0);
	tt_buf_init(&names, 0);
	tt_buf_printf(&b, "%s\n%s\n%s\n", in->method, path, cq);
	for (size_t i = 0; i < hs->n; i++) {
		tt_buf_printf(&b, "%s:%s\n", hs->h[i].name, hs->h[i].value.data);
		tt_buf_printf(&names, "%s%s", i ? ";" : "", hs->h[i].name);
	}
	tt_buf_printf(&b, "\n%s\n%s", names.data, payload_hash);
	free(path);
	free(cq);
	*signed_headers = tt_buf_steal(&names);
	return tt_buf_steal(&b);
}

static void finish_signature(const struct tt_sigv4_params *p, struct tt_sigv4_output *out)
{
	char hash[65];
	char *scope = scope_of(p, out->amz_date);
	unsigned char sig[32];
	unsigned int n = 32;

	tt_sha256_hex(out->canonical_request, strlen(out->canonical_request), hash);
	out->string_to_sign = tt_xasprintf(ALGORITHM "\n%s\n%s\n%s", out->amz_date, scope, hash);
	derive_key(p, out->amz_date, out->signing_key);
	HMAC(EVP_sha256(), out->signing_key, 32, (const unsigned char *)out->string_to_sign,
	     strlen(out->string_to_sign), sig, &n);
	tt_hex_encode(sig, 32, out->signature);
	OPENSSL_cleanse(sig, sizeof(sig));
	free(scope);
}

static int check_params(const struct tt_sigv4_input *in, const struct tt_sigv4_params *p,
			struct tt_err *err)
{
	if (!p->access_key_id || !*p->access_key_id || !p->secret_access_key ||
	    !*p->secret_access_key)
		return tt_err_set(err, TT_ERR_CONFIG, "cannot sign: no access key or secret key");
	if (!p->region || !*p->region || !p->service || !*p->service)
		return tt_err_set(err, TT_ERR_CONFIG, "cannot sign: region or service missing");
	for (size_t i = 0; i < in->nheaders; i++)
		if (strcasecmp(in->headers[i].key, "host") == 0)
			return 0;
	return tt_err_set(err, TT_ERR_FAILURE, "cannot sign: request has no Host header");
}

/* skip names a header the signer itself sets (as botocore, it replaces a
 * caller's copy rather than signing both). */
static void collect_headers(const struct tt_sigv4_input *in, struct header_set *hs,
			    const char *const *skip)
{
	for (size_t i = 0; i < in->nheaders; i++) {
		bool skipped = false;
		for (size_t j = 0; skip && skip[j]; j++)
			skipped |= strcasecmp(in->headers[i].key, skip[j]) == 0;
		if (!skipped)
			header_set_add(hs, in->headers[i].key, in->headers[i].value);
	}
}

/* What both ways of signing start with: checks, the date, the body hash. */
static int begin(const struct tt_sigv4_input *in, const struct tt_sigv4_params *p,
		 struct tt_sigv4_output *out, char payload[65], struct tt_err *err)
{
	memset(out, 0, sizeof(*out));
	if (check_params(in, p, err))
		return -1;
	tt_time_amz(p->now, out->amz_date);
	tt_sha256_hex(in->body ? in->body : "", in->body_len, payload);
	return 0;
}

int tt_sigv4_sign_headers(const struct tt_sigv4_input *in, const struct tt_sigv4_params *p,
			  struct tt_sigv4_output *out, struct tt_err *err)
{
	struct header_set hs = {0};
	char payload[65];
	bool token = p->session_token && *p->session_token;

	if (begin(in, p, out, payload, err))
		return -1;
	{
		const char *const replaced[] = {"x-amz-date", token ? "x-amz-security-token" : NULL, NULL};
		collect_headers(in, &hs, replaced);
	}
	if (token)
		add_pair(out, "X-Amz-Security-Token", p->session_token);
	if (token && p->sign_session_token)
		header_set_add(&hs, "x-amz-security-token", p->session_token);
	add_pair(out, "X-Amz-Date", out->amz_date);
	header_set_add(&hs, "x-amz-date", out->amz_date);
	if (p->add_content_sha256) {
		add_pair(out, "x-amz-content-sha256", payload);
		header_set_add(&hs, "x-amz-content-sha256", payload);
	}
	out->canonical_request = build_canonical(in, p, in->query, in->nquery, &hs, payload,
						 &out->signed_headers);
	header_set_clear(&hs);
	finish_signature(p, out);
	{
		char *scope = scope_of(p, out->amz_date);
		out->authorization = tt_xasprintf(ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
						  p->access_key_id, scope, out->signed_headers,
						  out->signature);
		free(scope);
	}
	add_pair(out, "Authorization", out->authorization);
	return 0;
}

int tt_sigv4_presign(const struct tt_sigv4_input *in, const struct tt_sigv4_params *p,
		     struct tt_sigv4_output *out, struct tt_err *err)
{
	struct header_set hs = {0};
	char payload[65], expires[24];
	char *scope, *credential;
	struct tt_kv *query;
	size_t nq = in->nquery;
	bool token = p->session_token && *p->session_token;

	if (begin(in, p, out, payload, err))
		return -1;
	collect_headers(in, &hs, NULL);
	qsort(hs.h, hs.n, sizeof(*hs.h), cmp_header);
	{
		struct tt_buf names;
		tt_buf_init(&names, 0);
		for (size_t i = 0; i < hs.n; i++)
			tt_buf_printf(&names, "%s%s", i ? ";" : "", hs.h[i].name);
		out->signed_headers = tt_buf_steal(&names);
	}
	scope = scope_of(p, out->amz_date);
	credential = tt_xasprintf("%s/%s", p->access_key_id, scope);
	snprintf(expires, sizeof(expires), "%ld", p->expires > 0 ? p->expires : 3600);
	add_pair(out, "X-Amz-Algorithm", ALGORITHM);
	add_pair(out, "X-Amz-Credential", credential);
	add_pair(out, "X-Amz-Date", out->amz_date);
	add_pair(out, "X-Amz-SignedHeaders", out->signed_headers);
	add_pair(out, "X-Amz-Expires", expires);
	if (token)
		add_pair(out, "X-Amz-Security-Token", p->session_token);
	query = tt_xcalloc(nq + out->nadded, sizeof(*query));
	memcpy(query, in->query, nq * sizeof(*query));
	for (size_t i = 0; i < out->nadded; i++) {
		/* A token added after signing stays out of the canonical query. */
		if (token && !p->sign_session_token &&
		    strcmp(out->added[i].name, "X-Amz-Security-Token") == 0)
			continue;
		query[nq].key = out->added[i].name;
		query[nq].value = out->added[i].value;
		nq++;
	}
	{
		char *ignored;
		out->canonical_request = build_canonical(in, p, query, nq, &hs, payload, &ignored);
		free(ignored);
	}
	header_set_clear(&hs);
	free(query);
	free(scope);
	free(credential);
	finish_signature(p, out);
	add_pair(out, "X-Amz-Signature", out->signature);
	return 0;
}

void tt_sigv4_output_clear(struct tt_sigv4_output *out)
{
	free(out->canonical_request);
	free(out->string_to_sign);
	free(out->signed_headers);
	free(out->authorization);
	for (size_t i = 0; i < out->nadded; i++) {
		free(out->added[i].name);
		tt_free_secret(out->added[i].value);
	}
	OPENSSL_cleanse(out->signing_key, sizeof(out->signing_key));
	memset(out, 0, sizeof(*out));
}

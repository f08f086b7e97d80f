/* A function's qualifiers (svc_lambda.h): ListVersionsByFunction and
 * ListAliases, every page of both, walked at the same time.
 *
 * The wire is botocore's: GET /2015-03-31/functions/{FunctionName}/versions
 * and .../aliases, the name a URI label (':' of an ARN escaped), MaxItems and
 * Marker in the query. tests/e2e/invoke_qualifiers.sh compares the recorded
 * requests with botocore's serializer. */
#include <stdlib.h>
#include <string.h>

#include "rest_internal.h"
#include "tiertop/err.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

/* Lambda's largest page is 50 for both, whatever MaxItems asks beyond. */
#define QUALIFIERS_PAGE "50"

/* --- parsing ---------------------------------------------------------------- */

static void qualifier_clear(struct tt_lambda_qualifier *q)
{
	free(q->name);
	free(q->version);
	free(q->description);
	free(q->last_modified);
	free(q->extra_version);
	memset(q, 0, sizeof(*q));
}

void tt_lambda_qualifiers_clear(struct tt_lambda_qualifiers *list)
{
	for (size_t i = 0; i < list->n; i++)
		qualifier_clear(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

/* Room for k more at position at; returns the first new slot (zeroed). */
static struct tt_lambda_qualifier *insert(struct tt_lambda_qualifiers *list, size_t at, size_t k)
{
	list->items = tt_xrealloc(list->items, (list->n + k ? list->n + k : 1) * sizeof(*list->items));
	memmove(list->items + at + k, list->items + at, (list->n - at) * sizeof(*list->items));
	memset(list->items + at, 0, k * sizeof(*list->items));
	list->n += k;
	return list->items + at;
}

/* root[key] as a list, or an error naming what answered. */
static json_t *load_page(const char *json, size_t len, const char *key, const char *what, const json_t **items,
			 struct tt_err *err)
{
	json_t *root = tt_rj_load(json, len, what, err);

	if (!root)
		return NULL;
	*items = json_object_get(root, key);
	if (*items && !json_is_array(*items)) {
		tt_err_set(err, TT_ERR_AWS, "%s answered with \"%s\" that is not a list", what, key);
		json_decref(root);
		*items = NULL;
		return NULL;
	}
	return root;
}

int tt_lambda_parse_versions_page(const char *json, size_t len, struct tt_lambda_qualifiers *list,
				  char **next_marker, struct tt_err *err)
{
	const json_t *items = NULL;
	json_t *root = load_page(json, len, "Versions", "lambda ListVersionsByFunction", &items, err);
	struct tt_lambda_qualifier *q;
	size_t k;

	*next_marker = NULL;
	if (!root)
		return -1;
	k = json_array_size(items);
	q = insert(list, list->nversions, k);
	for (size_t i = 0; i < k; i++, q++) {
		const json_t *o = json_array_get(items, i);
		q->name = tt_rj_str(o, "Version");
		q->version = tt_rj_str(o, "Version");
		q->description = tt_rj_str(o, "Description");
		q->last_modified = tt_rj_str(o, "LastModified");
		q->extra_version = tt_xstrdup("");
	}
	list->nversions += k;
	*next_marker = tt_rj_token(root, "NextMarker");
	json_decref(root);
	return 0;
}

/* RoutingConfig.AdditionalVersionWeights: Lambda allows one entry. */
static void read_routing(json_t *alias, struct tt_lambda_qualifier *q)
{
	json_t *weights = json_object_get(json_object_get(alias, "RoutingConfig"), "AdditionalVersionWeights");
	const char *version;
	json_t *weight;

	json_object_foreach(weights, version, weight)
	{
		if (!json_is_number(weight))
			continue;
		free(q->extra_version);
		q->extra_version = tt_xstrdup(version);
		q->extra_weight = json_number_value(weight);
		break;
	}
}

int tt_lambda_parse_aliases_page(const char *json, size_t len, struct tt_lambda_qualifiers *list,
				 char **next_marker, struct tt_err *err)
{
	const json_t *items = NULL;
	json_t *root = load_page(json, len, "Aliases", "lambda ListAliases", &items, err);
	struct tt_lambda_qualifier *q;
	size_t k;

	*next_marker = NULL;
	if (!root)
		return -1;
	k = json_array_size(items);
	q = insert(list, list->n, k);
	for (size_t i = 0; i < k; i++, q++) {
		json_t *o = json_array_get(items, i);
		q->alias = true;
		q->name = tt_rj_str(o, "Name");
		q->version = tt_rj_str(o, "FunctionVersion");
		q->description = tt_rj_str(o, "Description");
		q->last_modified = tt_xstrdup("");
		q->extra_version = tt_xstrdup("");
		read_routing(o, q);
	}
	*next_marker = tt_rj_token(root, "NextMarker");
	json_decref(root);
	return 0;
}

/* --- the calls -------------------------------------------------------------- */

struct qual_call {
	struct tt_aws aws;
	char *function;
	struct tt_lambda_qualifiers list;
	int pending;
	struct tt_err err;
	bool failed;
	tt_lambda_qualifiers_fn done;
	void *ctx;
};

static struct tt_http_req *qual_req(struct qual_call *c, const char *suffix, const char *label, const char *token,
				    struct tt_err *err)
{
	char *path = tt_lambda_function_path(c->function, suffix);
	struct tt_http_req *req = tt_aws_req_new(&c->aws, TT_SVC_LAMBDA, "GET", path, err);

	free(path);
	if (!req)
		return NULL;
	tt_http_req_label(req, label);
	/* Versions carry the configuration, environment values included. */
	tt_http_req_log_filter(req, tt_lambda_log_view);
	tt_http_req_query(req, "MaxItems", QUALIFIERS_PAGE);
	if (token)
		tt_http_req_query(req, "Marker", token);
	return req;
}

static struct tt_http_req *versions_req(void *ctx, const char *token, struct tt_err *err)
{
	return qual_req(ctx, "/versions", "lambda ListVersionsByFunction", token, err);
}

static struct tt_http_req *aliases_req(void *ctx, const char *token, struct tt_err *err)
{
	return qual_req(ctx, "/aliases", "lambda ListAliases", token, err);
}

static int versions_page(void *ctx, const char *body, size_t len, char **next, struct tt_err *err)
{
	struct qual_call *c = ctx;

	return tt_lambda_parse_versions_page(body, len, &c->list, next, err);
}

static int aliases_page(void *ctx, const char *body, size_t len, char **next, struct tt_err *err)
{
	struct qual_call *c = ctx;

	return tt_lambda_parse_aliases_page(body, len, &c->list, next, err);
}

static void qual_free(struct qual_call *c)
{
	tt_lambda_qualifiers_clear(&c->list);
	free(c->function);
	free(c);
}

/* The first failure is the one reported: the second is often its echo. */
static void walk_done(void *ctx, const struct tt_err *err)
{
	struct qual_call *c = ctx;

	if (err && !c->failed) {
		c->err = *err;
		c->failed = true;
	}
	if (--c->pending)
		return;
	c->done(c->ctx, c->failed ? NULL : &c->list, c->failed ? &c->err : NULL);
	qual_free(c);
}

int tt_lambda_list_qualifiers(const struct tt_aws *aws, const char *function, tt_lambda_qualifiers_fn done,
			      void *ctx, struct tt_err *err)
{
	struct qual_call *c;

	if (!function || !*function)
		return tt_err_set(err, TT_ERR_USAGE, "no function name given");
	c = tt_xcalloc(1, sizeof(*c));
	c->aws = *aws;
	c->function = tt_xstrdup(function);
	c->done = done;
	c->ctx = ctx;
	/* Counted before the first walk starts: a walk may end inside the call. */
	c->pending = 2;
	if (tt_rj_pages(aws->http, versions_req, versions_page, walk_done, c, err)) {
		qual_free(c);
		return -1;
	}
	if (tt_rj_pages(aws->http, aliases_req, aliases_page, walk_done, c, err)) {
		/* The versions walk is on its way and will end the call. */
		c->failed = true;
		c->err = *err;
		walk_done(c, NULL);
		return 0;
	}
	return 0;
}

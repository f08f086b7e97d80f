/* Resource Groups Tagging and CloudFormation: the two ways to learn which
 * resources make up an application. aws-wire.md 6. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tiertop/err.h"
#include "tiertop/sigv4.h"
#include "tiertop/svc_discovery.h"
#include "tiertop/xalloc.h"
#include "tiertop/xml.h"

/* --- tagging ------------------------------------------------------------- */

struct tag_call {
	struct tt_aws aws;
	char *key, *value, *token;
	char **arns;
	size_t n;
	tt_tagged_fn done;
	void *ctx;
};

static void tag_finish(struct tag_call *c, const struct tt_err *err)
{
	struct tt_tagged_resource *items = tt_xcalloc(c->n + 1, sizeof(*items));
	struct tt_tagged_list list = {items, c->n};

	for (size_t i = 0; i < c->n; i++)
		items[i].arn = c->arns[i];
	c->done(c->ctx, err ? NULL : &list, err);
	for (size_t i = 0; i < c->n; i++)
		free(c->arns[i]);
	free(items);
	free(c->arns);
	free(c->key);
	free(c->value);
	free(c->token);
	free(c);
}

static void tag_send(struct tag_call *c);

static void tag_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct tag_call *c = ctx;
	json_t *root, *list, *item;
	const char *token;
	struct tt_err perr;
	size_t i;

	if (err) {
		tag_finish(c, err);
		return;
	}
	root = json_loadb(resp->body.data, resp->body.len, 0, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		tt_err_set(&perr, TT_ERR_AWS, "tagging GetResources answered with malformed JSON");
		tag_finish(c, &perr);
		return;
	}
	list = json_object_get(root, "ResourceTagMappingList");
	json_array_foreach(list, i, item) {
		const char *arn = json_string_value(json_object_get(item, "ResourceARN"));
		if (!arn)
			continue;
		c->arns = tt_xrealloc(c->arns, (c->n + 1) * sizeof(*c->arns));
		c->arns[c->n++] = tt_xstrdup(arn);
	}
	/* The end of the pages is an absent or an empty token. */
	token = json_string_value(json_object_get(root, "PaginationToken"));
	free(c->token);
	c->token = token && *token ? tt_xstrdup(token) : NULL;
	json_decref(root);
	if (c->token)
		tag_send(c);
	else
		tag_finish(c, NULL);
}

static void tag_send(struct tag_call *c)
{
	struct tt_err err;
	struct tt_http_req *req = tt_aws_req_new(&c->aws, TT_SVC_TAGGING, "POST", "/", &err);
	json_t *body;
	char *text;

	if (!req) {
		tag_finish(c, &err);
		return;
	}
	body = json_pack("{s:[{s:s, s:[s]}], s:[s,s,s,s], s:i}", "TagFilters", "Key", c->key, "Values", c->value,
			 "ResourceTypeFilters", "lambda:function", "dynamodb:table", "apigateway:restapis",
			 "apigateway:apis", "ResourcesPerPage", 100);
	if (c->token)
		json_object_set_new(body, "PaginationToken", json_string(c->token));
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	tt_http_req_label(req, "tagging GetResources");
	tt_http_req_header(req, "Content-Type", "application/x-amz-json-1.1");
	tt_http_req_header(req, "X-Amz-Target", "ResourceGroupsTaggingAPI_20170126.GetResources");
	tt_http_req_body(req, text, strlen(text));
	free(text);
	tt_http_submit(c->aws.http, req, tag_answer, c);
}

int tt_tagging_find(const struct tt_aws *aws, const char *key, const char *value, tt_tagged_fn done,
		    void *ctx, struct tt_err *err)
{
	struct tag_call *c = tt_xcalloc(1, sizeof(*c));

	(void)err;
	c->aws = *aws;
	c->key = tt_xstrdup(key);
	c->value = tt_xstrdup(value);
	c->done = done;
	c->ctx = ctx;
	tag_send(c);
	return 0;
}

/* --- CloudFormation ---------------------------------------------------------- */

/* What a member of the answer says; the callback gets const views of it. */
struct owned_resource {
	char *logical_id, *physical_id, *type, *status;
};

struct cfn_call {
	struct tt_aws aws;
	char *stack, *token;
	struct owned_resource *items;
	size_t n;
	tt_cfn_resources_fn done;
	void *ctx;
};

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void cfn_finish(struct cfn_call *c, const struct tt_err *err)
{
	struct tt_cfn_resource *views = tt_xcalloc(c->n + 1, sizeof(*views));
	struct tt_cfn_resources list = {views, c->n};

	for (size_t i = 0; i < c->n; i++) {
		struct owned_resource *r = &c->items[i];
		views[i] = (struct tt_cfn_resource){or_empty(r->logical_id), or_empty(r->physical_id),
						      or_empty(r->type), or_empty(r->status)};
	}
	c->done(c->ctx, err ? NULL : &list, err);
	for (size_t i = 0; i < c->n; i++) {
		free(c->items[i].logical_id);
		free(c->items[i].physical_id);
		free(c->items[i].type);
		free(c->items[i].status);
	}
	free(views);
	free(c->items);
	free(c->stack);
	free(c->token);
	free(c);
}

/* Members arrive in document order: a container entry starts each one. */
static void cfn_collect(struct cfn_call *c, const struct tt_xml_flat *x)
{
	static const char member[] = "StackResourceSummaries/member";
	struct owned_resource *r = NULL;

	for (size_t i = 0; i < x->n; i++) {
		const char *p = x->entries[i].path, *t = x->entries[i].text, *at = strstr(p, member);
		const char *field = at && at[sizeof(member) - 1] == '/' ? at + sizeof(member) : NULL;
		if (at && !at[sizeof(member) - 1]) {
			c->items = tt_xrealloc(c->items, (c->n + 1) * sizeof(*c->items));
			r = &c->items[c->n++];
			memset(r, 0, sizeof(*r));
		} else if (r && field && strcmp(field, "LogicalResourceId") == 0) {
			r->logical_id = tt_xstrdup(t);
		} else if (r && field && strcmp(field, "PhysicalResourceId") == 0) {
			r->physical_id = tt_xstrdup(t);
		} else if (r && field && strcmp(field, "ResourceType") == 0) {
			r->type = tt_xstrdup(t);
		} else if (r && field && strcmp(field, "ResourceStatus") == 0) {
			r->status = tt_xstrdup(t);
		}
	}
}

static void cfn_send(struct cfn_call *c);

static void cfn_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct cfn_call *c = ctx;
	struct tt_xml_flat x;
	struct tt_err perr;
	const char *token;

	if (err) {
		cfn_finish(c, err);
		return;
	}
	if (tt_xml_flat_parse(resp->body.data, resp->body.len, &x, &perr)) {
		tt_err_prefix(&perr, "cloudformation ListStackResources");
		cfn_finish(c, &perr);
		return;
	}
	cfn_collect(c, &x);
	token = tt_xml_flat_get(&x, "ListStackResourcesResult/NextToken");
	free(c->token);
	c->token = token && *token ? tt_xstrdup(token) : NULL;
	tt_xml_flat_free(&x);
	if (c->token)
		cfn_send(c);
	else
		cfn_finish(c, NULL);
}

static void cfn_send(struct cfn_call *c)
{
	struct tt_kv p[2] = {{"StackName", c->stack}, {"NextToken", c->token}};
	char *body = tt_aws_query_body("ListStackResources", "2010-05-15", p, c->token ? 2 : 1);
	struct tt_err err;
	struct tt_http_req *req = tt_aws_req_new(&c->aws, TT_SVC_CLOUDFORMATION, "POST", "/", &err);

	if (!req) {
		free(body);
		cfn_finish(c, &err);
		return;
	}
	tt_http_req_label(req, "cloudformation ListStackResources");
	tt_http_req_header(req, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
	tt_http_req_body(req, body, strlen(body));
	free(body);
	tt_http_submit(c->aws.http, req, cfn_answer, c);
}

int tt_cfn_list_stack_resources(const struct tt_aws *aws, const char *stack, tt_cfn_resources_fn done, void *ctx,
				struct tt_err *err)
{
	struct cfn_call *c = tt_xcalloc(1, sizeof(*c));

	(void)err;
	c->aws = *aws;
	c->stack = tt_xstrdup(stack);
	c->done = done;
	c->ctx = ctx;
	cfn_send(c);
	return 0;
}

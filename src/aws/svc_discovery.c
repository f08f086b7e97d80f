/* Resource Groups Tagging and CloudFormation: the two ways to learn which
 * resources make up an application. aws-wire.md 6. */
#include <stdio.h>
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
	tt_xml_flat_clear(&x);
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

/* --- the applications of a region: ListStacks, GetTagValues ----------------------- */

void tt_name_page_clear(struct tt_name_page *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->names[i]);
	free(p->names);
	free(p->next_token);
	memset(p, 0, sizeof(*p));
}

static void page_add(struct tt_name_page *p, const char *name)
{
	p->names = tt_xrealloc(p->names, (p->n + 1) * sizeof(*p->names));
	p->names[p->n++] = tt_xstrdup(name);
}

static void page_set_token(struct tt_name_page *p, const char *token)
{
	free(p->next_token);
	p->next_token = token && *token ? tt_xstrdup(token) : NULL;
}

/* Asked for and checked again on the answer: a stack being created or
 * rolled back has nothing to show yet, a deleted one nothing any more. */
const char *const tt_cfn_live_states[] = {
	"CREATE_COMPLETE",
	"IMPORT_COMPLETE",
	"IMPORT_ROLLBACK_COMPLETE",
	"UPDATE_IN_PROGRESS",
	"UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
	"UPDATE_COMPLETE",
	"UPDATE_FAILED",
	"UPDATE_ROLLBACK_IN_PROGRESS",
	"UPDATE_ROLLBACK_FAILED",
	"UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
	"UPDATE_ROLLBACK_COMPLETE",
};
const size_t tt_cfn_nlive_states = sizeof(tt_cfn_live_states) / sizeof(tt_cfn_live_states[0]);

bool tt_cfn_state_live(const char *status)
{
	for (size_t i = 0; status && i < tt_cfn_nlive_states; i++)
		if (strcmp(status, tt_cfn_live_states[i]) == 0)
			return true;
	return false;
}

/* A member of StackSummaries while it is being read. */
struct stack_seen {
	bool open;
	const char *name, *status;
	bool nested;
};

static void stack_commit(struct stack_seen *s, struct tt_name_page *page)
{
	if (s->open && s->name && *s->name && !s->nested && tt_cfn_state_live(s->status))
		page_add(page, s->name);
	memset(s, 0, sizeof(*s));
}

int tt_cfn_list_stacks_parse(const char *body, size_t len, struct tt_name_page *page, struct tt_err *err)
{
	static const char member[] = "StackSummaries/member";
	struct tt_xml_flat x;
	struct stack_seen s = {0};

	if (tt_xml_flat_parse(body, len, &x, err)) {
		tt_err_prefix(err, "cloudformation ListStacks");
		return -1;
	}
	for (size_t i = 0; i < x.n; i++) {
		const char *p = x.entries[i].path, *t = x.entries[i].text, *at = strstr(p, member);
		const char *field = at && at[sizeof(member) - 1] == '/' ? at + sizeof(member) : NULL;
		if (at && !at[sizeof(member) - 1]) {
			stack_commit(&s, page);
			s.open = true;
		} else if (field && strcmp(field, "StackName") == 0) {
			s.name = t;
		} else if (field && strcmp(field, "StackStatus") == 0) {
			s.status = t;
		} else if (field && (strcmp(field, "ParentId") == 0 || strcmp(field, "RootId") == 0) && *t) {
			s.nested = true;
		}
	}
	stack_commit(&s, page);
	page_set_token(page, tt_xml_flat_get(&x, "ListStacksResult/NextToken"));
	tt_xml_flat_clear(&x);
	return 0;
}

int tt_tagging_values_parse(const char *body, size_t len, struct tt_name_page *page, struct tt_err *err)
{
	json_t *root = json_loadb(body, len, 0, NULL), *item;
	size_t i;

	if (!json_is_object(root)) {
		json_decref(root);
		tt_err_set(err, TT_ERR_AWS, "tagging GetTagValues answered with malformed JSON");
		return -1;
	}
	json_array_foreach(json_object_get(root, "TagValues"), i, item)
		if (json_is_string(item))
			page_add(page, json_string_value(item));
	page_set_token(page, json_string_value(json_object_get(root, "PaginationToken")));
	json_decref(root);
	return 0;
}

/* One listing followed page by page; what differs is the request and the
 * parser. */
struct names_call {
	struct tt_aws aws;
	char *key; /* GetTagValues only */
	struct tt_name_page page;
	void (*send)(struct names_call *c);
	int (*parse)(const char *body, size_t len, struct tt_name_page *page, struct tt_err *err);
	tt_name_list_fn done;
	void *ctx;
};

static void names_finish(struct names_call *c, const struct tt_err *err)
{
	struct tt_name_list list = {(const char *const *)c->page.names, c->page.n};

	c->done(c->ctx, err ? NULL : &list, err);
	tt_name_page_clear(&c->page);
	free(c->key);
	free(c);
}

static void names_answer(void *ctx, const struct tt_http_resp *resp, const struct tt_err *err)
{
	struct names_call *c = ctx;
	struct tt_err perr;

	if (err) {
		names_finish(c, err);
		return;
	}
	if (c->parse(resp->body.data, resp->body.len, &c->page, &perr)) {
		names_finish(c, &perr);
		return;
	}
	if (c->page.next_token)
		c->send(c);
	else
		names_finish(c, NULL);
}

static void stacks_send(struct names_call *c)
{
	/* Every live state, and the token. */
	struct tt_kv p[16];
	char names[16][40];
	size_t n = 0;
	char *body;
	struct tt_err err;
	struct tt_http_req *req = tt_aws_req_new(&c->aws, TT_SVC_CLOUDFORMATION, "POST", "/", &err);

	if (!req) {
		names_finish(c, &err);
		return;
	}
	for (; n < tt_cfn_nlive_states && n < 15; n++) {
		snprintf(names[n], sizeof(names[n]), "StackStatusFilter.member.%zu", n + 1);
		p[n] = (struct tt_kv){names[n], tt_cfn_live_states[n]};
	}
	if (c->page.next_token)
		p[n++] = (struct tt_kv){"NextToken", c->page.next_token};
	body = tt_aws_query_body("ListStacks", "2010-05-15", p, n);
	tt_http_req_label(req, "cloudformation ListStacks");
	tt_http_req_header(req, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
	tt_http_req_body(req, body, strlen(body));
	free(body);
	tt_http_submit(c->aws.http, req, names_answer, c);
}

static void values_send(struct names_call *c)
{
	struct tt_err err;
	struct tt_http_req *req = tt_aws_req_new(&c->aws, TT_SVC_TAGGING, "POST", "/", &err);
	json_t *body;
	char *text;

	if (!req) {
		names_finish(c, &err);
		return;
	}
	body = json_pack("{s:s}", "Key", c->key);
	if (c->page.next_token)
		json_object_set_new(body, "PaginationToken", json_string(c->page.next_token));
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	tt_http_req_label(req, "tagging GetTagValues");
	tt_http_req_header(req, "Content-Type", "application/x-amz-json-1.1");
	tt_http_req_header(req, "X-Amz-Target", "ResourceGroupsTaggingAPI_20170126.GetTagValues");
	tt_http_req_body(req, text, strlen(text));
	free(text);
	tt_http_submit(c->aws.http, req, names_answer, c);
}

static struct names_call *names_new(const struct tt_aws *aws, tt_name_list_fn done, void *ctx)
{
	struct names_call *c = tt_xcalloc(1, sizeof(*c));

	c->aws = *aws;
	c->done = done;
	c->ctx = ctx;
	return c;
}

int tt_cfn_list_stacks(const struct tt_aws *aws, tt_name_list_fn done, void *ctx, struct tt_err *err)
{
	struct names_call *c = names_new(aws, done, ctx);

	(void)err;
	c->send = stacks_send;
	c->parse = tt_cfn_list_stacks_parse;
	stacks_send(c);
	return 0;
}

int tt_tagging_get_values(const struct tt_aws *aws, const char *key, tt_name_list_fn done, void *ctx,
			  struct tt_err *err)
{
	struct names_call *c = names_new(aws, done, ctx);

	(void)err;
	c->key = tt_xstrdup(key);
	c->send = values_send;
	c->parse = tt_tagging_values_parse;
	values_send(c);
	return 0;
}

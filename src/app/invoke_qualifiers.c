/* tiertop invoke FN --list-qualifiers: what --qualifier accepts, the way
 * `aws lambda list-versions-by-function` and `list-aliases` would show it
 * together: every version ($LATEST first), then every alias with the
 * version it points to (and the one it sends a share of traffic to).
 *
 * Looking only: no confirmation, allowed in read-only mode, nothing in the
 * audit log. Text is sanitized (descriptions are anyone's writing); --json
 * escapes everything past ASCII. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "invoke_front.h"
#include "tiertop/http.h"
#include "tiertop/sanitize.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

#define NAME_WIDTH_MAX 40

struct qual_run {
	struct tt_lambda_qualifiers list;
	struct tt_err err;
	bool failed;
	bool done;
};

static void on_qualifiers(void *ctx, struct tt_lambda_qualifiers *list, const struct tt_err *err)
{
	struct qual_run *r = ctx;

	if (err) {
		r->err = *err;
		r->failed = true;
	} else {
		r->list = *list;
		memset(list, 0, sizeof(*list));
	}
	r->done = true;
}

/* "1", or "2 (10% to 3)" for an alias that splits traffic. */
static char *target_text(const struct tt_lambda_qualifier *q)
{
	if (!q->alias || !*q->extra_version)
		return tt_xstrdup(q->version);
	return tt_xasprintf("%s (%g%% to %s)", q->version, q->extra_weight * 100.0, q->extra_version);
}

static void print_table(const struct tt_lambda_qualifiers *list)
{
	unsigned san = tt_app_san();
	int width = (int)strlen("QUALIFIER");

	for (size_t i = 0; i < list->n; i++) {
		char *name = tt_sanitize(list->items[i].name, san);
		int len = (int)strlen(name);
		if (len > width)
			width = len > NAME_WIDTH_MAX ? NAME_WIDTH_MAX : len;
		free(name);
	}
	printf("%-*s  %-7s  %-16s  %s\n", width, "QUALIFIER", "KIND", "VERSION", "DESCRIPTION");
	for (size_t i = 0; i < list->n; i++) {
		const struct tt_lambda_qualifier *q = &list->items[i];
		char *target = target_text(q);
		char *name = tt_sanitize(q->name, san), *ver = tt_sanitize(target, san);
		char *desc = tt_sanitize(q->description, san);
		printf("%-*s  %-7s  %-16s  %s\n", width, name, q->alias ? "alias" : "version", ver, desc);
		free(name);
		free(ver);
		free(desc);
		free(target);
	}
}

/* The members AWS uses, so that a script written against the AWS CLI's
 * answers reads these too. */
static void print_json(const struct tt_lambda_qualifiers *list)
{
	json_t *versions = json_array(), *aliases = json_array();
	json_t *doc = json_pack("{s:o, s:o}", "Versions", versions, "Aliases", aliases);

	for (size_t i = 0; i < list->n; i++) {
		const struct tt_lambda_qualifier *q = &list->items[i];
		json_t *o;
		if (!q->alias) {
			o = json_pack("{s:s, s:s, s:s}", "Version", q->version, "Description", q->description,
				      "LastModified", q->last_modified);
			json_array_append_new(versions, o);
			continue;
		}
		o = json_pack("{s:s, s:s, s:s}", "Name", q->name, "FunctionVersion", q->version, "Description",
			      q->description);
		if (*q->extra_version)
			json_object_set_new(o, "RoutingConfig",
					    json_pack("{s:{s:f}}", "AdditionalVersionWeights", q->extra_version,
						      q->extra_weight));
		json_array_append_new(aliases, o);
	}
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(doc);
}

/* ListVersionsByFunction refuses a qualified name; so does this, before
 * the network, rather than guess which function was meant. */
static int check_unqualified(const char *function, struct tt_err *err)
{
	struct tt_lambda_ref ref;
	int rc;

	if (tt_lambda_ref_parse(function, &ref, err))
		return -1;
	rc = *ref.qualifier ? tt_err_set(err, TT_ERR_USAGE,
					 "--list-qualifiers takes the function without a qualifier (\"%s\" has \"%s\")",
					 function, ref.qualifier)
			    : 0;
	tt_lambda_ref_clear(&ref);
	return rc;
}

int tt_invoke_list_qualifiers(struct tt_app *app, const char *function)
{
	struct qual_run r = {0};
	struct tt_err err;
	int rc = 0;

	if (check_unqualified(function, &err) || tt_app_connect(app, &err) ||
	    tt_lambda_list_qualifiers(&app->aws, function, on_qualifiers, &r, &err))
		return tt_app_fail(&err);
	tt_http_run_until(app->http, &r.done);
	if (r.failed)
		rc = tt_app_fail(&r.err);
	else if (app->opts.json)
		print_json(&r.list);
	else
		print_table(&r.list);
	tt_lambda_qualifiers_clear(&r.list);
	return rc;
}

/* Lambda answers into plain C structs (svc_lambda.h). Only the fields an
 * operator looks at are kept; the rest of each answer is dropped here. */
#include <stdlib.h>
#include <string.h>

#include "rest_internal.h"
#include "tiertop/err.h"
#include "tiertop/svc_lambda.h"
#include "tiertop/xalloc.h"

static void read_env(json_t *vars, struct tt_lambda_function *fn)
{
	const char *key;
	json_t *value;

	fn->env = tt_xcalloc(json_object_size(vars) + 1, sizeof(*fn->env));
	json_object_foreach(vars, key, value)
	{
		if (!json_is_string(value))
			continue;
		fn->env[fn->nenv].name = tt_xstrdup(key);
		fn->env[fn->nenv].value = tt_xstrdup(json_string_value(value));
		fn->nenv++;
	}
}

static void read_function(const json_t *o, struct tt_lambda_function *fn)
{
	const json_t *arch = json_array_get(json_object_get(o, "Architectures"), 0);

	fn->name = tt_rj_str(o, "FunctionName");
	fn->arn = tt_rj_str(o, "FunctionArn");
	fn->runtime = tt_rj_str(o, "Runtime");
	fn->handler = tt_rj_str(o, "Handler");
	fn->role = tt_rj_str(o, "Role");
	fn->description = tt_rj_str(o, "Description");
	fn->last_modified = tt_rj_str(o, "LastModified");
	fn->state = tt_rj_str(o, "State");
	fn->state_reason = tt_rj_str(o, "StateReason");
	fn->last_update_status = tt_rj_str(o, "LastUpdateStatus");
	fn->package_type = tt_rj_str(o, "PackageType");
	fn->version = tt_rj_str(o, "Version");
	fn->architecture = tt_xstrdup(json_is_string(arch) ? json_string_value(arch) : "");
	fn->log_group = tt_rj_str(json_object_get(o, "LoggingConfig"), "LogGroup");
	fn->memory_mb = (long)tt_rj_int(o, "MemorySize", 0);
	fn->timeout_s = (long)tt_rj_int(o, "Timeout", 0);
	fn->ephemeral_mb = (long)tt_rj_int(json_object_get(o, "EphemeralStorage"), "Size", 0);
	fn->code_size = tt_rj_int(o, "CodeSize", 0);
	read_env(json_object_get(json_object_get(o, "Environment"), "Variables"), fn);
}

/* A list member that is present must be an array; an absent one is empty. */
static int array_member(const json_t *root, const char *key, const char *what, const json_t **out,
			struct tt_err *err)
{
	const json_t *a = json_object_get(root, key);

	if (a && !json_is_array(a))
		return tt_err_set(err, TT_ERR_AWS, "%s answered with \"%s\" that is not a list", what, key);
	*out = a;
	return 0;
}

int tt_lambda_parse_functions_page(const char *json, size_t len, struct tt_lambda_functions *list,
				   char **next_marker, struct tt_err *err)
{
	json_t *root = tt_rj_load(json, len, "lambda ListFunctions", err);
	const json_t *items = NULL;
	size_t base;

	*next_marker = NULL;
	if (!root)
		return -1;
	if (array_member(root, "Functions", "lambda ListFunctions", &items, err)) {
		json_decref(root);
		return -1;
	}
	base = list->n;
	list->items = tt_rj_append(list->items, &list->n, json_array_size(items), sizeof(*list->items));
	for (size_t i = 0; i < json_array_size(items); i++)
		read_function(json_array_get(items, i), &list->items[base + i]);
	*next_marker = tt_rj_token(root, "NextMarker");
	json_decref(root);
	return 0;
}

int tt_lambda_parse_function(const char *json, size_t len, struct tt_lambda_function *out, struct tt_err *err)
{
	json_t *root = tt_rj_load(json, len, "lambda GetFunctionConfiguration", err);

	memset(out, 0, sizeof(*out));
	if (!root)
		return -1;
	read_function(root, out);
	json_decref(root);
	return 0;
}

static void read_esm(const json_t *o, struct tt_lambda_esm *m)
{
	m->uuid = tt_rj_str(o, "UUID");
	m->event_source_arn = tt_rj_str(o, "EventSourceArn");
	m->function_arn = tt_rj_str(o, "FunctionArn");
	m->state = tt_rj_str(o, "State");
	m->last_processing_result = tt_rj_str(o, "LastProcessingResult");
	m->starting_position = tt_rj_str(o, "StartingPosition");
	m->batch_size = (long)tt_rj_int(o, "BatchSize", 0);
	m->last_modified = tt_rj_time(o, "LastModified");
}

int tt_lambda_parse_esms_page(const char *json, size_t len, struct tt_lambda_esms *list, char **next_marker,
			      struct tt_err *err)
{
	json_t *root = tt_rj_load(json, len, "lambda ListEventSourceMappings", err);
	const json_t *items = NULL;
	size_t base;

	*next_marker = NULL;
	if (!root)
		return -1;
	if (array_member(root, "EventSourceMappings", "lambda ListEventSourceMappings", &items, err)) {
		json_decref(root);
		return -1;
	}
	base = list->n;
	list->items = tt_rj_append(list->items, &list->n, json_array_size(items), sizeof(*list->items));
	for (size_t i = 0; i < json_array_size(items); i++)
		read_esm(json_array_get(items, i), &list->items[base + i]);
	*next_marker = tt_rj_token(root, "NextMarker");
	json_decref(root);
	return 0;
}

void tt_lambda_function_clear(struct tt_lambda_function *fn)
{
	char **strings[] = {
	    &fn->name,          &fn->arn,
	    &fn->runtime,       &fn->handler,
	    &fn->role,          &fn->description,
	    &fn->last_modified, &fn->state,
	    &fn->state_reason,  &fn->last_update_status,
	    &fn->package_type,  &fn->version,
	    &fn->architecture,  &fn->log_group,
	};

	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		free(*strings[i]);
	for (size_t i = 0; i < fn->nenv; i++) {
		free(fn->env[i].name);
		tt_free_secret(fn->env[i].value);
	}
	free(fn->env);
	memset(fn, 0, sizeof(*fn));
}

void tt_lambda_functions_clear(struct tt_lambda_functions *list)
{
	for (size_t i = 0; i < list->n; i++)
		tt_lambda_function_clear(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

void tt_lambda_esms_clear(struct tt_lambda_esms *list)
{
	for (size_t i = 0; i < list->n; i++) {
		struct tt_lambda_esm *m = &list->items[i];
		free(m->uuid);
		free(m->event_source_arn);
		free(m->function_arn);
		free(m->state);
		free(m->last_processing_result);
		free(m->starting_position);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}

char *tt_lambda_log_group_for(const char *function_name, const char *configured_log_group)
{
	struct tt_lambda_ref ref;
	struct tt_err err;
	char *group;

	if (configured_log_group && *configured_log_group)
		return tt_xstrdup(configured_log_group);
	/* An alias or version writes to the function's one group. */
	if (tt_lambda_ref_parse(function_name, &ref, &err) == 0 && *ref.name) {
		group = tt_xasprintf("/aws/lambda/%s", ref.name);
		tt_lambda_ref_clear(&ref);
		return group;
	}
	return tt_xasprintf("/aws/lambda/%s", function_name);
}

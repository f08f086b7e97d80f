/* CloudWatch Logs answers into plain structs (svc_logs.h). Unknown members
 * are ignored and missing ones left zero: AWS adds fields over time, and a
 * field we do not need must never make a page unreadable. */
#include <stdlib.h>
#include <string.h>

#include "logs_internal.h"
#include "tiertop/err.h"
#include "tiertop/xalloc.h"

json_t *logs_load(const char *json, size_t len, const char *what, struct tt_err *err)
{
	json_error_t jerr;
	/* A log line may carry "\u0000"; refusing it would let one hostile
	 * line make a whole page (and the tail behind it) unreadable. */
	json_t *root = json_loadb(json ? json : "", len, JSON_ALLOW_NUL, &jerr);

	if (json_is_object(root))
		return root;
	if (root)
		tt_err_set(err, TT_ERR_AWS, "%s answered with JSON that is not an object", what);
	else
		tt_err_set(err, TT_ERR_AWS, "%s answered with malformed JSON (%s at byte %d)", what,
		           jerr.text, jerr.position);
	json_decref(root);
	return NULL;
}

static char *dup_member(json_t *o, const char *key, size_t *len)
{
	json_t *v = json_object_get(o, key);
	size_t n;

	if (!json_is_string(v)) {
		if (len)
			*len = 0;
		return NULL;
	}
	n = json_string_length(v);
	if (len)
		*len = n;
	return tt_xstrndup(json_string_value(v), n);
}

/* Epoch times are integers on the wire; a real is accepted in case a
 * proxy or emulator re-serialises them. */
static int64_t int_member(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	/* Out of int64's range the cast is undefined: no time, then. */
	if (json_is_real(v) && json_real_value(v) > -9e18 && json_real_value(v) < 9e18)
		return (int64_t)json_real_value(v);
	return 0;
}

static size_t array_size(json_t *a)
{
	return json_is_array(a) ? json_array_size(a) : 0;
}

void logs_events_from(json_t *array, struct tt_logs_event **out, size_t *n)
{
	size_t count = array_size(array), i;
	json_t *o;

	*out = count ? tt_xcalloc(count, sizeof(**out)) : NULL;
	*n = 0;
	json_array_foreach(array, i, o)
	{
		struct tt_logs_event *e;
		if (!json_is_object(o))
			continue;
		e = &(*out)[(*n)++];
		e->group = dup_member(o, "logGroupIdentifier", NULL);
		e->stream = dup_member(o, "logStreamName", NULL);
		e->message = dup_member(o, "message", &e->message_len);
		if (!e->message)
			e->message = tt_xstrdup("");
		e->event_id = dup_member(o, "eventId", NULL);
		e->timestamp_ms = int_member(o, "timestamp");
		e->ingestion_ms = int_member(o, "ingestionTime");
	}
}

int tt_logs_parse_events(const char *json, size_t len, struct tt_logs_event_page *out, struct tt_err *err)
{
	json_t *root = logs_load(json, len, "CloudWatch Logs", err);

	memset(out, 0, sizeof(*out));
	if (!root)
		return -1;
	logs_events_from(json_object_get(root, "events"), &out->events, &out->n);
	out->next_token = dup_member(root, "nextToken", NULL);
	json_decref(root);
	return 0;
}

/* "arn:...:log-group:NAME:*" is what "arn" holds; Live Tail and
 * logGroupIdentifier want it without ":*" (aws-wire.md 2). */
static char *group_arn(json_t *o)
{
	char *arn = dup_member(o, "logGroupArn", NULL);
	size_t n;

	if (arn)
		return arn;
	arn = dup_member(o, "arn", NULL);
	if (arn && (n = strlen(arn)) >= 2 && strcmp(arn + n - 2, ":*") == 0)
		arn[n - 2] = '\0';
	return arn;
}

int tt_logs_parse_groups(const char *json, size_t len, struct tt_logs_group_page *out, struct tt_err *err)
{
	json_t *root = logs_load(json, len, "CloudWatch Logs DescribeLogGroups", err), *a, *o;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!root)
		return -1;
	a = json_object_get(root, "logGroups");
	out->groups = array_size(a) ? tt_xcalloc(array_size(a), sizeof(*out->groups)) : NULL;
	json_array_foreach(a, i, o)
	{
		struct tt_logs_group *g;
		if (!json_is_object(o) || !json_is_string(json_object_get(o, "logGroupName")))
			continue;
		g = &out->groups[out->n++];
		g->name = dup_member(o, "logGroupName", NULL);
		g->arn = group_arn(o);
		g->creation_ms = int_member(o, "creationTime");
		g->retention_days = (long)int_member(o, "retentionInDays");
		g->stored_bytes = int_member(o, "storedBytes");
		g->group_class = dup_member(o, "logGroupClass", NULL);
	}
	out->next_token = dup_member(root, "nextToken", NULL);
	json_decref(root);
	return 0;
}

void tt_logs_event_clear(struct tt_logs_event *e)
{
	free(e->group);
	free(e->stream);
	free(e->message);
	free(e->event_id);
	memset(e, 0, sizeof(*e));
}

void tt_logs_event_page_clear(struct tt_logs_event_page *p)
{
	for (size_t i = 0; i < p->n; i++)
		tt_logs_event_clear(&p->events[i]);
	free(p->events);
	free(p->next_token);
	memset(p, 0, sizeof(*p));
}

void tt_logs_group_page_clear(struct tt_logs_group_page *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->groups[i].name);
		free(p->groups[i].arn);
		free(p->groups[i].group_class);
	}
	free(p->groups);
	free(p->next_token);
	memset(p, 0, sizeof(*p));
}

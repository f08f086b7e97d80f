/* A FilterLogEvents answer parsed a slice of events at a time
 * (svc_logs.h): one 1 MB page of 10,000 events takes tens of milliseconds
 * to parse in one go, which the console's loop must not spend between two
 * key reads (bench/parse_page.sh).
 *
 * The answer is walked by hand only at its top level (the object's members
 * and the "events" array's commas); every value, each event object
 * included, is decoded by jansson, so what is accepted, rejected and read
 * is what tt_logs_parse_events does with the whole text: the last of
 * duplicate members wins, elements that are not objects are skipped, a
 * member that is not what is expected reads as absent, and anything
 * malformed anywhere, trailing bytes included, is an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logs_internal.h"
#include "tiertop/err.h"
#include "tiertop/xalloc.h"

enum state { S_START, S_MEMBER, S_EVENTS, S_END, S_DONE, S_FAILED };

struct tt_logs_events_parser {
	char *json;
	size_t len, pos;
	enum state state;
	bool first_element; /* in "events": the next element may be ']' */
	struct tt_logs_event *events;
	size_t n, alloc;
	char *next_token;
};

struct tt_logs_events_parser *tt_logs_events_parser_new(char *json, size_t len)
{
	struct tt_logs_events_parser *p = tt_xcalloc(1, sizeof(*p));

	p->json = json;
	p->len = json ? len : 0;
	return p;
}

static void clear_events(struct tt_logs_events_parser *p)
{
	for (size_t i = 0; i < p->n; i++)
		tt_logs_event_clear(&p->events[i]);
	p->n = 0;
}

void tt_logs_events_parser_free(struct tt_logs_events_parser **pp)
{
	struct tt_logs_events_parser *p = *pp;

	if (!p)
		return;
	clear_events(p);
	free(p->events);
	free(p->next_token);
	free(p->json);
	free(p);
	*pp = NULL;
}

static int fail(struct tt_logs_events_parser *p, struct tt_err *err, const char *what, size_t at)
{
	p->state = S_FAILED;
	tt_err_set(err, TT_ERR_AWS, "CloudWatch Logs answered with malformed JSON (%s at byte %zu)", what, at);
	return -1;
}

static void skip_ws(struct tt_logs_events_parser *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->json[p->pos]) && p->json[p->pos])
		p->pos++;
}

static int peek(const struct tt_logs_events_parser *p)
{
	return p->pos < p->len ? (unsigned char)p->json[p->pos] : -1;
}

/* Where the value at pos ends (strings and scalars; jansson finds the end
 * of objects and arrays itself). Validity is jansson's to judge. */
static size_t value_end(const struct tt_logs_events_parser *p)
{
	size_t i = p->pos + 1;

	if (p->json[p->pos] == '"') {
		while (i < p->len && p->json[i] != '"')
			i += p->json[i] == '\\' ? 2 : 1;
		return i < p->len ? i + 1 : p->len;
	}
	while (i < p->len && !strchr(",}] \t\r\n", p->json[i]))
		i++;
	return i;
}

/* The value at pos, decoded by jansson, pos moved past it; NULL with err. */
static json_t *next_value(struct tt_logs_events_parser *p, struct tt_err *err)
{
	json_error_t jerr;
	json_t *v;
	size_t end;

	if (p->pos >= p->len) {
		fail(p, err, "value expected near end of file", p->pos);
		return NULL;
	}
	if (p->json[p->pos] == '{' || p->json[p->pos] == '[') {
		v = json_loadb(p->json + p->pos, p->len - p->pos, JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, &jerr);
		end = v ? p->pos + (size_t)jerr.position : 0;
	} else {
		end = value_end(p);
		v = json_loadb(p->json + p->pos, end - p->pos, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	}
	if (!v) {
		fail(p, err, jerr.text, p->pos + (size_t)(jerr.position > 0 ? jerr.position : 0));
		return NULL;
	}
	p->pos = end;
	return v;
}

static void add_event(struct tt_logs_events_parser *p, json_t *o)
{
	json_t *one = json_array();
	struct tt_logs_event *e = NULL;
	size_t n = 0;

	/* One conversion for both parsers: logs_events_from on a one-element array. */
	json_array_append(one, o);
	logs_events_from(one, &e, &n);
	json_decref(one);
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? p->alloc * 2 : 256;
		p->events = tt_xrealloc(p->events, p->alloc * sizeof(*p->events));
	}
	p->events[p->n++] = e[0];
	free(e);
}

/* After a member's value: ',' for another, '}' for the end. */
static int member_done(struct tt_logs_events_parser *p, struct tt_err *err)
{
	skip_ws(p);
	if (peek(p) == ',') {
		p->pos++;
		p->state = S_MEMBER;
	} else if (peek(p) == '}') {
		p->pos++;
		p->state = S_END;
	} else {
		return fail(p, err, "',' or '}' expected", p->pos);
	}
	return 0;
}

static int member(struct tt_logs_events_parser *p, struct tt_err *err)
{
	json_t *key, *v;
	bool events;

	skip_ws(p);
	if (peek(p) != '"')
		return fail(p, err, "string or '}' expected", p->pos);
	if (!(key = next_value(p, err)))
		return -1;
	if (strlen(json_string_value(key)) != json_string_length(key)) {
		json_decref(key);
		return fail(p, err, "NUL byte in object key not supported", p->pos);
	}
	events = strcmp(json_string_value(key), "events") == 0;
	if (!events && strcmp(json_string_value(key), "nextToken") != 0) {
		json_decref(key);
		key = NULL;
	}
	skip_ws(p);
	if (peek(p) != ':') {
		json_decref(key);
		return fail(p, err, "':' expected", p->pos);
	}
	p->pos++;
	skip_ws(p);
	if (events) {
		/* The last "events" wins, as in an object jansson builds. */
		clear_events(p);
		json_decref(key);
		key = NULL;
		if (peek(p) == '[') {
			p->pos++;
			p->first_element = true;
			p->state = S_EVENTS;
			return 0;
		}
	}
	if (!(v = next_value(p, err))) {
		json_decref(key);
		return -1;
	}
	if (key) {
		free(p->next_token);
		p->next_token = json_is_string(v) ? tt_xstrndup(json_string_value(v), json_string_length(v)) : NULL;
	}
	json_decref(key);
	json_decref(v);
	return member_done(p, err);
}

/* Up to max elements of "events". */
static int elements(struct tt_logs_events_parser *p, size_t max, struct tt_err *err)
{
	for (size_t done = 0; done < max; done++) {
		json_t *v;
		skip_ws(p);
		if (p->first_element && peek(p) == ']') {
			p->pos++;
			return member_done(p, err);
		}
		if (!(v = next_value(p, err)))
			return -1;
		if (json_is_object(v))
			add_event(p, v);
		json_decref(v);
		p->first_element = false;
		skip_ws(p);
		if (peek(p) == ']') {
			p->pos++;
			return member_done(p, err);
		}
		if (peek(p) != ',')
			return fail(p, err, "',' or ']' expected", p->pos);
		p->pos++;
	}
	return 0;
}

int tt_logs_events_parser_step(struct tt_logs_events_parser *p, size_t max_events, struct tt_err *err)
{
	if (max_events == 0)
		max_events = 1;
	while (p->state != S_DONE) {
		switch (p->state) {
		case S_START:
			skip_ws(p);
			if (peek(p) != '{')
				return fail(p, err, p->pos < p->len ? "not an object" : "empty answer", p->pos);
			p->pos++;
			skip_ws(p);
			if (peek(p) == '}') {
				p->pos++;
				p->state = S_END;
			} else {
				p->state = S_MEMBER;
			}
			break;
		case S_MEMBER:
			if (member(p, err))
				return -1;
			break;
		case S_EVENTS:
			if (elements(p, max_events, err))
				return -1;
			if (p->state == S_EVENTS)
				return 1; /* a slice is done; more events follow */
			break;
		case S_END:
			skip_ws(p);
			if (p->pos != p->len)
				return fail(p, err, "end of file expected", p->pos);
			p->state = S_DONE;
			break;
		case S_DONE: break;
		case S_FAILED:
			tt_err_set(err, TT_ERR_AWS, "CloudWatch Logs answered with malformed JSON");
			return -1;
		}
	}
	return 0;
}

void tt_logs_events_parser_take(struct tt_logs_events_parser *p, struct tt_logs_event_page *out)
{
	memset(out, 0, sizeof(*out));
	if (p->state != S_DONE)
		return;
	out->events = p->events;
	out->n = p->n;
	out->next_token = p->next_token;
	p->events = NULL;
	p->n = p->alloc = 0;
	p->next_token = NULL;
}

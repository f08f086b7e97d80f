/* The logs view over a fake CloudWatch Logs: what it draws (golden text at
 * 80x24 and 160x48, UTF-8 and ASCII) after events arrive, following and
 * pausing, search, the request-id filter, hostile lines shown inert, error
 * marks, wrap, JSON, a failing tail in the header, the filter pattern and
 * Live Tail restarts, save and copy. TZ is UTC so times are stable. */
#define _XOPEN_SOURCE 700

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "tap.h"
#include "testutil.h"
#include "viewtest.h"
#include "tiertop/buf.h"
#include "tiertop/canvas.h"
#include "tiertop/err.h"
#include "tiertop/keys.h"
#include "tiertop/view_logs.h"
#include "tiertop/xalloc.h"

#define NOW 1700000000000LL /* 2023-11-14T22:13:20Z */
#define RID "8f5e3a8c-1111-2222-3333-444455556666"
#define RID2 "0b0e5c1d-aaaa-bbbb-cccc-ddddeeeeffff"
#define ARN_A "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/submit"

/* --- the fake CloudWatch Logs ------------------------------------------------------------------ */

struct call {
	bool filter;
	char group[128];
	char pattern[64];
	int64_t start;
	tt_logs_events_fn events_done;
	tt_logs_groups_fn groups_done;
	void *ctx;
};

static struct {
	struct call calls[64];
	int ncalls;
	long next_id;
	int sessions;
	struct tt_logs_live_handlers h;
	void *live_ctx;
	int next_event;
} F;

static int fake_filter(void *io, const struct tt_logs_filter *in, tt_logs_events_fn done, void *ctx, long *id,
		       struct tt_err *err)
{
	struct call *c = &F.calls[F.ncalls++];

	(void)io;
	(void)err;
	memset(c, 0, sizeof(*c));
	c->filter = true;
	snprintf(c->group, sizeof(c->group), "%s", in->group);
	snprintf(c->pattern, sizeof(c->pattern), "%s", in->pattern ? in->pattern : "");
	c->start = in->start_ms;
	c->events_done = done;
	c->ctx = ctx;
	*id = ++F.next_id;
	return 0;
}

static int fake_describe(void *io, const char *prefix, const char *token, tt_logs_groups_fn done, void *ctx,
			 long *id, struct tt_err *err)
{
	struct call *c = &F.calls[F.ncalls++];

	(void)io;
	(void)token;
	(void)err;
	memset(c, 0, sizeof(*c));
	snprintf(c->group, sizeof(c->group), "%s", prefix);
	c->groups_done = done;
	c->ctx = ctx;
	*id = ++F.next_id;
	return 0;
}

static struct tt_logs_live *fake_live(void *io, const struct tt_logs_live_in *in,
				      const struct tt_logs_live_handlers *h, void *ctx, struct tt_err *err)
{
	(void)io;
	(void)in;
	(void)err;
	F.sessions++;
	F.h = *h;
	F.live_ctx = ctx;
	return tt_logs_live_new_detached(h, ctx);
}

static void fake_cancel(void *io, long id)
{
	(void)io;
	(void)id;
}

static struct tt_view_env env = {.utf8 = true, .color = true, VT_ENV_FAKES};

/* One event: its message may hold NULs (len). */
struct ev {
	int64_t ts;
	const char *msg;
	size_t len;
};

static void fill(struct tt_logs_event_page *p, const struct ev *evs, size_t n, const char *ident)
{
	memset(p, 0, sizeof(*p));
	p->events = tt_xcalloc(n + 1, sizeof(*p->events));
	for (size_t i = 0; i < n; i++) {
		struct tt_logs_event *e = &p->events[p->n++];
		size_t len = evs[i].len ? evs[i].len : strlen(evs[i].msg);
		e->timestamp_ms = evs[i].ts;
		e->ingestion_ms = evs[i].ts + 100;
		e->event_id = ident ? NULL : tt_xasprintf("e%d", F.next_event++);
		e->message = tt_xmalloc(len + 1);
		memcpy(e->message, evs[i].msg, len);
		e->message[len] = '\0';
		e->message_len = len;
		e->stream = tt_xstrdup("2023/11/14/[$LATEST]abc");
		e->group = ident ? tt_xstrdup(ident) : NULL;
	}
}

static void answer(int i, const struct ev *evs, size_t n)
{
	struct tt_logs_event_page p;

	fill(&p, evs, n, NULL);
	F.calls[i].events_done(F.calls[i].ctx, &p, NULL);
	tt_logs_event_page_clear(&p);
}

static void answer_error(int i, long status, const char *code)
{
	struct tt_err err;

	tt_err_set(&err, TT_ERR_AWS, "logs FilterLogEvents: it went wrong");
	err.http_status = status;
	snprintf(err.code, sizeof(err.code), "%s", code);
	F.calls[i].events_done(F.calls[i].ctx, NULL, &err);
}

/* The view's loop as the console runs it, once. */
static void turn(struct tt_view *v, int64_t now)
{
	v->ops->clock(v, now);
	v->ops->tick(v, now);
}

static struct tt_view *open_view(const char *const *groups, size_t n, const struct tt_view_logs_opts *in)
{
	struct tt_view_logs_opts o;
	struct tt_view *v;

	memset(&F, 0, sizeof(F));
	vt_env_reset();
	if (in)
		o = *in;
	else
		memset(&o, 0, sizeof(o));
	o.io = (struct tt_tail_io){fake_filter, fake_describe, fake_live, fake_cancel, NULL, NULL};
	v = tt_view_logs_new(&env, groups, n, "logs submit", &o, NOW);
	turn(v, NOW);
	return v;
}

static void keys(struct tt_view *v, const char *typed)
{
	for (; *typed; typed++)
		v->ops->key(v, *typed == '\n' ? TT_KEY_ENTER : (unsigned char)*typed, NOW);
}

/* --- what was drawn ------------------------------------------------------------------------------- */

/* No cell holds a control character (C0, DEL, C1), whatever the lines held. */
static bool cells_inert(const struct tt_canvas *c)
{
	for (int y = 0; y < c->h; y++)
		for (int x = 0; x < c->w; x++) {
			uint32_t ch = tt_canvas_at(c, x, y)->ch;
			if (ch == 0 && x > 0)
				continue; /* the right half of a wide character */
			if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch <= 0x9f))
				return false;
			if (!c->utf8 && ch >= 0x80)
				return false;
		}
	return true;
}

static struct tt_canvas *render(struct tt_view *v, int w, int h, bool utf8)
{
	struct tt_canvas *c = tt_canvas_new(w, h, utf8);

	v->ops->draw(v, c, 0, h);
	return c;
}

/* Renders, checks every cell and compares with tests/golden/NAME.txt. */
static void golden(struct tt_view *v, const char *name, int w, int h, bool utf8)
{
	struct tt_canvas *c = render(v, w, h, utf8);
	char *text = tt_canvas_text_dump(c);

	tap_ok(cells_inert(c), "%s: no control character in any cell", name);
	tap_ok(tt_golden_check(name, text), "%s matches tests/golden/%s.txt", name, name);
	free(text);
	tt_canvas_free(&c);
}

static bool drawn_as(struct tt_view *v, int w, int h, const char *want, bool expected)
{
	struct tt_canvas *c = render(v, w, h, true);
	char *text = tt_canvas_text_dump(c);
	bool found = strstr(text, want) != NULL;

	if (found != expected)
		printf("# %s \"%s\" in:\n%s", expected ? "wanted" : "did not want", want, text);
	free(text);
	tt_canvas_free(&c);
	return found;
}

static bool drawn(struct tt_view *v, int w, int h, const char *want)
{
	return drawn_as(v, w, h, want, true);
}

static bool not_drawn(struct tt_view *v, int w, int h, const char *text)
{
	return !drawn_as(v, w, h, text, false);
}

/* The row of the canvas where text appears, or -1. */
static int row_of(const struct tt_canvas *c, const char *text)
{
	char *dump = tt_canvas_text_dump(c), *line = dump;
	int row = -1;

	for (int y = 0; line && *line; y++) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (strstr(line, text)) {
			row = y;
			break;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(dump);
	return row;
}

/* --- the lines --------------------------------------------------------------------------------------- */

static const struct ev invocation[] = {
	{NOW - 60000, "INIT_START Runtime Version: nodejs:20.v13\n", 0},
	{NOW - 59000, "START RequestId: " RID " Version: $LATEST\n", 0},
	{NOW - 58000, "2023-11-14T22:12:22.000Z\t" RID "\tINFO\treceived feedback from user 42\n", 0},
	{NOW - 57000, "2023-11-14T22:12:23.000Z\t" RID "\tWARN\tslow DynamoDB write (812 ms)\n", 0},
	{NOW - 56000, "2023-11-14T22:12:24.000Z\t" RID "\tERROR\tInvoke Error {\"errorType\":\"Error\"}\n", 0},
	{NOW - 55000, "{\"level\":\"info\",\"requestId\":\"" RID "\",\"price\":1.10,\"items\":[1,2]}\n", 0},
	{NOW - 54000, "END RequestId: " RID "\n", 0},
	{NOW - 53000,
	 "REPORT RequestId: " RID "\tDuration: 102.25 ms\tBilled Duration: 103 ms\tMemory Size: 128 MB\t"
	 "Max Memory Used: 70 MB\tInit Duration: 250.11 ms\t\n",
	 0},
	{NOW - 52000, "START RequestId: " RID2 " Version: $LATEST\n", 0},
	{NOW - 51000, "2023-11-14T22:12:29.000Z\t" RID2 "\tINFO\tanother request, another needle\n", 0},
	{NOW - 50000, "2023-11-14T22:12:30.000Z " RID2 " Task timed out after 3.00 seconds\n", 0},
	{NOW - 49000, "END RequestId: " RID2 "\n", 0},
};
#define NINVOCATION (sizeof(invocation) / sizeof(invocation[0]))

static struct tt_view *with_invocation(const struct tt_view_logs_opts *o)
{
	static const char *const groups[] = {"/aws/lambda/submit"};
	struct tt_view *v = open_view(groups, 1, o);

	answer(0, invocation, NINVOCATION);
	turn(v, NOW + 10);
	return v;
}

static void test_follow(void)
{
	static const char *const groups[] = {"/aws/lambda/submit"};
	struct tt_view *v = open_view(groups, 1, NULL);
	struct ev more[40];
	char text[40][64];

	tap_ok(F.ncalls == 1 && F.calls[0].start == NOW - 15 * 60 * 1000 && !F.calls[0].pattern[0],
	       "one FilterLogEvents from 15 minutes ago, no pattern");
	tap_ok(drawn(v, 80, 24, "(waiting for log events)"), "empty: says it is waiting");
	answer(0, invocation, NINVOCATION);
	turn(v, NOW + 10);
	tap_ok(v->dirty, "events make the view dirty");
	golden(v, "logs_follow_80x24", 80, 24, true);
	golden(v, "logs_follow_160x48", 160, 48, true);
	golden(v, "logs_follow_80x24_ascii", 80, 24, false);
	tap_str_eq(v->ops->status(v), "following 1 group, 12 lines", "status line");

	/* More than a screen: following keeps the newest line at the bottom. */
	for (int i = 0; i < 40; i++) {
		snprintf(text[i], sizeof(text[i]), "line %02d", i);
		more[i] = (struct ev){NOW + i, text[i], 0};
	}
	turn(v, NOW + 1000);
	tap_ok(F.ncalls == 2, "the next poll after the interval");
	answer(1, more, 40);
	turn(v, NOW + 1010);
	{
		struct tt_canvas *c = render(v, 80, 24, true);
		tap_ok(row_of(c, "line 39") == 22 && row_of(c, "line 19") == 2 && row_of(c, "line 18") == -1,
		       "following: the newest line on the last row above the hint (%d)", row_of(c, "line 39"));
		tt_canvas_free(&c);
	}
	keys(v, "t");
	tap_ok(drawn(v, 80, 24, "  UTC"), "t: times in UTC, and the header says so");
	v->ops->key(v, TT_KEY_PGUP, NOW);
	{
		struct tt_canvas *c = render(v, 80, 24, true);
		tap_ok(row_of(c, "[PAUSED]") == 0 && row_of(c, "line 00") == 4 &&
			       row_of(c, ">  22:13:20.018 line 18") == 22,
		       "PgUp: paused, a page (21 lines) up, the selection with it (%d)", row_of(c, "line 00"));
		tt_canvas_free(&c);
	}
	keys(v, "g");
	tap_ok(drawn(v, 80, 24, "> ") && drawn(v, 80, 24, "INIT_START") && drawn(v, 80, 24, "[PAUSED]"),
	       "g: the oldest line");
	v->ops->key(v, TT_KEY_PGDN, NOW);
	tap_ok(drawn(v, 80, 24, ">  22:13:20.009 line 09") && not_drawn(v, 80, 24, "INIT_START"), "PgDn: a page down");
	keys(v, "G");
	tap_ok(drawn(v, 80, 24, "line 39") && drawn(v, 80, 24, "[FOLLOW]"), "G: the newest, following");
	v->ops->free(v);
}

static void test_notice_expires(void)
{
	static const char *const groups[] = {"/g"};
	struct tt_view *v = open_view(groups, 1, NULL);

	keys(v, "R");
	tap_ok(drawn(v, 80, 24, "restarted: buffer cleared"), "an information notice");
	tap_ok(v->ops->deadline(v, NOW + 9000) <= 1000, "the view wants a tick to take it down (%ld)",
	       v->ops->deadline(v, NOW + 9000));
	turn(v, NOW + 10000);
	tap_ok(not_drawn(v, 80, 24, "restarted"), "gone after 10 s");
	v->ops->free(v);
}

static void test_pause(void)
{
	struct tt_view *v = with_invocation(NULL);
	struct ev more[5] = {{NOW + 1, "new 1", 0}, {NOW + 2, "new 2", 0}, {NOW + 3, "new 3", 0},
			     {NOW + 4, "new 4", 0}, {NOW + 5, "new 5", 0}};
	struct tt_canvas *before, *after;

	/* 80x10: a body of 7 rows, full. */
	tap_ok(drawn(v, 80, 10, "END RequestId: " RID2), "following: the newest line shown");
	keys(v, "k");
	tap_ok(drawn(v, 80, 10, "[PAUSED]"), "scrolling up pauses");
	before = render(v, 80, 10, true);
	turn(v, NOW + 1000);
	answer(1, more, 5);
	turn(v, NOW + 1010);
	after = render(v, 80, 10, true);
	tap_ok(row_of(after, "new 1") == -1, "paused: new lines do not move the view");
	tap_ok(row_of(before, "22:12:30.000") == row_of(after, "22:12:30.000") &&
		       row_of(after, "22:12:30.000") >= 0 && row_of(after, "INIT_START") == -1,
	       "the same lines on the same rows");
	tap_ok(row_of(after, "-- 5 new lines: G follows --") == 9, "and it says how many arrived");
	tt_canvas_free(&before);
	tt_canvas_free(&after);
	golden(v, "logs_paused_80x10", 80, 10, true);
	keys(v, "G");
	tap_ok(drawn(v, 80, 10, "new 5") && drawn(v, 80, 10, "[FOLLOW]"), "G: following again, newest shown");
	keys(v, "F");
	tap_ok(drawn(v, 80, 10, "[PAUSED]"), "F pauses");
	keys(v, "F");
	tap_ok(drawn(v, 80, 10, "[FOLLOW]"), "F follows again");
	v->ops->free(v);
}

/* The cell where text starts on a row of c, or -1. */
static int col_of(const struct tt_canvas *c, int y, const char *text)
{
	size_t n = strlen(text);

	for (int x = 0; x + (int)n <= c->w; x++) {
		size_t k;
		for (k = 0; k < n && tt_canvas_at(c, x + (int)k, y)->ch == (unsigned char)text[k]; k++)
			;
		if (k == n)
			return x;
	}
	return -1;
}

/* The row showing text is the selected one (marked '>'), at 160x48. */
static bool selected_row_has(struct tt_view *v, const char *text)
{
	struct tt_canvas *c = render(v, 160, 48, true);
	int y = row_of(c, text);
	bool yes = y >= 0 && tt_canvas_at(c, 0, y)->ch == '>';

	tt_canvas_free(&c);
	return yes;
}

/* While following, a search finds the newest match (the last END line,
 * not the first); paused, it goes on from the selected line. */
static void test_search_from_follow(void)
{
	struct tt_view *v = with_invocation(NULL);

	keys(v, "/END Req\n");
	tap_ok(selected_row_has(v, "END RequestId: " RID2), "following: / selects the newest match");
	keys(v, "N");
	tap_ok(selected_row_has(v, "END RequestId: " RID), "... N the one before it");
	v->ops->free(v);
}

static void test_search(void)
{
	struct tt_view *v = with_invocation(NULL);
	struct tt_canvas *c;
	int y, x;

	keys(v, "/needle");
	tap_ok(drawn(v, 160, 48, "/needle_"), "the prompt shows what is typed");
	keys(v, "\n");
	c = render(v, 160, 48, true);
	y = row_of(c, "another needle");
	x = y >= 0 ? col_of(c, y, "needle") : -1;
	tap_ok(y >= 0 && tt_canvas_at(c, 0, y)->ch == '>', "Enter: the match selected (row %d)", y);
	tap_ok(x >= 0 && (tt_canvas_at(c, x, y)->style.attr & TT_ATTR_REVERSE) &&
		       (tt_canvas_at(c, x + 5, y)->style.attr & TT_ATTR_REVERSE) &&
		       !(tt_canvas_at(c, x - 2, y)->style.attr & TT_ATTR_REVERSE),
	       "the match is in reverse video, nothing else");
	tt_canvas_free(&c);
	golden(v, "logs_search_80x24", 80, 24, true);
	golden(v, "logs_search_160x48", 160, 48, true);
	keys(v, "/feedback\n");
	tap_ok(selected_row_has(v, "received feedback"), "a search from the selection wraps to the top");
	keys(v, "/INVOKE\n");
	c = render(v, 160, 48, true);
	tap_ok(row_of(c, "not found: INVOKE") >= 0, "an upper-case search is case-sensitive: not found");
	tt_canvas_free(&c);
	keys(v, "/request\n");
	tap_ok(selected_row_has(v, "\"price\""), "lower case: case-insensitive (requestId)");
	keys(v, "n");
	tap_ok(selected_row_has(v, "END RequestId: " RID), "n: the next match");
	keys(v, "N");
	tap_ok(selected_row_has(v, "\"price\""), "N: the previous one");
	keys(v, "/abc");
	v->ops->key(v, TT_KEY_BACKSPACE, NOW);
	tap_ok(drawn(v, 160, 48, "/ab_"), "Backspace in the prompt");
	tap_ok(v->ops->key(v, 'q', NOW) == TT_VIEW_HANDLED, "q in the prompt is typed, not back");
	v->ops->key(v, TT_KEY_ESC, NOW);
	tap_ok(not_drawn(v, 160, 48, "/abq_") && drawn(v, 160, 48, "search \"request\""), "Esc cancels the prompt");
	tap_ok(v->ops->key(v, 'q', NOW) == TT_VIEW_BACK, "q: back");
	v->ops->free(v);
}

static void test_request_filter(void)
{
	struct tt_view_logs_opts o;
	struct tt_view *v;

	memset(&o, 0, sizeof(o));
	o.request_id = RID2;
	v = with_invocation(&o);
	golden(v, "logs_request_80x24", 80, 24, true);
	tap_ok(not_drawn(v, 80, 24, RID " Version"), "another request's lines are not shown");
	keys(v, "r");
	tap_ok(drawn(v, 80, 24, "12 lines") && drawn(v, 80, 24, "INIT_START"), "r: every line again");
	keys(v, "gjj");
	keys(v, "r");
	tap_ok(drawn(v, 80, 24, "7 of 12 lines") && drawn(v, 80, 24, "request " RID),
	       "r on a line of another request: only that one");
	v->ops->free(v);
}

static void test_hostile(void)
{
	static const char *const groups[] = {"/aws/lambda/submit"};
	static const struct ev evil[] = {
		{NOW - 6, "clear \x1b[2J\x1b[H title \x1b]0;pwned\x07 end", 0},
		{NOW - 5, "osc52 \x1b]52;c;cm0gLXJmIC8K\x07 copied?", 0},
		{NOW - 4, "c1 \xc2\x9b" "31m csi and \xc2\x9d osc", 0},
		{NOW - 3, "bidi \xe2\x80\xae" "txt.exe \xe2\x80\x8b zero width", 0},
		{NOW - 2, "invalid \xff\xfe\xc3 utf-8 \x80", 0},
		{NOW - 1, "nul \0 and bell \x07 and del \x7f and cr \r done", 40},
		{NOW, "fine UTF-8: caf\xc3\xa9 \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac wide", 0},
	};
	struct tt_view *v = open_view(groups, 1, NULL);

	answer(0, evil, sizeof(evil) / sizeof(evil[0]));
	turn(v, NOW + 10);
	golden(v, "logs_hostile_80x24", 80, 24, true);
	golden(v, "logs_hostile_80x24_ascii", 80, 24, false);
	keys(v, "w");
	golden(v, "logs_hostile_wrap_80x24", 80, 24, true);
	v->ops->free(v);
}

static void test_marks_and_wrap(void)
{
	static const char *const groups[] = {"/aws/lambda/submit"};
	static const struct ev lines[] = {
		{NOW - 3, "ERROR the first thing that broke", 0},
		{NOW - 2,
		 "a long line: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
		 "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation",
		 0},
		{NOW - 1, "[WARNING]\tdeprecated call", 0},
	};
	struct tt_view *v = open_view(groups, 1, NULL);
	struct tt_canvas *c;
	int y;

	answer(0, lines, 3);
	turn(v, NOW + 10);
	c = render(v, 80, 24, true);
	y = row_of(c, "the first thing");
	tap_ok(y >= 0 && tt_canvas_at(c, 1, y)->ch == 'E' && tt_canvas_at(c, 1, y)->style.fg == TT_COLOR_RED,
	       "an ERROR line: E in the gutter, and red");
	y = row_of(c, "deprecated");
	tap_ok(y >= 0 && tt_canvas_at(c, 1, y)->ch == 'W', "a WARNING line: W");
	y = row_of(c, "a long line");
	tap_ok(y >= 0 && tt_canvas_at(c, 1, y)->ch == ' ', "other lines: no mark");
	tt_canvas_free(&c);
	golden(v, "logs_nowrap_80x24", 80, 24, true);
	keys(v, "w");
	golden(v, "logs_wrap_80x24", 80, 24, true);
	c = render(v, 80, 24, true);
	tap_ok(row_of(c, "exercitation") == row_of(c, "a long line") + 2, "w: the long line takes three rows");
	tt_canvas_free(&c);
	v->ops->free(v);
}

static void test_failing(void)
{
	static const char *const groups[] = {"/aws/lambda/nope"};
	struct tt_view *v = open_view(groups, 1, NULL);
	struct ev one = {NOW - 1, "hello", 0};

	answer_error(0, 400, "AccessDeniedException");
	turn(v, NOW + 10);
	tap_ok(drawn(v, 80, 24, "[FAILED]") && drawn(v, 80, 24, "tail stopped (AccessDeniedException):"),
	       "a fatal tail error: in the header, with its code");
	golden(v, "logs_failed_80x24", 80, 24, true);
	tap_ok(v->ops->deadline(v, NOW + 20) == -1, "nothing more to wait for");
	keys(v, "R");
	turn(v, NOW + 30);
	tap_ok(F.ncalls == 2 && not_drawn(v, 80, 24, "[FAILED]") && drawn(v, 80, 24, "restarted: buffer cleared"),
	       "R restarts the tail");
	v->ops->free(v);

	/* A function that never ran has no group yet: waited for, said so. */
	v = open_view(groups, 1, NULL);
	answer_error(0, 400, "ResourceNotFoundException");
	turn(v, NOW + 10);
	tap_ok(drawn(v, 80, 24, "log group /aws/lambda/nope does not exist yet") && not_drawn(v, 80, 24, "[FAILED]"),
	       "a group that does not exist yet: a warning, not a failure");
	tap_ok(v->ops->deadline(v, NOW + 10) > 0, "and it is asked for again later");
	v->ops->free(v);

	/* Throttling while following: shown in place, and the tail goes on. */
	v = open_view(groups, 1, NULL);
	answer(0, &one, 1);
	turn(v, NOW + 10);
	turn(v, NOW + 1000);
	answer_error(1, 400, "ThrottlingException");
	turn(v, NOW + 1010);
	tap_ok(drawn(v, 80, 24, "ThrottlingException; retrying in") && not_drawn(v, 80, 24, "[FAILED]") &&
		       drawn(v, 80, 24, "hello"),
	       "throttled: the back-off shown above the lines, which stay");
	tap_ok(v->ops->deadline(v, NOW + 1010) > 0, "and a retry is scheduled");
	v->ops->free(v);
}

static void test_pattern_and_live(void)
{
	struct tt_view *v = with_invocation(NULL);
	struct tt_logs_live_start s = {"rq", "sess-1"};
	struct tt_logs_live_update u;
	struct tt_logs_event_page p;
	struct ev live[] = {{NOW + 500, "live and sampled", 0}};

	keys(v, "fERROR\n");
	turn(v, NOW + 15);
	tap_ok(F.ncalls == 2 && strcmp(F.calls[1].pattern, "ERROR") == 0, "f: the tail restarts with the pattern");
	tap_ok(drawn(v, 80, 24, "filter pattern \"ERROR\": buffer cleared, reading again") &&
		       drawn(v, 80, 24, "0 lines") && drawn(v, 80, 24, "pattern \"ERROR\""),
	       "the header says the buffer was cleared and shows the pattern");

	keys(v, "L");
	turn(v, NOW + 20);
	tap_ok(F.ncalls == 3 && !F.calls[2].filter, "L: Live Tail looks the group up");
	{
		struct tt_logs_group_page gp;
		memset(&gp, 0, sizeof(gp));
		gp.groups = tt_xcalloc(1, sizeof(*gp.groups));
		gp.groups[0].name = tt_xstrdup("/aws/lambda/submit");
		gp.groups[0].arn = tt_xstrdup(ARN_A);
		gp.n = 1;
		F.calls[2].groups_done(F.calls[2].ctx, &gp, NULL);
		tt_logs_group_page_clear(&gp);
	}
	turn(v, NOW + 30);
	tap_ok(F.sessions == 1, "a session starts");
	F.h.on_start(F.live_ctx, &s);
	turn(v, NOW + 40);
	tap_ok(F.ncalls == 4 && F.calls[3].filter && strcmp(F.calls[3].pattern, "ERROR") == 0,
	       "backfill with the pattern");
	answer(3, NULL, 0);
	turn(v, NOW + 50);
	fill(&p, live, 1, ARN_A);
	u.events = p.events;
	u.n = p.n;
	u.sampled = true;
	F.h.on_update(F.live_ctx, &u);
	tt_logs_event_page_clear(&p);
	turn(v, NOW + 2000);
	tap_ok(drawn(v, 80, 24, "[LIVE]") && drawn(v, 80, 24, "[SAMPLED]") && drawn(v, 80, 24, "live and sampled"),
	       "Live Tail: LIVE and SAMPLED badges, the event shown");
	golden(v, "logs_live_sampled_80x24", 80, 24, true);
	v->ops->free(v);
}

/* `b` reads further back, a step each time, up to a day. */
static void test_further_back(void)
{
	static const int64_t hour = 60 * 60 * 1000;
	static const int64_t want[] = {1 * hour, 3 * hour, 12 * hour, 24 * hour};
	struct tt_view *v = with_invocation(NULL);
	int calls = F.ncalls;
	size_t i;

	tap_ok(not_drawn(v, 80, 24, "back"), "the default window is not announced");
	/* Keys are pressed at NOW (see keys()): the windows count back from it. */
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		keys(v, "b");
		turn(v, NOW + 100);
		if (F.ncalls != calls + 1 || F.calls[calls].start != NOW - want[i])
			break;
		calls = F.ncalls;
	}
	tap_ok(i == 4, "b: from 1 h back, then 3 h, 12 h, 24 h (%zu)", i);
	tap_ok(drawn(v, 80, 24, "from 24 h back") && drawn(v, 80, 24, "buffer cleared"),
	       "the window is shown, and that the buffer was cleared");
	keys(v, "b");
	turn(v, NOW + 100);
	tap_ok(F.ncalls == calls && drawn(v, 80, 24, "the furthest b goes"), "no further than 24 h: said, not sent");
	v->ops->free(v);
}

static void test_groups(void)
{
	static const char *const groups[] = {"/aws/lambda/submit", "/aws/lambda/list-feedback"};
	struct ev a[] = {{NOW - 5000, "from submit 1", 0}, {NOW - 3000, "from submit 2", 0}};
	struct ev b[] = {{NOW - 4000, "from list 1", 0}, {NOW - 2000, "from list 2", 0}};
	struct tt_view *v = open_view(groups, 2, NULL);

	tap_ok(F.ncalls == 2, "both groups read");
	answer(0, a, 2);
	answer(1, b, 2);
	turn(v, NOW + 10);
	turn(v, NOW + 1000);
	tap_ok(F.ncalls == 4, "both polled again");
	answer(2, NULL, 0);
	answer(3, NULL, 0);
	turn(v, NOW + 1100);
	/* A line is certain once a pass of every group began a lookback (5 s)
	 * after it. */
	for (int k = 2; k <= 3; k++) {
		turn(v, NOW + k * 1000);
		answer(F.ncalls - 2, NULL, 0);
		answer(F.ncalls - 1, NULL, 0);
		turn(v, NOW + k * 1000 + 100);
	}
	tap_ok(drawn(v, 160, 48, "4 lines"), "passes later: every line out");
	golden(v, "logs_groups_160x48", 160, 48, true);
	golden(v, "logs_groups_160x48_ascii", 160, 48, false);
	v->ops->free(v);
}

static void test_json_save_copy(void)
{
	struct tt_view *v = with_invocation(NULL);
	char *dir = tu_mkdtemp(), path[512], *saved;
	struct stat st;

	keys(v, "/price\n");
	keys(v, "J");
	golden(v, "logs_json_80x24", 80, 24, true);
	tap_ok(drawn(v, 80, 24, "\"price\": 1.10,"), "pretty JSON keeps numbers as sent");
	golden(v, "logs_json_160x48", 160, 48, true);
	keys(v, "y");
	tap_ok(strncmp(vt_log.copied, "{\"level\":\"info\"", 15) == 0 && !strchr(vt_log.copied, '\n'),
	       "y copies the selected line (without its newline)");

	snprintf(path, sizeof(path), "%s/saved.log", dir);
	keys(v, "s");
	keys(v, path);
	keys(v, "\n");
	saved = tu_read_file(path, NULL);
	tap_ok(saved && strncmp(saved, "INIT_START", 10) == 0 && strstr(saved, "END RequestId: " RID2 "\n"),
	       "s saves the lines as they came");
	tap_ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "with mode 0600");
	tap_ok(strstr(vt_log.message, "saved 12 lines to ") != NULL, "and says so (%s)", vt_log.message);
	free(saved);
	snprintf(path, sizeof(path), "%s/no/such/dir/x", dir);
	keys(v, "s");
	keys(v, path);
	keys(v, "\n");
	tap_ok(strstr(vt_log.message, "could not save to") != NULL, "a failed save says why");

	/* An existing file is replaced only after a yes. */
	snprintf(path, sizeof(path), "%s/precious.txt", dir);
	tu_write_file(path, "precious\n");
	keys(v, "s");
	keys(v, path);
	keys(v, "\n");
	tap_ok(drawn(v, 160, 48, "precious.txt exists: overwrite it? (y/n)"), "saving onto a file that exists asks first");
	keys(v, "n");
	saved = tu_read_file(path, NULL);
	tap_ok(saved && strcmp(saved, "precious\n") == 0, "n: the file is untouched");
	tap_ok(strstr(vt_log.message, "not saved: ") && strstr(vt_log.message, "precious.txt exists"), "... and it says so");
	free(saved);
	keys(v, "s");
	keys(v, path);
	keys(v, "\n");
	keys(v, "y");
	saved = tu_read_file(path, NULL);
	tap_ok(saved && strncmp(saved, "INIT_START", 10) == 0, "y: replaced by the lines");
	tap_ok(not_drawn(v, 160, 48, "overwrite it?"), "... and the question is gone");
	free(saved);
	remove(path);
	snprintf(path, sizeof(path), "%s/saved.log", dir);
	remove(path);
	remove(dir);
	free(dir);
	v->ops->free(v);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "en_US.UTF-8");
	vt_clock_ms = NOW;
	test_follow();
	test_notice_expires();
	test_pause();
	test_search();
	test_search_from_follow();
	test_request_filter();
	test_hostile();
	test_marks_and_wrap();
	test_failing();
	test_pattern_and_live();
	test_further_back();
	test_groups();
	test_json_save_copy();
	return tap_done();
}

/* Views: one full-screen page of the console each (the tier screen, a
 * function, an API, a table, logs, help), stacked: Enter pushes one, Esc
 * pops it, and a breadcrumb shows the stack. A view turns keys into
 * actions and actions into model requests, and draws itself into the
 * canvas; it never includes curses and never blocks.
 *
 * The console (src/app) owns the view stack, the engine and the loop. It
 * calls, in this order each turn: key() for keys typed, clock() just before
 * the engine dispatches finished transfers, tick() after, then draw() when
 * any view is dirty. deadline() says how soon the view wants a tick without
 * any I/O (-1: it only waits for answers).
 *
 * Ownership: a view is created by its own constructor (tt_view_*_new) and
 * owned by whoever pushed it; ops->free releases it (the console calls it
 * when the view is popped). The env is borrowed from the console and
 * outlives every view. Strings from AWS are drawn through the canvas,
 * which sanitizes them. */
#ifndef TIERTOP_VIEW_H
#define TIERTOP_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tiertop/keys.h"

struct tt_aws;
struct tt_canvas;
struct tt_policy;
struct tt_select;
struct tt_view;

/* What the console lends to views. */
struct tt_view_env {
	struct tt_aws *aws;       /* for the models' io tables */
	bool utf8;                /* may draw non-ASCII (sparklines, marks) */
	bool color;
	bool read_only;
	void *con;
	/* Opens v on top of the stack (the console takes ownership). */
	void (*push)(void *con, struct tt_view *v);
	/* A one-line message in the status line (sanitized when drawn). */
	void (*message)(void *con, const char *text);
	/* Copies text to the clipboard (OSC 52). */
	void (*copy)(void *con, const char *text);
	/* The wall clock as AWS sees it, in ms: the one place views read the
	 * time outside the calls that pass it in (constructors). */
	int64_t (*now_ms)(void *con);
	/* Narrows the console to sel[0..n) (copied): the tier screen is
	 * replaced by one for that selection and every view above it freed,
	 * the caller included, once its key() has returned. May be NULL. */
	void (*open_app)(void *con, const struct tt_select *sel, size_t n);
	/* editor: for the invoke view (view_invoke.c). The read-only policy
	 * (names its source; NULL: refuse whenever read_only is set) and
	 * Lambda's endpoint as "URL (source)" for the confirmation, borrowed;
	 * run_editor runs $VISUAL or $EDITOR on path with the terminal handed
	 * over, returning 0 when it exited 0 (may be NULL). */
	const struct tt_policy *policy;
	const char *endpoint;
	int (*run_editor)(void *con, const char *path);
	/* replay: opens the replay of keys[0..n) of table (plain JSON objects
	 * of the key attributes; all copied) on top of the stack (the item
	 * browser's marks). May be NULL (not wired: the key says so). */
	void (*open_replay)(void *con, const char *table, const char *const *keys, size_t n);
};

/* What key() returns. */
enum tt_view_result {
	TT_VIEW_IGNORED = 0, /* not this view's key: the console tries its own */
	TT_VIEW_HANDLED = 1,
	TT_VIEW_BACK = 2,    /* pop this view */
	TT_VIEW_QUIT = 3,
};

/* A key binding: what the help screen lists, in this order. */
struct tt_keybind {
	int key;             /* enum tt_key or a character */
	int action;          /* the view's own action number, > 0 */
	const char *help;    /* "follow / pause" */
};

struct tt_keymap {
	const char *title;   /* "Logs" */
	const struct tt_keybind *binds;
	size_t n;
};

/* The action bound to key, or 0. */
int tt_keymap_action(const struct tt_keymap *m, int key);

/* List navigation: the keys every list view accepts, the same everywhere
 * (docs/keys.md): Up/k, Down/j, PgUp, PgDn, Home/g, End/G. A view numbers
 * six consecutive actions for them, in this order, from its first one
 * (enum { A_NAV = 1, A_OPEN = A_NAV + TT_NAV_COUNT, ... }). */
enum tt_nav {
	TT_NAV_UP,
	TT_NAV_DOWN,
	TT_NAV_PGUP,
	TT_NAV_PGDN,
	TT_NAV_HOME,
	TT_NAV_END,
	TT_NAV_COUNT,
};

/* The bindings, for a view's keymap table: first is its first navigation
 * action, the rest the help texts. */
#define TT_NAV_BINDS_AS(first, prev, next, pgup, pgdn, home, end)                                  \
	{TT_KEY_UP, (first) + TT_NAV_UP, prev}, {'k', (first) + TT_NAV_UP, prev},                    \
	{TT_KEY_DOWN, (first) + TT_NAV_DOWN, next}, {'j', (first) + TT_NAV_DOWN, next},              \
	{TT_KEY_PGUP, (first) + TT_NAV_PGUP, pgup}, {TT_KEY_PGDN, (first) + TT_NAV_PGDN, pgdn},      \
	{TT_KEY_HOME, (first) + TT_NAV_HOME, home}, {'g', (first) + TT_NAV_HOME, home},              \
	{TT_KEY_END, (first) + TT_NAV_END, end}, {'G', (first) + TT_NAV_END, end}

/* The same with the help naming the rows: one and many are string
 * literals ("route", "routes"): "previous route", "next page of routes",
 * "first route"... A view where one of the letters already means
 * something else spells its bindings out instead and leaves that letter
 * out. */
#define TT_NAV_BINDS(first, one, many)                                                              \
	TT_NAV_BINDS_AS(first, "previous " one, "next " one, "previous page of " many, "next page of " many, \
			"first " one, "last " one)

/* Which enum tt_nav an action is, for a view whose navigation actions
 * start at first; -1: not a navigation action. */
static inline int tt_nav_of(int action, int first)
{
	return action >= first && action < first + TT_NAV_COUNT ? action - first : -1;
}

/* The key the table widget moves by for nav (tt_table_key). */
static inline int tt_nav_key(int nav)
{
	static const int keys[TT_NAV_COUNT] = {TT_KEY_UP,   TT_KEY_DOWN, TT_KEY_PGUP,
					       TT_KEY_PGDN, TT_KEY_HOME, TT_KEY_END};

	return nav >= 0 && nav < TT_NAV_COUNT ? keys[nav] : TT_KEY_NONE;
}

/* Where the selection sel of a list of n rows goes for nav, for a view that
 * keeps its own (not a struct tt_table): clamped to [0, n), 0 when empty.
 * shown: the rows visible at the last draw; a page moves one less, so that
 * the row at the edge stays in view, as the table widget does. */
static inline size_t tt_nav_move(int nav, size_t sel, size_t n, int shown)
{
	size_t page = shown > 1 ? (size_t)shown - 1 : 1;

	if (!n)
		return 0;
	if (sel >= n)
		sel = n - 1;
	switch (nav) {
	case TT_NAV_UP: return sel ? sel - 1 : 0;
	case TT_NAV_DOWN: return sel + 1 < n ? sel + 1 : sel;
	case TT_NAV_PGUP: return sel > page ? sel - page : 0;
	case TT_NAV_PGDN: return n - 1 - sel > page ? sel + page : n - 1;
	case TT_NAV_HOME: return 0;
	case TT_NAV_END: return n - 1;
	default: return sel;
	}
}

struct tt_view_ops {
	const char *kind;   /* "tiers", "function", "logs"... */
	/* The breadcrumb label ("fn submit-feedback"); borrowed from the view. */
	const char *(*crumb)(const struct tt_view *v);
	/* Draws into rows [y, y+h) of the canvas, the whole width. */
	void (*draw)(struct tt_view *v, struct tt_canvas *c, int y, int h);
	int (*key)(struct tt_view *v, int key, int64_t now_ms);
	void (*clock)(struct tt_view *v, int64_t now_ms);   /* may be NULL */
	void (*tick)(struct tt_view *v, int64_t now_ms);    /* may be NULL */
	long (*deadline)(struct tt_view *v, int64_t now_ms); /* may be NULL */
	/* One line for the status line ("following 2 groups, 1,234 lines"),
	 * borrowed, or NULL. */
	const char *(*status)(const struct tt_view *v);
	void (*free)(struct tt_view *v);
	const struct tt_keymap *keymap;
};

/* Every view starts with this; constructors fill it. */
struct tt_view {
	const struct tt_view_ops *ops;
	const struct tt_view_env *env;
	bool dirty;          /* needs drawing; the console clears it */
};

#endif

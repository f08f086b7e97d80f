/* The only file that includes curses. Wide characters need the X/Open
 * extended interface. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tiertop/canvas.h"
#include "tiertop/keys.h"
#include "tiertop/sanitize.h"
#include "tiertop/term.h"
#include "tiertop/xalloc.h"

#define NCOLORS (TT_COLOR_WHITE + 1)

struct tt_term {
	SCREEN *scr;
	bool utf8;
	bool color;
	bool default_colors; /* use_default_colors worked: -1 is the terminal's own */
	/* What the screen holds: the last canvas blitted. */
	struct tt_cell *last;
	int lw, lh;
	bool valid;
	short pair[NCOLORS][NCOLORS]; /* 0 = not allocated yet */
	short next_pair;
	char note[160]; /* what the user should know about the terminal, or "" */
};

/* The terminal in full-screen mode, if any: restored at exit whatever path
 * the program takes out (a fatal error's exit() included). */
static struct tt_term *live;

static void restore_at_exit(void)
{
	if (live && !isendwin())
		endwin();
}

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* Home and End differ between terminals (xterm \e[H and \eOH, rxvt and
 * tmux \e[1~ and \e[7~, ...), and over SSH TERM often names another
 * terminal than the one typing: every common form is taught to curses. */
static void define_keys(void)
{
	static const struct {
		const char *seq;
		int key;
	} alt[] = {
	    {"\033[H", KEY_HOME}, {"\033OH", KEY_HOME}, {"\033[1~", KEY_HOME},  {"\033[7~", KEY_HOME},
	    {"\033[F", KEY_END},  {"\033OF", KEY_END},  {"\033[4~", KEY_END},   {"\033[8~", KEY_END},
	    {"\033[Z", KEY_BTAB}, {"\033[3~", KEY_DC},  {"\033[5~", KEY_PPAGE}, {"\033[6~", KEY_NPAGE},
	    {"\033[A", KEY_UP},   {"\033[B", KEY_DOWN}, {"\033[C", KEY_RIGHT},  {"\033[D", KEY_LEFT},
	    {"\033OA", KEY_UP},   {"\033OB", KEY_DOWN}, {"\033OC", KEY_RIGHT},  {"\033OD", KEY_LEFT},
	};

	for (size_t i = 0; i < sizeof(alt) / sizeof(alt[0]); i++)
		if (key_defined(alt[i].seq) == 0)
			define_key(alt[i].seq, alt[i].key);
}

static void set_modes(void)
{
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	timeout(0);
	leaveok(stdscr, TRUE);
	scrollok(stdscr, FALSE);
	curs_set(0);
}

static void start_colors(struct tt_term *t, const struct tt_term_opts *opts)
{
	if (opts->no_color || !has_colors() || start_color() == ERR)
		return;
	t->color = true;
	t->default_colors = use_default_colors() == OK;
	t->next_pair = 1;
}

/* newterm, unlike initscr, returns NULL on an unknown TERM instead of
 * exiting. A terminal the bastion's terminfo does not know (SSH from kitty,
 * alacritty, ghostty...) is almost always xterm-compatible: draw as xterm,
 * and say so, rather than refuse. */
static SCREEN *open_screen(const char *term, char *note, size_t size)
{
	static const char *const fallbacks[] = {"xterm-256color", "xterm", "vt100"};
	bool many_colors = strstr(term, "256") || strstr(term, "truecolor") || strstr(term, "direct") ||
			   strstr(term, "kitty") || strstr(term, "ghostty") || strstr(term, "alacritty");
	SCREEN *scr = newterm(NULL, stdout, stdin);

	for (size_t i = many_colors ? 0 : 1; !scr && i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++) {
		scr = newterm(fallbacks[i], stdout, stdin);
		if (scr) {
			char *shown = tt_sanitize(term, 0);
			snprintf(note, size, "TERM=%.60s is unknown here: drawing as %s", shown,
				 fallbacks[i]);
			free(shown);
		}
	}
	return scr;
}

const char *tt_term_note(const struct tt_term *t)
{
	return t->note[0] ? t->note : NULL;
}

struct tt_term *tt_term_start(const struct tt_term_opts *opts, char *errbuf, size_t errlen)
{
	static const struct tt_term_opts none;
	static bool registered;
	const char *term = getenv("TERM");
	struct tt_term *t;
	SCREEN *scr;

	if (!opts)
		opts = &none;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(errbuf, errlen, "the console needs a terminal (stdin and stdout)");
		return NULL;
	}
	if (!term || !*term || strcmp(term, "dumb") == 0) {
		snprintf(errbuf, errlen, "TERM is %s: the console needs a full-screen terminal",
		         term && *term ? "dumb" : "not set");
		return NULL;
	}
	t = tt_xcalloc(1, sizeof(*t));
	scr = open_screen(term, t->note, sizeof(t->note));
	if (!scr) {
		char *shown = tt_sanitize(term, 0);
		snprintf(errbuf, errlen, "unknown terminal type TERM=%s (and no xterm or vt100 to fall back on)", shown);
		free(shown);
		free(t);
		return NULL;
	}
	t->scr = scr;
	set_term(scr);
	set_escdelay(25);
	set_modes();
	define_keys();
	t->utf8 = locale_is_utf8() && !opts->ascii;
	start_colors(t, opts);
	live = t;
	if (!registered) {
		atexit(restore_at_exit);
		registered = true;
	}
	return t;
}

void tt_term_end(struct tt_term **tp)
{
	struct tt_term *t = tp ? *tp : NULL;

	if (!t)
		return;
	if (!isendwin())
		endwin();
	fflush(stdout);
	delscreen(t->scr);
	if (live == t)
		live = NULL;
	free(t->last);
	free(t);
	*tp = NULL;
}

void tt_term_size(const struct tt_term *t, int *w, int *h)
{
	(void)t;
	*w = COLS;
	*h = LINES;
}

bool tt_term_utf8(const struct tt_term *t)
{
	return t->utf8;
}

void tt_term_invalidate(struct tt_term *t)
{
	t->valid = false;
	/* The terminal itself may hold anything (another program wrote to it):
	 * clear it for real on the next refresh. */
	clearok(curscr, TRUE);
}

void tt_term_resized(struct tt_term *t)
{
	struct winsize ws;

	/* When curses caught SIGWINCH itself it has resized already; resizing
	 * again would queue another KEY_RESIZE, and the loop would never rest. */
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	tt_term_invalidate(t);
}

int tt_term_fd(const struct tt_term *t)
{
	(void)t;
	return STDIN_FILENO;
}

static int function_key(wint_t k)
{
	static const struct {
		int curses, tt;
	} map[] = {
	    {KEY_UP, TT_KEY_UP},
	    {KEY_DOWN, TT_KEY_DOWN},
	    {KEY_LEFT, TT_KEY_LEFT},
	    {KEY_RIGHT, TT_KEY_RIGHT},
	    {KEY_PPAGE, TT_KEY_PGUP},
	    {KEY_NPAGE, TT_KEY_PGDN},
	    {KEY_HOME, TT_KEY_HOME},
	    {KEY_FIND, TT_KEY_HOME}, /* the vt220 keypad's Home */
	    {KEY_END, TT_KEY_END},
	    {KEY_SELECT, TT_KEY_END}, /* and its End */
	    {KEY_BACKSPACE, TT_KEY_BACKSPACE},
	    {KEY_DC, TT_KEY_DELETE},
	    {KEY_BTAB, TT_KEY_BTAB},
	    {KEY_F(1), TT_KEY_F1},
	    {KEY_RESIZE, TT_KEY_RESIZE},
	    {KEY_ENTER, TT_KEY_ENTER},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if ((wint_t)map[i].curses == k)
			return map[i].tt;
	return TT_KEY_NONE;
}

static int char_key(wint_t k)
{
	switch (k) {
	case '\r':
	case '\n':
		return TT_KEY_ENTER;
	case 0x7F:
	case 0x08:
		return TT_KEY_BACKSPACE;
	default:
		return (int)k;
	}
}

int tt_term_key(struct tt_term *t)
{
	(void)t;
	for (;;) {
		wint_t k;
		int r = get_wch(&k);
		int key;

		if (r == ERR)
			return TT_KEY_NONE;
		key = r == KEY_CODE_YES ? function_key(k) : char_key(k);
		if (key != TT_KEY_NONE)
			return key;
	}
}

static short color_of(const struct tt_term *t, int c, bool fg)
{
	static const short curses_color[NCOLORS] = {
	    [TT_COLOR_BLACK] = COLOR_BLACK, [TT_COLOR_RED] = COLOR_RED,
	    [TT_COLOR_GREEN] = COLOR_GREEN, [TT_COLOR_YELLOW] = COLOR_YELLOW,
	    [TT_COLOR_BLUE] = COLOR_BLUE,   [TT_COLOR_MAGENTA] = COLOR_MAGENTA,
	    [TT_COLOR_CYAN] = COLOR_CYAN,   [TT_COLOR_WHITE] = COLOR_WHITE,
	};

	if (c > TT_COLOR_DEFAULT && c < NCOLORS)
		return curses_color[c];
	if (t->default_colors)
		return -1;
	return fg ? COLOR_WHITE : COLOR_BLACK;
}

/* Pairs are allocated on first use, one per (fg, bg) drawn. */
static short pair_of(struct tt_term *t, struct tt_style st)
{
	int fg = st.fg < NCOLORS ? st.fg : 0, bg = st.bg < NCOLORS ? st.bg : 0;

	if (!t->color || (fg == TT_COLOR_DEFAULT && bg == TT_COLOR_DEFAULT))
		return 0;
	if (t->pair[fg][bg] == 0 && t->next_pair < COLOR_PAIRS &&
	    init_pair(t->next_pair, color_of(t, fg, true), color_of(t, bg, false)) == OK)
		t->pair[fg][bg] = t->next_pair++;
	return t->pair[fg][bg];
}

static attr_t attrs_of(struct tt_style st)
{
	attr_t a = WA_NORMAL;

	if (st.attr & TT_ATTR_BOLD)
		a |= WA_BOLD;
	if (st.attr & TT_ATTR_REVERSE)
		a |= WA_REVERSE;
	if (st.attr & TT_ATTR_UNDERLINE)
		a |= WA_UNDERLINE;
	if (st.attr & TT_ATTR_DIM)
		a |= WA_DIM;
	return a;
}

static bool same_cell(const struct tt_cell *a, const struct tt_cell *b)
{
	return a->ch == b->ch && a->style.fg == b->style.fg && a->style.bg == b->style.bg &&
	       a->style.attr == b->style.attr && memcmp(a->marks, b->marks, sizeof(a->marks)) == 0;
}

static void put_cell(struct tt_term *t, int x, int y, const struct tt_cell *cell)
{
	uint32_t ch = cell->ch;
	short pair = pair_of(t, cell->style);
	attr_t a = attrs_of(cell->style);

	/* The canvas never holds controls; a terminal that is not UTF-8 gets
	 * ASCII only, whatever the canvas was told. */
	if (ch < 0x20 || ch == 0x7F || (!t->utf8 && ch >= 0x80))
		ch = '?';
	if (t->utf8) {
		/* The character and its combining marks, as setcchar wants them. */
		wchar_t wc[TT_CELL_MARKS + 2] = {(wchar_t)ch};
		cchar_t cc;
		for (int i = 0, n = 1; i < TT_CELL_MARKS && n < CCHARW_MAX; i++)
			if (cell->marks[i] >= 0x300)
				wc[n++] = (wchar_t)cell->marks[i];
		setcchar(&cc, wc, a, pair, NULL);
		mvadd_wch(y, x, &cc);
	} else {
		mvaddch(y, x, (chtype)ch | a | COLOR_PAIR(pair));
	}
}

/* A wide character is rewritten when either of its halves changed. */
static bool cell_changed(const struct tt_term *t, const struct tt_canvas *c, int x, int y)
{
	size_t i = (size_t)y * (size_t)c->w + (size_t)x;

	if (!t->valid)
		return true;
	if (!same_cell(&c->cells[i], &t->last[i]))
		return true;
	return x + 1 < c->w && c->cells[i + 1].ch == 0 && !same_cell(&c->cells[i + 1], &t->last[i + 1]);
}

void tt_term_blit(struct tt_term *t, const struct tt_canvas *c)
{
	size_t n = (size_t)c->w * (size_t)c->h;

	if (c->w != t->lw || c->h != t->lh || !t->last) {
		free(t->last);
		t->last = tt_xcalloc(n + 1, sizeof(*t->last));
		t->lw = c->w;
		t->lh = c->h;
		t->valid = false;
	}
	if (!t->valid)
		erase();
	for (int y = 0; y < c->h && y < LINES; y++) {
		for (int x = 0; x < c->w && x < COLS; x++) {
			const struct tt_cell *cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
			if (cell->ch == 0 || !cell_changed(t, c, x, y))
				continue;
			put_cell(t, x, y, cell);
		}
	}
	memcpy(t->last, c->cells, n * sizeof(*t->last));
	t->valid = true;
	wnoutrefresh(stdscr);
	doupdate();
}

void tt_term_suspend(struct tt_term *t)
{
	(void)t;
	if (!isendwin())
		endwin();
	fflush(stdout);
}

void tt_term_resume(struct tt_term *t)
{
	/* refresh after endwin goes back to full-screen mode; the modes are set
	 * again since a shell may have changed the tty meanwhile. */
	reset_prog_mode();
	refresh();
	set_modes();
	tt_term_resized(t);
}

static void write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, s, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		len -= (size_t)w;
	}
}

void tt_term_osc52(struct tt_term *t, const char *text)
{
	enum tt_osc52_wrap wrap = tt_term_osc52_wrap(getenv("TERM"), getenv("TMUX"), getenv("STY"));
	char *seq;

	(void)t;
	if (!text)
		return;
	seq = tt_term_osc52_sequence(text, strlen(text), wrap);
	/* curses writes through stdout's buffer: what it holds goes first. */
	fflush(stdout);
	write_all(STDOUT_FILENO, seq, strlen(seq));
	free(seq);
}

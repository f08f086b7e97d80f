/* A driver for the terminal layer alone, run by test_term_tmux.sh inside
 * tmux: it draws a known canvas (hostile text, wide characters, colours),
 * writes the name of every key it reads to LOGFILE, and acts on a few:
 * q quits, c copies with OSC 52, s suspends and resumes, Ctrl-L repaints.
 * Usage: term_check LOGFILE [--ascii] [--no-color] */
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/canvas.h"
#include "tiertop/keys.h"
#include "tiertop/term.h"

static void draw(struct tt_canvas *c, const char *last, int frames, bool utf8, const char *note)
{
	const struct tt_style plain = {0, 0, 0}, red = {TT_COLOR_RED, 0, TT_ATTR_BOLD},
	                      sel = {TT_COLOR_WHITE, TT_COLOR_BLUE, TT_ATTR_REVERSE};
	const char *term = getenv("TERM");
	char line[128];

	tt_canvas_clear(c);
	snprintf(line, sizeof(line), "term_check TERM=%s utf8=%d", term ? term : "", utf8);
	tt_canvas_text(c, 0, 0, -1, line, plain);
	tt_canvas_text(c, 0, 1, -1, "evil:\x1b]0;pwned\x07\x1b[31mred\x9b\xc2\x9b.", red);
	tt_canvas_text(c, 0, 2, -1, "wide:\xe6\xbc\xa2\xe5\xad\x97\xf0\x9f\x98\x80|done comb:e\xcc\x81|", plain);
	tt_canvas_fill(c, 0, 3, c->w, 1, 0x2500, plain);
	tt_canvas_text(c, 2, 4, -1, " selected row ", sel);
	snprintf(line, sizeof(line), "size %dx%d", c->w, c->h);
	tt_canvas_text(c, 0, 5, -1, line, plain);
	snprintf(line, sizeof(line), "last key: %s", last);
	tt_canvas_text(c, 0, 6, -1, line, plain);
	if (note)
		tt_canvas_text(c, 0, 7, -1, note, plain);
	snprintf(line, sizeof(line), "READY frame %d", frames);
	tt_canvas_text(c, 0, c->h - 1, -1, line, plain);
	/* The bottom-right cell, which curses finds hardest to write. */
	tt_canvas_text(c, c->w - 1, c->h - 1, 1, "#", plain);
}

int main(int argc, char **argv)
{
	struct tt_term_opts opts = {0};
	struct tt_term *t;
	struct tt_canvas *c;
	char err[256], last[32] = "none", buf[16];
	FILE *log;
	int w, h, frames = 0;

	if (argc < 2)
		return 2;
	for (int i = 2; i < argc; i++) {
		opts.ascii |= strcmp(argv[i], "--ascii") == 0;
		opts.no_color |= strcmp(argv[i], "--no-color") == 0;
	}
	setlocale(LC_ALL, "");
	log = fopen(argv[1], "w");
	if (!log)
		return 2;
	t = tt_term_start(&opts, err, sizeof(err));
	if (!t) {
		fprintf(stderr, "term_check: %s\n", err);
		return 1;
	}
	tt_term_size(t, &w, &h);
	c = tt_canvas_new(w, h, tt_term_utf8(t));
	for (;;) {
		struct pollfd p = {tt_term_fd(t), POLLIN, 0};
		int key;

		draw(c, last, ++frames, tt_term_utf8(t), tt_term_note(t));
		tt_term_blit(t, c);
		while ((key = tt_term_key(t)) == TT_KEY_NONE)
			if (poll(&p, 1, -1) < 0 && errno != EINTR)
				break;
		snprintf(last, sizeof(last), "%s", tt_key_name(key, buf));
		fprintf(log, "%s\n", last);
		fflush(log);
		if (key == 'q')
			break;
		if (key == 'c')
			tt_term_osc52(t, "copied by term_check");
		if (key == 's') {
			tt_term_suspend(t);
			tt_term_resume(t);
		}
		if (key == TT_KEY_CTRL('L'))
			tt_term_invalidate(t);
		if (key == TT_KEY_RESIZE) {
			tt_term_resized(t);
			tt_term_size(t, &w, &h);
			tt_canvas_resize(c, w, h);
		}
	}
	tt_term_end(&t);
	tt_term_end(&t);
	tt_canvas_free(&c);
	fclose(log);
	return 0;
}

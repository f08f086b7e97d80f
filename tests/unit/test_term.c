/* The curses-free half of the terminal layer: the OSC 52 sequence. This
 * test links libttterm.a without curses, which also checks that osc52.o
 * needs none. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tiertop/term.h"

static void check_seq(const char *text, enum tt_osc52_wrap wrap, const char *want, const char *what)
{
	char *got = tt_term_osc52_sequence(text, strlen(text), wrap);

	tap_str_eq(got, want, what);
	free(got);
}

static size_t count_byte(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

int main(void)
{
	char *big, *seq;
	size_t len;

	check_seq("hello", TT_OSC52_NONE, "\033]52;c;aGVsbG8=\a", "plain OSC 52");
	check_seq("hello", TT_OSC52_TMUX, "\033Ptmux;\033\033]52;c;aGVsbG8=\a\033\\", "tmux passthrough");
	check_seq("hello", TT_OSC52_SCREEN, "\033P\033]52;c;aGVsbG8=\a\033\\", "screen passthrough");
	check_seq("", TT_OSC52_NONE, "\033]52;c;\a", "empty text");
	seq = tt_term_osc52_sequence("\033]0;pwned\a\033[2J\n", 18, TT_OSC52_NONE);
	tap_ok(count_byte(seq, '\033') == 1 && count_byte(seq, '\a') == 1 && !strchr(seq, '\n'),
	       "escape sequences in the text are only base64 in the output: %s", seq + 1);
	free(seq);

	len = TT_OSC52_MAX + 1000;
	big = malloc(len + 1);
	memset(big, 'x', len);
	big[len] = '\0';
	seq = tt_term_osc52_sequence(big, len, TT_OSC52_NONE);
	tap_ok(strlen(seq) == 7 + 4 * ((TT_OSC52_MAX + 2) / 3) + 1, "text past the cap is cut (%zu bytes)",
	       strlen(seq));
	free(seq);
	free(big);

	tap_ok(tt_term_osc52_wrap("tmux-256color", "/tmp/tmux-0/default,1,0", NULL) == TT_OSC52_TMUX,
	       "TERM tmux-256color with TMUX: tmux");
	tap_ok(tt_term_osc52_wrap("screen-256color", "/tmp/tmux-0/default,1,0", NULL) == TT_OSC52_TMUX,
	       "TERM screen with TMUX: tmux");
	tap_ok(tt_term_osc52_wrap("screen", NULL, "1234.pts-0.host") == TT_OSC52_SCREEN,
	       "TERM screen with STY: screen");
	tap_ok(tt_term_osc52_wrap("xterm-256color", "/tmp/tmux-0/default,1,0", NULL) == TT_OSC52_NONE,
	       "TERM xterm (ssh from inside tmux): no wrapping");
	tap_ok(tt_term_osc52_wrap("screen", "", NULL) == TT_OSC52_NONE &&
	           tt_term_osc52_wrap(NULL, NULL, NULL) == 0,
	       "empty TMUX or no TERM: no wrapping");
	return tap_done();
}

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "tiertop/buf.h"
#include "tiertop/term.h"
#include "tiertop/xalloc.h"

/* A terminal multiplexer swallows sequences it does not know; wrapped in
 * its passthrough DCS they reach the outer terminal. Inside the DCS every
 * ESC is doubled (tmux) so the wrapper's own ST stays the only end. */
char *tt_term_osc52_sequence(const char *text, size_t len, enum tt_osc52_wrap wrap)
{
	size_t b64len;
	unsigned char *b64;
	struct tt_buf b;

	if (len > TT_OSC52_MAX)
		len = TT_OSC52_MAX;
	b64 = tt_xmalloc(4 * ((len + 2) / 3) + 1);
	b64len = (size_t)EVP_EncodeBlock(b64, (const unsigned char *)text, (int)len);
	tt_buf_init(&b, 0);
	if (wrap == TT_OSC52_TMUX)
		tt_buf_puts(&b, "\033Ptmux;\033\033]52;c;");
	else if (wrap == TT_OSC52_SCREEN)
		tt_buf_puts(&b, "\033P\033]52;c;");
	else
		tt_buf_puts(&b, "\033]52;c;");
	tt_buf_append(&b, b64, b64len);
	tt_buf_putc(&b, '\a');
	if (wrap != TT_OSC52_NONE)
		tt_buf_puts(&b, "\033\\");
	free(b64);
	return tt_buf_steal(&b);
}

enum tt_osc52_wrap tt_term_osc52_wrap(const char *term, const char *tmux, const char *sty)
{
	bool multiplexed = term && (strncmp(term, "screen", 6) == 0 || strncmp(term, "tmux", 4) == 0);

	if (multiplexed && tmux && *tmux)
		return TT_OSC52_TMUX;
	if (multiplexed && sty && *sty)
		return TT_OSC52_SCREEN;
	return TT_OSC52_NONE;
}

/* The console's answer to MFA requests (creds.h): a modal dialog over the
 * screen, while the loop goes on drawing and polling.
 *
 * Ownership: console_mfa_start returns a struct the console frees with
 * console_mfa_free, which answers every request still waiting with no code
 * and hands MFA requests back to the terminal. The host's callbacks and
 * dirty flag are borrowed and must outlive it. */
#ifndef TIERTOP_APP_CONSOLE_MFA_H
#define TIERTOP_APP_CONSOLE_MFA_H

#include <stdbool.h>

struct tt_app;
struct tt_canvas;
struct console_mfa;

/* Takes the app's MFA requests over. message shows a line in the status
 * line; *dirty is set when the screen must be drawn again. */
struct console_mfa *console_mfa_start(struct tt_app *app, void *host, void (*message)(void *host, const char *text),
				      bool *dirty);
void console_mfa_free(struct console_mfa **m);

/* True when the key went to the dialog (it takes every key while open).
 * command: the key is a command, not typed into a prompt; then r (refresh)
 * also lets profiles whose code was refused be asked again. */
bool console_mfa_key(struct console_mfa *m, int key, bool command);
/* Draws the dialog over the screen, if one is open: call last. */
void console_mfa_draw(struct console_mfa *m, struct tt_canvas *c);

#endif

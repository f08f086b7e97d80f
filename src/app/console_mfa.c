/* MFA codes in the console: each request waits in a queue, the first one is
 * shown in a dialog, and the code typed goes to the credentials provider
 * when Enter is pressed: never from inside the engine's dispatch.
 *
 * Esc gives no code, so the fetch fails and the views show why. The
 * credentials layer then fails the retries the scheduler makes without
 * asking (no dialog popping up again and again) until the refresh key (r)
 * says to ask again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "console_mfa.h"
#include "tiertop/creds.h"
#include "tiertop/dialog.h"
#include "tiertop/keys.h"
#include "tiertop/xalloc.h"

#define QUEUE 8

struct console_mfa {
	struct tt_app *app;
	void *host;
	void (*message)(void *host, const char *text);
	bool *dirty;
	struct tt_creds_mfa_request *queue[QUEUE]; /* queue[0] is in the dialog */
	size_t n;
	struct tt_dialog *dialog;
};

static void changed(struct console_mfa *m)
{
	*m->dirty = true;
}

static void open_dialog(struct console_mfa *m)
{
	struct tt_creds_mfa_request *req = m->queue[0];
	char *line;

	m->dialog = tt_dialog_new("MFA code needed", true);
	line = tt_xasprintf("profile %s assumes a role that asks for an MFA code", tt_creds_mfa_profile(req));
	tt_dialog_add_line(m->dialog, line);
	free(line);
	/* The serial comes from the config file: the dialog sanitizes it. */
	line = tt_xasprintf("device %s", tt_creds_mfa_serial(req));
	tt_dialog_add_line(m->dialog, line);
	free(line);
	tt_dialog_set_prompt(m->dialog, "code:", "Enter: send   Esc: cancel");
}

/* Takes the first request out (answered by the caller), and shows the next
 * one still wanted; those whose cache is gone are dropped. */
static struct tt_creds_mfa_request *pop(struct console_mfa *m)
{
	struct tt_creds_mfa_request *req = m->queue[0];

	tt_dialog_free(&m->dialog);
	memmove(m->queue, m->queue + 1, (m->n - 1) * sizeof(m->queue[0]));
	m->n--;
	while (m->n && !tt_creds_mfa_wanted(m->queue[0])) {
		tt_creds_mfa_answer(m->queue[0], NULL);
		memmove(m->queue, m->queue + 1, (m->n - 1) * sizeof(m->queue[0]));
		m->n--;
	}
	if (m->n)
		open_dialog(m);
	changed(m);
	return req;
}

static void no_code(struct console_mfa *m, struct tt_creds_mfa_request *req)
{
	char text[256];

	snprintf(text, sizeof(text), "no MFA code given for profile %.100s: r asks again",
		 tt_creds_mfa_profile(req));
	tt_creds_mfa_answer(req, NULL);
	m->message(m->host, text);
}

/* Called from the credentials provider, so from inside dispatch: it only
 * queues and asks for a redraw. */
static void on_request(void *ctx, const char *profile, const char *serial, struct tt_creds_mfa_request *req)
{
	struct console_mfa *m = ctx;

	(void)profile;
	(void)serial;
	if (m->n == QUEUE) {
		tt_creds_mfa_decline(req, "too many requests are waiting for one");
		return;
	}
	m->queue[m->n++] = req;
	if (m->n == 1)
		open_dialog(m);
	changed(m);
}

struct console_mfa *console_mfa_start(struct tt_app *app, void *host, void (*message)(void *host, const char *text),
				      bool *dirty)
{
	struct console_mfa *m = tt_xcalloc(1, sizeof(*m));

	m->app = app;
	m->host = host;
	m->message = message;
	m->dirty = dirty;
	tt_app_mfa_answerer(app, on_request, m);
	return m;
}

void console_mfa_free(struct console_mfa **mp)
{
	struct console_mfa *m = *mp;

	if (!m)
		return;
	tt_app_mfa_answerer(m->app, NULL, NULL);
	tt_dialog_free(&m->dialog);
	for (size_t i = 0; i < m->n; i++)
		tt_creds_mfa_answer(m->queue[i], NULL);
	free(m);
	*mp = NULL;
}

bool console_mfa_key(struct console_mfa *m, int key, bool command)
{
	struct tt_creds_mfa_request *req;

	if (!m)
		return false;
	if (!m->dialog) {
		/* Not taken: the view refreshes (or asks again) on r too. */
		if (key == 'r' && command)
			tt_creds_mfa_ask_again();
		return false;
	}
	switch (tt_dialog_key(m->dialog, key)) {
	case TT_DIALOG_ENTER:
		if (!*tt_dialog_input(m->dialog))
			break; /* nothing typed yet: keep asking */
		req = m->queue[0];
		/* The dialog (and its copy of the code) goes only after the
		 * answer has been sent. */
		tt_creds_mfa_answer(req, tt_dialog_input(m->dialog));
		m->queue[0] = NULL;
		pop(m);
		m->message(m->host, "MFA code sent");
		break;
	case TT_DIALOG_ESC:
		no_code(m, pop(m));
		break;
	default:
		break;
	}
	changed(m);
	return true;
}

void console_mfa_draw(struct console_mfa *m, struct tt_canvas *c)
{
	if (!m)
		return;
	/* The cache that asked may have gone meanwhile. */
	if (m->dialog && !tt_creds_mfa_wanted(m->queue[0]))
		tt_creds_mfa_answer(pop(m), NULL);
	if (m->dialog)
		tt_dialog_draw(m->dialog, c);
}

#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"
#include "tiertop/xml.h"

/* AWS answers are shallow; anything deeper is hostile or broken. */
#define MAX_DEPTH 32
#define MAX_ENTRIES 100000

struct parse_state {
	struct tt_xml_flat *out;
	size_t cap;
	struct tt_buf path;
	size_t path_len[MAX_DEPTH + 1];
	int depth;
	struct tt_buf text;
	size_t open_entry[MAX_DEPTH + 1];
	bool overflow;
	XML_Parser parser;
};

static const char *local_name(const char *name)
{
	/* expat with a namespace separator gives "uri|name". */
	const char *bar = strrchr(name, '|');

	return bar ? bar + 1 : name;
}

static void on_start(void *data, const char *name, const char **attrs)
{
	struct parse_state *s = data;
	struct tt_xml_flat *x = s->out;

	if (s->depth >= MAX_DEPTH || x->n >= MAX_ENTRIES) {
		s->overflow = true;
		XML_StopParser(s->parser, XML_FALSE);
		return;
	}
	s->path_len[s->depth] = s->path.len;
	if (s->depth)
		tt_buf_putc(&s->path, '/');
	tt_buf_puts(&s->path, local_name(name));
	if (x->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		x->entries = tt_xrealloc(x->entries, s->cap * sizeof(*x->entries));
	}
	x->entries[x->n].path = tt_xstrdup(s->path.data);
	x->entries[x->n].text = NULL;
	s->open_entry[s->depth] = x->n++;
	s->depth++;
	tt_buf_reset(&s->text);
}

static void on_end(void *data, const char *name)
{
	struct parse_state *s = data;
	struct tt_xml_entry *e;
	char *copy;

	s->depth--;
	e = &s->out->entries[s->open_entry[s->depth]];
	copy = tt_xstrdup(s->text.data ? s->text.data : "");
	e->text = tt_xstrdup(tt_str_trim(copy));
	free(copy);
	tt_buf_reset(&s->text);
	s->path.len = s->path_len[s->depth];
	s->path.data[s->path.len] = '\0';
}

static void on_text(void *data, const char *text, int len)
{
	struct parse_state *s = data;

	tt_buf_append(&s->text, text, (size_t)len);
}

int tt_xml_flat_parse(const char *data, size_t len, struct tt_xml_flat *out, struct tt_err *err)
{
	struct parse_state s;
	XML_Parser p = XML_ParserCreateNS("UTF-8", '|');
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	s.out = out;
	s.parser = p;
	tt_buf_init(&s.path, 0);
	tt_buf_init(&s.text, 1 << 20);
	XML_SetUserData(p, &s);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	if (XML_Parse(p, data, (int)len, XML_TRUE) == XML_STATUS_ERROR || s.overflow) {
		rc = tt_err_set(err, TT_ERR_AWS, "malformed XML answer (line %lu: %s)",
				(unsigned long)XML_GetCurrentLineNumber(p),
				s.overflow ? "too deep or too large" : XML_ErrorString(XML_GetErrorCode(p)));
		tt_xml_flat_clear(out);
	}
	/* Entries still open when parsing stopped have no text yet. */
	for (size_t i = 0; i < out->n; i++)
		if (!out->entries[i].text)
			out->entries[i].text = tt_xstrdup("");
	tt_buf_clear(&s.path);
	tt_buf_clear(&s.text);
	XML_ParserFree(p);
	return rc;
}

void tt_xml_flat_clear(struct tt_xml_flat *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->entries[i].path);
		free(x->entries[i].text);
	}
	free(x->entries);
	memset(x, 0, sizeof(*x));
}

const char *tt_xml_flat_get(const struct tt_xml_flat *x, const char *path)
{
	size_t plen = strlen(path);

	for (size_t i = 0; i < x->n; i++) {
		const char *p = x->entries[i].path;
		size_t n = strlen(p);
		if (strcmp(p, path) == 0 ||
		    (n > plen && p[n - plen - 1] == '/' && strcmp(p + n - plen, path) == 0))
			return x->entries[i].text;
	}
	return NULL;
}

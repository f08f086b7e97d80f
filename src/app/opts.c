/* The declarative option parser (opts.h). */
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "tiertop/buf.h"
#include "tiertop/err.h"
#include "tiertop/xalloc.h"

static const struct tt_opt *find(const struct tt_opts_spec *spec, const char *arg, size_t len)
{
	for (size_t i = 0; i < spec->nopts; i++)
		if (strlen(spec->opts[i].name) == len && strncmp(spec->opts[i].name, arg, len) == 0)
			return &spec->opts[i];
	return NULL;
}

static bool seen(const struct tt_opts *o, const struct tt_opt *opt)
{
	for (size_t i = 0; i < o->ngiven; i++)
		if (o->given[i].opt == opt)
			return true;
	return false;
}

/* One "--name[=value]" at argv[*i]; moves *i past a separate value. */
static int take_option(const struct tt_opts_spec *spec, int argc, char **argv, int *i, struct tt_opts *out,
		       char *msg, size_t msglen)
{
	const char *arg = argv[*i], *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct tt_opt *opt = find(spec, arg, len);
	const char *value = NULL;

	if (!opt) {
		snprintf(msg, msglen, "unknown option %.*s", (int)(len < 64 ? len : 64), arg);
		return -1;
	}
	if (opt->value) {
		value = eq ? eq + 1 : *i + 1 < argc ? argv[++*i] : NULL;
		if (!value || !*value) {
			snprintf(msg, msglen, "%s needs a value (%s)", opt->name, opt->value);
			return -1;
		}
	} else if (eq) {
		snprintf(msg, msglen, "%s takes no value", opt->name);
		return -1;
	}
	if (!(opt->flags & TT_OPT_REPEAT) && seen(out, opt)) {
		snprintf(msg, msglen, "%s given twice", opt->name);
		return -1;
	}
	out->given = tt_xrealloc(out->given, (out->ngiven + 1) * sizeof(*out->given));
	out->given[out->ngiven++] = (struct tt_opt_given){opt, value};
	return 0;
}

int tt_opts_parse(const struct tt_opts_spec *spec, int argc, char **argv, struct tt_opts *out, char *msg,
		  size_t msglen)
{
	bool operands_only = false;

	memset(out, 0, sizeof(*out));
	out->operands = tt_xcalloc((size_t)argc + 1, sizeof(char *));
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (!operands_only && strcmp(arg, "--") == 0) {
			operands_only = true;
		} else if (!operands_only && strcmp(arg, "--help") == 0) {
			out->help = true;
		} else if (!operands_only && arg[0] == '-' && arg[1]) {
			if (take_option(spec, argc, argv, &i, out, msg, msglen))
				return -1;
		} else if (out->noperands == spec->max_operands) {
			snprintf(msg, msglen, "unexpected argument \"%.64s\"", arg);
			return -1;
		} else {
			out->operands[out->noperands++] = argv[i];
		}
	}
	if (!out->help && out->noperands < spec->min_operands) {
		snprintf(msg, msglen, "%s missing", spec->operands ? spec->operands : "an argument");
		return -1;
	}
	return 0;
}

void tt_opts_clear(struct tt_opts *o)
{
	free(o->given);
	free(o->operands);
	memset(o, 0, sizeof(*o));
}

const char *tt_opts_get(const struct tt_opts *o, const char *name)
{
	const char *v = NULL;

	for (size_t i = 0; i < o->ngiven; i++)
		if (strcmp(o->given[i].opt->name, name) == 0)
			v = o->given[i].value ? o->given[i].value : "";
	return v;
}

bool tt_opts_has(const struct tt_opts *o, const char *name)
{
	return tt_opts_get(o, name) != NULL;
}

char *tt_opts_synopsis(const struct tt_opts_spec *spec)
{
	struct tt_buf b;

	tt_buf_init(&b, 0);
	for (size_t i = 0; i < spec->nopts; i++) {
		const struct tt_opt *o = &spec->opts[i];
		tt_buf_printf(&b, "%s[%s%s%s]%s", i ? " " : "", o->name, o->value ? " " : "", o->value ? o->value : "",
			      o->flags & TT_OPT_REPEAT ? "..." : "");
	}
	if (spec->operands)
		tt_buf_printf(&b, "%s%s", spec->nopts ? " " : "", spec->operands);
	return tt_buf_steal(&b);
}

/* Up to the next space outside brackets: "[--range DURATION]" is one word.
 * A newline is a space: help texts are reflowed, not kept as written. */
static size_t word_len(const char *p)
{
	size_t n = 0;
	int depth = 0;

	for (; p[n] && p[n] != '\n' && (p[n] != ' ' || depth > 0); n++)
		depth += p[n] == '[' ? 1 : p[n] == ']' && depth > 0 ? -1 : 0;
	return n;
}

void tt_opts_wrap(FILE *out, const char *text, int col, int indent)
{
	const char *p = text;

	while (*p) {
		size_t word = word_len(p);
		if (col > indent && col + (p != text) + (int)word > TT_HELP_WIDTH) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (p != text) {
			fputc(' ', out);
			col++;
		}
		fprintf(out, "%.*s", (int)word, p);
		col += (int)word;
		p += word;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	fputc('\n', out);
}

/* "usage: tiertop VERB" and the synopsis, continued under the verb. */
static void usage_line(const struct tt_opts_spec *spec, FILE *out)
{
	char *syn = tt_opts_synopsis(spec);
	int col = fprintf(out, "usage: tiertop %s%s", spec->verb, *syn ? " " : "");

	tt_opts_wrap(out, syn, col, (int)strlen("usage: tiertop ") + 2);
	free(syn);
}

void tt_opts_help(const struct tt_opts_spec *spec, FILE *out)
{
	usage_line(spec, out);
	if (spec->nopts)
		fprintf(out, "\noptions:\n");
	for (size_t i = 0; i < spec->nopts; i++) {
		const struct tt_opt *o = &spec->opts[i];
		char left[64], *help = tt_xasprintf("%s%s", o->help, o->flags & TT_OPT_REPEAT ? " (repeatable)" : "");
		snprintf(left, sizeof(left), "%s%s%s", o->name, o->value ? " " : "", o->value ? o->value : "");
		/* A long option and its value get a line of their own. */
		if (strlen(left) > 24)
			fprintf(out, "  %s\n%27s", left, "");
		else
			fprintf(out, "  %-24s ", left);
		tt_opts_wrap(out, help, 27, 27);
		free(help);
	}
	if (spec->more_help) {
		fputc('\n', out);
		tt_opts_wrap(out, spec->more_help, 0, 0);
	}
}

int tt_opts_usage_error(const struct tt_opts_spec *spec, const char *msg)
{
	fprintf(stderr, "tiertop: %s: %s\n", spec->verb, msg);
	usage_line(spec, stderr);
	fprintf(stderr, "(tiertop %s --help says more)\n", spec->verb);
	return TT_EXIT_USAGE;
}

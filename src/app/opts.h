/* A verb's options, declared in one table that parses the command line,
 * prints the verb's --help and is checked against the man page by a test:
 * one parser, one behaviour for every verb ("--range 2h" and "--range=2h",
 * unknown options and stray arguments refused by name, a single-value
 * option given twice refused rather than silently taking the last).
 *
 * Ownership: the spec is static data. Parsed values and positional
 * arguments are borrowed from argv; tt_opts_clear frees the arrays. */
#ifndef TIERTOP_APP_OPTS_H
#define TIERTOP_APP_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum tt_opt_flags {
	TT_OPT_REPEAT = 1 << 0, /* may be given more than once */
};

struct tt_opt {
	const char *name;  /* "--range" */
	const char *value; /* what it takes, for help ("DURATION"); NULL: a switch */
	unsigned flags;
	const char *help;
};

struct tt_opts_spec {
	const char *verb;
	const char *operands;    /* "RESOURCE..." for help; NULL: none */
	size_t min_operands;
	size_t max_operands;     /* (size_t)-1: any number */
	const struct tt_opt *opts;
	size_t nopts;
	const char *more_help;   /* printed after the options, or NULL */
};

struct tt_opt_given {
	const struct tt_opt *opt;
	const char *value;       /* NULL for a switch */
};

struct tt_opts {
	struct tt_opt_given *given; /* in command-line order */
	size_t ngiven;
	char **operands;
	size_t noperands;
	bool help;               /* --help was given: print tt_opts_help, exit 0 */
};

/* argv[0] is the verb. 0, or -1 with a one-line message in msg ("unknown
 * option --bogus", "--range needs a value", "--range given twice",
 * "unexpected argument \"extra\""). */
int tt_opts_parse(const struct tt_opts_spec *spec, int argc, char **argv, struct tt_opts *out, char *msg,
		  size_t msglen);
void tt_opts_clear(struct tt_opts *o);

/* The last value of a single-value option, or NULL; a switch gives "". */
const char *tt_opts_get(const struct tt_opts *o, const char *name);
bool tt_opts_has(const struct tt_opts *o, const char *name);

/* "usage: tiertop VERB [--opt VALUE]... OPERANDS" and one line per option. */
void tt_opts_help(const struct tt_opts_spec *spec, FILE *out);
/* The synopsis alone ("[--range DURATION] [--json] RESOURCE..."), for the
 * global help. Caller frees. */
char *tt_opts_synopsis(const struct tt_opts_spec *spec);
/* Help text fits an 80-column terminal: text is printed from column col
 * (where the caller's output stands), broken at spaces, every further line
 * indented by indent, and ended with a newline. A word longer than a line
 * stands alone on its own. */
#define TT_HELP_WIDTH 80
void tt_opts_wrap(FILE *out, const char *text, int col, int indent);
/* --range and --period of the verbs that chart metrics (status, metrics):
 * the range as a duration (default_range_s when not given), at least a
 * minute; the period in seconds, a multiple of 60 no longer than the range,
 * by default the finest giving at most 1,440 points. 0, or -1 with the
 * reason in why. */
int tt_opts_range_period(const struct tt_opts *o, long default_range_s, long *range_s, long *period_s, char *why,
			 size_t whylen);

/* Prints "tiertop: VERB: msg" and the usage line; returns TT_EXIT_USAGE. */
int tt_opts_usage_error(const struct tt_opts_spec *spec, const char *msg);

#endif

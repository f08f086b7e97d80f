/* Completion of a word among candidates (ui/complete.c), as the console's
 * `:` line uses it for function, table, profile and application names. */
#include <string.h>

#include "tap.h"
#include "tiertop/complete.h"

static void check(const char *word, const char *const *cands, size_t n, size_t want_matches, const char *want,
		  size_t size, const char *what)
{
	char common[64];
	size_t got = tt_complete(word, cands, n, common, size);

	tap_ok(got == want_matches && strcmp(common, want) == 0, "%s: %zu, \"%s\" (want %zu, \"%s\")", what, got,
	       common, want_matches, want);
}

int main(void)
{
	static const char *const fns[] = {"spam-filter", "submit-feedback", "submit-feedback-v2", NULL,
					  "submit-feedback"};
	static const char *const wide[] = {"caf\xc3\xa9-api", "caf\xc3\xa9-web"};

	check("sp", fns, 5, 1, "spam-filter", 64, "one fits: the whole name");
	check("s", fns, 5, 3, "s", 64, "several with nothing more in common: the word stays");
	check("sub", fns, 5, 2, "submit-feedback", 64, "the common prefix (a repeated name counts once)");
	check("submit-feedback-", fns, 5, 1, "submit-feedback-v2", 64, "the longer one");
	check("zz", fns, 5, 0, "zz", 64, "none fits: the word stays");
	check("", fns, 5, 3, "s", 64, "an empty word: every name");
	check("sp", fns, 0, 0, "sp", 64, "no candidates");
	check("c", wide, 2, 2, "caf\xc3\xa9-", 64, "a common prefix with a two-byte character");
	check("c", wide, 2, 2, "caf", 5, "cut to the buffer, never inside a character");
	return tap_done();
}

/* The shlex splitter (Python's shlex.split in POSIX mode: credential_process
 * commands and [profile "NAME"] headers) on arbitrary text. Properties:
 * never more words than asked for, the list is NULL-terminated, and the
 * words, each quoted again, split back to the same words. */
#include "fuzz.h"

#include "tiertop/buf.h"
#include "tiertop/str.h"

#define MAX_WORDS 16

static void free_words(char **argv, int n)
{
	for (int i = 0; i < n; i++)
		free(argv[i]);
}

/* 'word' with each ' written as '\'' (close, escaped quote, reopen). */
static void quote(struct tt_buf *out, const char *word)
{
	tt_buf_putc(out, '\'');
	for (const char *p = word; *p; p++) {
		if (*p == '\'')
			tt_buf_puts(out, "'\\''");
		else
			tt_buf_putc(out, *p);
	}
	tt_buf_putc(out, '\'');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cmd = fuzz_str(data, size);
	char *argv[MAX_WORDS + 1], *again[MAX_WORDS + 1];
	struct tt_buf joined;
	int n, m;

	n = tt_shlex_split(cmd, argv, MAX_WORDS);
	free(cmd);
	if (n < 0)
		return 0;
	if (n > MAX_WORDS - 1 || argv[n] != NULL)
		fuzz_fail("%d words, or the list is not NULL-terminated", n);
	tt_buf_init(&joined, 0);
	for (int i = 0; i < n; i++) {
		if (i)
			tt_buf_putc(&joined, ' ');
		quote(&joined, argv[i]);
	}
	m = tt_shlex_split(joined.data ? joined.data : "", again, MAX_WORDS);
	if (m != n)
		fuzz_fail("\"%s\" splits into %d words, not %d", joined.data ? joined.data : "", m, n);
	for (int i = 0; i < n; i++)
		if (strcmp(argv[i], again[i]) != 0)
			fuzz_fail("word %d \"%s\" came back as \"%s\"", i, argv[i], again[i]);
	free_words(argv, n);
	free_words(again, m);
	tt_buf_clear(&joined);
	return 0;
}

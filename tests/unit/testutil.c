#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tiertop/xalloc.h"

char *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			data = tt_xrealloc(data, cap);
		}
		got = fread(data + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	data[n] = '\0';
	if (len)
		*len = n;
	return data;
}

int tu_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

char *tu_mkdtemp(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = tt_xasprintf("%s/tiertop-test-XXXXXX", base && *base ? base : "/tmp");

	if (!mkdtemp(tmpl)) {
		free(tmpl);
		return NULL;
	}
	return tmpl;
}

static char *golden_path(const char *name, const char *dir, const char *ext)
{
	size_t n = strlen(name);

	if (n > 4 && strcmp(name + n - 4, ".txt") == 0)
		n -= 4;
	return tt_xasprintf("%s%s%.*s%s", dir, *dir ? "/" : "", (int)n, name, ext);
}

/* The first line where want and got part, as TAP comments. */
static void golden_report(const char *want, const char *got)
{
	int line = 1;
	const char *w = want, *g = got;

	while (*w && *w == *g) {
		if (*w == '\n') {
			line++;
			want = w + 1;
			got = g + 1;
		}
		w++;
		g++;
	}
	printf("# first difference at line %d\n# want: %.*s\n# got:  %.*s\n", line, (int)strcspn(want, "\n"),
	       want, (int)strcspn(got, "\n"), got);
}

/* A mismatch leaves the output beside the build for diff. */
static void golden_keep(const char *name, const char *actual)
{
	char *path = golden_path(name, "", ".actual");

	if (tu_write_file(path, actual) == 0)
		printf("# the output is in %s\n", path);
	free(path);
}

int tt_golden_check(const char *name, const char *actual)
{
	const char *top = getenv("top_srcdir"), *update = getenv("TT_GOLDEN_UPDATE");
	char *dir = tt_xasprintf("%s/tests/golden", top && *top ? top : ".");
	char *path = golden_path(name, dir, ".txt"), *want = NULL;
	int same = 0;

	if (update && strcmp(update, "1") == 0) {
		same = tu_write_file(path, actual) == 0;
		printf("# %s %s\n", same ? "rewrote" : "could not write", path);
	} else if (!(want = tu_read_file(path, NULL))) {
		printf("# no golden file %s (TT_GOLDEN_UPDATE=1 writes it)\n", path);
		golden_keep(name, actual);
	} else if (strcmp(want, actual) == 0) {
		same = 1;
	} else {
		golden_report(want, actual);
		golden_keep(name, actual);
	}
	free(want);
	free(path);
	free(dir);
	return same;
}

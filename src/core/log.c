#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tiertop/clock.h"
#include "tiertop/err.h"
#include "tiertop/log.h"

static FILE *log_file;

/* The log holds items, log lines and payloads: private from the start (not
 * the umask's mode), and never written through a symbolic link someone else
 * planted at that name. */
int tt_log_open(const char *path, struct tt_err *err)
{
	int fd;

	if (log_file)
		fclose(log_file);
	log_file = NULL;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0 && errno == ELOOP)
		return tt_err_set(err, TT_ERR_CONFIG, "debug log %s is a symbolic link; refusing to follow it",
				  path);
	if (fd < 0)
		return tt_err_set(err, TT_ERR_CONFIG, "cannot open debug log %s: %s", path, strerror(errno));
	log_file = fdopen(fd, "a");
	if (!log_file) {
		close(fd);
		return tt_err_set(err, TT_ERR_CONFIG, "cannot open debug log %s: %s", path, strerror(errno));
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
	return 0;
}

void tt_log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
}

bool tt_log_enabled(void)
{
	return log_file != NULL;
}

static void stamp(void)
{
	int64_t ms = tt_clock_now_ms();
	char iso[21];

	tt_time_iso8601((time_t)(ms / 1000), iso);
	iso[19] = '\0'; /* drop the Z; milliseconds follow */
	fprintf(log_file, "%s.%03dZ ", iso, (int)(ms % 1000));
}

/* Last line of defence: a signed Authorization value never reaches the file,
 * even if a caller forgot to redact it. */
static bool looks_secret(const char *line)
{
	return strstr(line, "Signature=") != NULL && strstr(line, "Signature=REDACTED") == NULL;
}

void tt_log_printf(const char *fmt, ...)
{
	char line[4096];
	va_list ap;

	if (!log_file)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	stamp();
	fputs(looks_secret(line) ? "[line withheld: unredacted signature]" : line, log_file);
	fputc('\n', log_file);
}

void tt_log_block(const char *title, const char *data, size_t len, size_t max)
{
	if (!log_file)
		return;
	stamp();
	fprintf(log_file, "%s (%zu bytes)\n", title, len);
	fwrite(data, 1, len < max ? len : max, log_file);
	if (len > max)
		fprintf(log_file, "\n[... %zu more bytes not logged]", len - max);
	fputc('\n', log_file);
}

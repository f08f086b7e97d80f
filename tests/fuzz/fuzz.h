/* Shared by the libFuzzer targets: the input as the C strings the parsers
 * take, and a scratch file for the parsers that only read files. Each target
 * is one .c file with LLVMFuzzerTestOneInput; build.sh links it with every
 * source below src/app and libFuzzer, ASan and UBSan. A property that does
 * not hold calls fuzz_fail, which aborts so that libFuzzer saves the input. */
#ifndef TIERTOP_FUZZ_H
#define TIERTOP_FUZZ_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_fail(...)                                                                                              \
	do {                                                                                                        \
		fprintf(stderr, "fuzz property failed at %s:%d: ", __FILE__, __LINE__);                             \
		fprintf(stderr, __VA_ARGS__);                                                                       \
		fputc('\n', stderr);                                                                                \
		abort();                                                                                            \
	} while (0)

/* A NUL-terminated copy (the input may hold NULs; C-string parsers then see
 * only the part before the first one, as they would in real use). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Decodes one strictly valid UTF-8 sequence (no overlongs, no surrogates,
 * nothing above U+10FFFF); returns its length or 0. */
static inline size_t fuzz_utf8_next(const unsigned char *p, size_t len, uint32_t *cp)
{
	size_t n;
	uint32_t min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		n = 2, min = 0x80, *cp = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		n = 3, min = 0x800, *cp = p[0] & 0x0F;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		n = 4, min = 0x10000, *cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return n;
}

/* A file holding exactly data, reused across runs of one process; its path
 * stays valid until the process ends (it is removed at exit). */
static char fuzz_path_buf[64];

static inline void fuzz_unlink_file(void)
{
	if (fuzz_path_buf[0])
		unlink(fuzz_path_buf);
}

static inline const char *fuzz_file(const uint8_t *data, size_t size)
{
	FILE *f;

	if (!fuzz_path_buf[0]) {
		const char *dir = getenv("TMPDIR");
		int fd;

		snprintf(fuzz_path_buf, sizeof(fuzz_path_buf), "%.40s/ttfuzz.XXXXXX", dir && *dir ? dir : "/tmp");
		fd = mkstemp(fuzz_path_buf);
		if (fd < 0)
			abort();
		close(fd);
		atexit(fuzz_unlink_file);
	}
	f = fopen(fuzz_path_buf, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		abort();
	return fuzz_path_buf;
}

#endif

/* The JSON text writers (every AWS string tiertop prints as JSON goes
 * through them) and the re-indenter, on arbitrary bytes. Properties: a
 * string literal is one JSON string that jansson reads back to the input
 * (when the input is UTF-8 without NUL) with no control byte, DEL or, in
 * the ASCII variant, non-ASCII byte in it; re-indented and compacted JSON
 * mean the same as the input, and compacting is one line. */
#include "fuzz.h"

#include <stdbool.h>

#include <jansson.h>

#include "tiertop/buf.h"
#include "tiertop/json_text.h"

static bool utf8_without_nul(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = fuzz_utf8_next(p + i, len - i, &cp);
		if (n == 0 || cp == 0)
			return false;
		i += n;
	}
	return true;
}

static void literal(const uint8_t *data, size_t size, bool ascii)
{
	struct tt_buf out;
	json_error_t jerr;
	json_t *back;

	tt_buf_init(&out, 0);
	(ascii ? tt_json_string_ascii : tt_json_string)(&out, (const char *)data, size);
	for (size_t i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)out.data[i];
		if (c < 0x20 || c == 0x7F || (ascii && c >= 0x80))
			fuzz_fail("byte 0x%02X at %zu of a JSON literal (ascii %d)", c, i, ascii);
	}
	back = json_loadb(out.data, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (!json_is_string(back))
		fuzz_fail("the literal is not a JSON string (ascii %d): %s", ascii, jerr.text);
	if (utf8_without_nul(data, size) &&
	    (json_string_length(back) != size || memcmp(json_string_value(back), data, size) != 0))
		fuzz_fail("the literal reads back as something else (ascii %d)", ascii);
	json_decref(back);
	tt_buf_clear(&out);
}

static void compact(const char *data, size_t size, json_t *doc)
{
	struct tt_buf out;
	json_error_t jerr;
	json_t *back;

	tt_buf_init(&out, 0);
	tt_json_compact(data, size, &out);
	back = json_loadb(out.data ? out.data : "", out.len, JSON_DECODE_ANY, &jerr);
	if (!back || !json_equal(doc, back))
		fuzz_fail("compacted JSON means something else: %s", back ? "not equal" : jerr.text);
	if (out.len && memchr(out.data, '\n', out.len))
		fuzz_fail("compacted JSON is more than one line");
	json_decref(back);
	tt_buf_clear(&out);
}

static void reindent(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	struct tt_buf out;
	json_error_t jerr;
	json_t *back;

	if (!doc)
		return;
	compact((const char *)data, size, doc);
	tt_buf_init(&out, 0);
	tt_json_reindent((const char *)data, size, 2, &out);
	back = json_loadb(out.data ? out.data : "", out.len, JSON_DECODE_ANY, &jerr);
	if (!back)
		fuzz_fail("re-indented JSON does not parse: %s", jerr.text);
	if (!json_equal(doc, back))
		fuzz_fail("re-indented JSON means something else");
	json_decref(back);
	json_decref(doc);
	tt_buf_clear(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	literal(data, size, false);
	literal(data, size, true);
	reindent(data, size);
	return 0;
}

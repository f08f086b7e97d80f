/* The flat XML reader on arbitrary bytes: every entry has a path, and a
 * lookup of each path finds an entry with that path. */
#include "fuzz.h"

#include "tiertop/err.h"
#include "tiertop/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_xml_flat x;
	struct tt_err err;

	if (tt_xml_flat_parse((const char *)data, size, &x, &err) != 0)
		return 0;
	for (size_t i = 0; i < x.n; i++) {
		if (!x.entries[i].path || !x.entries[i].text)
			fuzz_fail("entry %zu has a NULL path or text", i);
		if (!tt_xml_flat_get(&x, x.entries[i].path))
			fuzz_fail("entry %zu's own path finds nothing", i);
	}
	(void)tt_xml_flat_get(&x, "Error/Code");
	(void)tt_xml_flat_get(&x, "");
	tt_xml_flat_clear(&x);
	return 0;
}

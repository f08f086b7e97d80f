/* XML answers (awsQuery services: STS, CloudFormation, CloudWatch's old
 * protocol) flattened into (path, text) pairs with expat, so callers read
 * "AssumeRoleResponse/AssumeRoleResult/Credentials/AccessKeyId" instead of
 * walking a tree. Namespaces are dropped; repeated elements (list members)
 * appear once per occurrence, in document order.
 *
 * Ownership: the struct owns every string; tt_xml_flat_clear releases them.
 * Getters return borrowed pointers valid until then. */
#ifndef TIERTOP_XML_H
#define TIERTOP_XML_H

#include <stddef.h>

struct tt_err;

struct tt_xml_entry {
	char *path;
	char *text;    /* trimmed character data of a leaf; "" for containers */
};

struct tt_xml_flat {
	struct tt_xml_entry *entries;
	size_t n;
};

int tt_xml_flat_parse(const char *data, size_t len, struct tt_xml_flat *out, struct tt_err *err);
void tt_xml_flat_clear(struct tt_xml_flat *x);
/* First entry whose path is path, or whose path ends with "/" + path. */
const char *tt_xml_flat_get(const struct tt_xml_flat *x, const char *path);

#endif

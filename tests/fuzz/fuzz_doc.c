/*
 * fuzz_doc.c — libFuzzer target: the positioned YAML/JSON loader (common/doc.c).
 * The first byte picks the format; the rest is the document. Every loaded node is
 * walked so positions and scalars are touched.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk(const struct doc_node *n, int depth)
{
	size_t i, count = 1;
	double v;

	if (!n || depth > DOC_MAX_DEPTH + 1)
		return 0;
	if (n->line == 0 || n->col == 0)
		__builtin_trap();
	if (n->type == DOC_SCALAR) {
		if (strlen(n->str) > n->len)
			__builtin_trap();
		(void)doc_number(n, &v);
		(void)doc_type_name(n);
	} else if (n->type == DOC_SEQ) {
		for (i = 0; i < n->n && count < 100000; i++)
			count += walk(n->items[i], depth + 1);
	} else {
		for (i = 0; i < n->n && count < 100000; i++) {
			count += walk(n->pairs[i].key, depth + 1);
			count += walk(n->pairs[i].value, depth + 1);
			if (doc_get(n, n->pairs[i].key->str) == NULL && strlen(n->pairs[i].key->str) == n->pairs[i].key->len)
				__builtin_trap();
		}
	}
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xp_error err;
	struct doc *d = NULL;
	enum doc_format fmt;

	if (size < 1)
		return 0;
	fmt = (data[0] & 1) ? DOC_JSON : DOC_YAML;
	if (doc_load_buf((const char *)data + 1, size - 1, "fuzz", fmt, &d, &err) == 0) {
		walk(d->root, 0);
		doc_free(d);
	} else if (err.msg[0] == '\0') {
		__builtin_trap(); /* every failure must say why */
	}
	return 0;
}

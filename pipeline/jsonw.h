/*
 * jsonw.h — appending JSON values to a strbuf, for the records pipeline/ writes
 * (flat metrics, gate decisions) where numbers must read back exactly and keys
 * keep their order.
 */
#ifndef XPSHIP_PIPELINE_JSONW_H
#define XPSHIP_PIPELINE_JSONW_H

#include "common/strbuf.h"

#include <jansson.h>

/* A JSON string (quoted, escaped). s must be UTF-8 (aborts otherwise: every
 * caller's text comes from parsed, UTF-8-checked input). */
void jsonw_string(struct strbuf *sb, const char *s);
/* A finite number in its shortest exact form (metrics_format_number). */
void jsonw_number(struct strbuf *sb, double v);
/* "key": — with a leading comma unless `first`. */
void jsonw_key(struct strbuf *sb, const char *key, int first);

/* A jansson tree as text, keys in their order, reals in their shortest exact
 * form. indent 0: compact (",", ":"); indent n > 0: jansson's JSON_INDENT(n)
 * layout. No trailing newline. Strings in a jansson tree are UTF-8. */
void jsonw_tree(struct strbuf *sb, const json_t *v, int indent);

#endif

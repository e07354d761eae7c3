/*
 * jsonw.c — JSON text output helpers (see jsonw.h). String escaping is jansson's.
 */
#include "pipeline/jsonw.h"

#include "pipeline/metrics.h"

#include <inttypes.h>
#include <stdlib.h>

void jsonw_string(struct strbuf *sb, const char *s)
{
	json_t *j = json_string(s);
	char *text = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;

	if (!text)
		abort(); /* not UTF-8, or out of memory */
	strbuf_adds(sb, text);
	free(text);
	json_decref(j);
}

void jsonw_number(struct strbuf *sb, double v)
{
	char num[METRICS_NUMBER_MAX];

	metrics_format_number(v, num);
	strbuf_adds(sb, num);
}

void jsonw_key(struct strbuf *sb, const char *key, int first)
{
	if (!first)
		strbuf_addc(sb, ',');
	jsonw_string(sb, key);
	strbuf_addc(sb, ':');
}

static void newline(struct strbuf *sb, int indent, int depth)
{
	int i;

	if (!indent)
		return;
	strbuf_addc(sb, '\n');
	for (i = 0; i < indent * depth; i++)
		strbuf_addc(sb, ' ');
}

static void tree(struct strbuf *sb, const json_t *v, int indent, int depth)
{
	const char *key;
	json_t *item;
	size_t i;
	int first = 1;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (!json_object_size(v)) {
			strbuf_adds(sb, "{}");
			return;
		}
		strbuf_addc(sb, '{');
		json_object_foreach((json_t *)v, key, item) {
			if (!first)
				strbuf_addc(sb, ',');
			first = 0;
			newline(sb, indent, depth + 1);
			jsonw_string(sb, key);
			strbuf_adds(sb, indent ? ": " : ":");
			tree(sb, item, indent, depth + 1);
		}
		newline(sb, indent, depth);
		strbuf_addc(sb, '}');
		return;
	case JSON_ARRAY:
		if (!json_array_size(v)) {
			strbuf_adds(sb, "[]");
			return;
		}
		strbuf_addc(sb, '[');
		json_array_foreach(v, i, item) {
			if (i)
				strbuf_addc(sb, ',');
			newline(sb, indent, depth + 1);
			tree(sb, item, indent, depth + 1);
		}
		newline(sb, indent, depth);
		strbuf_addc(sb, ']');
		return;
	case JSON_STRING:
		jsonw_string(sb, json_string_value(v));
		return;
	case JSON_INTEGER:
		strbuf_addf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return;
	case JSON_REAL:
		jsonw_number(sb, json_real_value(v));
		return;
	case JSON_TRUE:
		strbuf_adds(sb, "true");
		return;
	case JSON_FALSE:
		strbuf_adds(sb, "false");
		return;
	case JSON_NULL:
		strbuf_adds(sb, "null");
		return;
	}
}

void jsonw_tree(struct strbuf *sb, const json_t *v, int indent)
{
	tree(sb, v, indent, 0);
}

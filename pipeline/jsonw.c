/*
 * jsonw.c — JSON text output helpers (see jsonw.h). String escaping is jansson's.
 */
#include "pipeline/jsonw.h"

#include "pipeline/metrics.h"

#include <stdlib.h>

#include <jansson.h>

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

/*
 * jsonout.c — one versioned JSON object on stdout (jsonout.h).
 */
#include "cmd/jsonout.h"
#include "cmd/cmd.h"
#include "common/strbuf.h"
#include "pipeline/jsonw.h"

#include <stdio.h>
#include <stdlib.h>

json_t *jsonout_new(const char *cmd)
{
	json_t *o = json_object();
	char *schema = xasprintf(JSONOUT_SCHEMA_BASE "%s/" JSONOUT_VERSION, cmd);

	json_object_set_new(o, "schema", json_string(schema));
	free(schema);
	return o;
}

json_t *jsonout_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *jsonout_checks(const struct verify_report *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct verify_check *v = &r->v[i];

		json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "name", v->name, "status",
						    v->ok ? "ok" : v->skipped ? "skipped" : "failed",
						    "detail", jsonout_str(v->detail)));
	}
	return a;
}

int jsonout_print(json_t *obj)
{
	struct strbuf sb = STRBUF_INIT;
	int bad;

	jsonw_tree(&sb, obj, 2);
	strbuf_addc(&sb, '\n');
	json_decref(obj);
	bad = fwrite(sb.buf, 1, sb.len, stdout) != sb.len || fflush(stdout) != 0;
	strbuf_release(&sb);
	if (bad) {
		diag_error("cannot write the JSON output to stdout");
		return XP_EXIT_SYSTEM;
	}
	return XP_EXIT_OK;
}

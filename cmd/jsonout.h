/*
 * jsonout.h — the --json output of the commands a script reads (verify, tags,
 * push, pull, copy, promote, gate): one JSON object on stdout, its first key
 * "schema" naming its shape and version, "https://xpship.dev/cli/<cmd>/v1"
 * (docs/json-output.md). A version's fields are only ever added, never renamed
 * or removed; a change that would break a reader gets a new version.
 */
#ifndef XPSHIP_CMD_JSONOUT_H
#define XPSHIP_CMD_JSONOUT_H

#include <jansson.h>

#include "packager/sign.h"

#define JSONOUT_SCHEMA_BASE "https://xpship.dev/cli/"
#define JSONOUT_VERSION "v1"

/* The option value of --json, declared once: JSONOUT_OPTION in a command's
 * option table. */
#define JSONOUT_VAL 1200
#define JSONOUT_OPTION \
	{"json", 0, NULL, JSONOUT_VAL, \
	 "print the result as one JSON object on stdout\n" \
	 "(shape: docs/json-output.md)"}

/* A new output object {"schema": ".../<cmd>/v1"} (caller owns it). */
json_t *jsonout_new(const char *cmd);
/* A JSON string, or null for NULL (a new reference). */
json_t *jsonout_str(const char *s);
/* A verification's checks: [{"name", "status": ok|failed|skipped, "detail"}]. */
json_t *jsonout_checks(const struct verify_report *r);
/* Print `obj` on stdout (two-space indent, a final newline) and release it.
 * 0, or 4 (XP_EXIT_SYSTEM) after reporting when stdout cannot be written. */
int jsonout_print(json_t *obj);

#endif

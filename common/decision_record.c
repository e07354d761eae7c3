/*
 * decision_record.c — reading the gate decision record's keys (see
 * decision_record.h).
 */
#include "common/decision_record.h"

#include <string.h>

const char *decision_verdict(const json_t *root)
{
	const char *v = json_string_value(json_object_get(root, DECISION_KEY_VERDICT));

	if (!json_is_object(root) || !v || !decision_verdict_valid(v))
		return NULL;
	return v;
}

int decision_verdict_valid(const char *v)
{
	return v && (strcmp(v, DECISION_PASS) == 0 || strcmp(v, DECISION_FAIL) == 0 ||
		     strcmp(v, DECISION_PASS_WITH_WAIVERS) == 0);
}

void decision_policy(const json_t *root, const char **digest, const char **path)
{
	const json_t *pol = json_object_get(root, DECISION_KEY_POLICY);

	*digest = json_string_value(json_object_get(pol, DECISION_KEY_DIGEST));
	*path = json_string_value(json_object_get(pol, DECISION_KEY_PATH));
}

int decision_champion(const json_t *root, const char **ref, const char **digest)
{
	const json_t *c = json_object_get(root, DECISION_KEY_CHAMPION);
	const json_t *d = json_object_get(c, DECISION_KEY_DIGEST);

	if (!json_is_object(c) || !(json_is_string(d) || json_is_null(d)))
		return 0;
	if (ref)
		*ref = json_string_value(json_object_get(c, DECISION_KEY_REFERENCE));
	*digest = json_string_value(d);
	return 1;
}

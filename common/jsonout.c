/*
 * jsonout.c — jansson output with short exact numbers (jsonout.h).
 */
#include "common/jsonout.h"

#include <stdio.h>
#include <stdlib.h>

/* 1 when every real in j prints back to itself with 15 significant digits. */
static int reals_short(const json_t *j)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_real(j)) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%.15g", json_real_value(j));
		return strtod(buf, NULL) == json_real_value(j);
	}
	if (json_is_array(j)) {
		json_array_foreach((json_t *)j, i, v)
			if (!reals_short(v))
				return 0;
	}
	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, key, v)
			if (!reals_short(v))
				return 0;
	}
	return 1;
}

char *json_dumps_exact(const json_t *j, size_t flags)
{
	char *s = json_dumps(j, flags | JSON_REAL_PRECISION(reals_short(j) ? 15 : 17));

	if (!s)
		abort();
	return s;
}

char *xp_num_format(double v, char *buf)
{
	int p;

	for (p = 6; p <= 17; p++) {
		snprintf(buf, XP_NUM_SIZE, "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

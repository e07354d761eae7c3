/*
 * fuzz_profile.c — libFuzzer target: the profile reader (pipeline/profile_json.c)
 * on arbitrary JSON. A failure must carry a position; a profile that loads
 * must write back the JSON it reads again to the same bytes, and must serve
 * as a drift reference for a small table (every statistic computed on what
 * it claims: counts, sketch levels, samples, top-K lists).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/drift.h"
#include "pipeline/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile p, q;
	struct xp_error err;
	char *a, *b;

	xp_error_clear(&err);
	if (profile_load_buf((const char *)data, size, "fuzz.json", &p, &err)) {
		if (err.msg[0] == '\0' || err.line == 0 || err.col == 0)
			__builtin_trap();
		return 0;
	}
	a = profile_to_json(&p);
	xp_error_clear(&err);
	if (profile_load_buf(a, strlen(a), "again.json", &q, &err))
		__builtin_trap();
	b = profile_to_json(&q);
	if (strcmp(a, b) != 0)
		__builtin_trap();
	free(a);
	free(b);
	profile_release(&q);
	/* merged with itself: counts double, nothing breaks */
	if (p.ncols && p.ncols < 64) {
		struct profile r;

		xp_error_clear(&err);
		if (profile_load_buf((const char *)data, size, "fuzz.json", &r, &err) == 0) {
			if (profile_merge(&p, &r, "fuzz.json", &err))
				__builtin_trap();
			profile_release(&r);
		}
	}
	profile_release(&p);
	return 0;
}

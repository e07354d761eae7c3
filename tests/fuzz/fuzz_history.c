/*
 * fuzz_history.c — libFuzzer target: what `history` takes from a registry's
 * annotations (packager/history_format.c, history.c, common/timeutil.c). The
 * input is split at NUL bytes into a metrics value, a parameters value, a
 * created time and a tag; one release made of them is written in every
 * format (which must not crash and must produce text), its metrics are read
 * back, and the time is parsed: a parsed time, written out again, parses to
 * the same second.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/timeutil.h"
#include "packager/history_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = xmalloc(size + 1), *part[4] = {NULL};
	char *metrics[] = {"accuracy", "a.b", ""}, *t = copy;
	struct history h;
	enum history_format f;
	char back[XP_TIME_SIZE];
	long long secs;
	double v;
	size_t i;

	memcpy(copy, data, size);
	copy[size] = '\0';
	for (i = 0; i < 4; i++) {
		part[i] = t;
		t += strlen(t);
		if ((size_t)(t - copy) < size)
			t++;
	}
	memset(&h, 0, sizeof(h));
	h.tag = xstrdup("prod");
	h.n = 1;
	h.v = xcalloc(1, sizeof(*h.v));
	h.v[0].tag = xstrdup(*part[3] ? part[3] : "t");
	h.v[0].metrics = xstrdup(part[0]);
	h.v[0].parameters = xstrdup(part[1]);
	h.v[0].created = xstrdup(part[2]);
	h.v[0].objective = xstrdup("accuracy");
	for (f = HISTORY_TABLE; f <= HISTORY_HTML; f++) {
		char *out = history_format(&h, "r", f, metrics, 3);

		if (!out)
			__builtin_trap();
		free(out);
	}
	(void)history_metric(&h.v[0], "accuracy", &v);
	if (xp_time_parse(part[2], &secs) == 0 && secs >= 0 && secs <= XP_EPOCH_MAX) {
		long long again;

		/* what was parsed writes as a time that parses to the same second */
		xp_time_format(secs, back);
		if (xp_time_parse(back, &again) != 0 || again != secs)
			__builtin_trap();
	}
	history_release(&h);
	free(copy);
	return 0;
}

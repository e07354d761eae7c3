/*
 * suggest.c — edit distance and closest-candidate lookup (see suggest.h).
 */
#include "common/suggest.h"
#include "common/strbuf.h"

#include <stdlib.h>
#include <string.h>

#define MAXLEN 256

size_t suggest_distance(const char *a, const char *b)
{
	size_t n = strnlen(a, MAXLEN), m = strnlen(b, MAXLEN), i, j, d;
	size_t *prev2 = xcalloc(m + 1, sizeof(size_t));
	size_t *prev = xcalloc(m + 1, sizeof(size_t));
	size_t *cur = xcalloc(m + 1, sizeof(size_t));

	for (j = 0; j <= m; j++)
		prev[j] = j;
	for (i = 1; i <= n; i++) {
		size_t *t;

		cur[0] = i;
		for (j = 1; j <= m; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = prev[j] + 1;

			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (prev[j - 1] + cost < best)
				best = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	d = prev[m];
	free(prev2);
	free(prev);
	free(cur);
	return d;
}

const char *suggest_closest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, i, wlen = strlen(word);
	size_t limit = wlen / 3 > 1 ? wlen / 3 : 1;

	for (i = 0; n == (size_t)-1 ? cands[i] != NULL : i < n; i++) {
		size_t d = suggest_distance(word, cands[i]);

		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	if (best && bestd <= limit)
		return best;
	/* a unique prefix of three or more characters is a plain typo too */
	if (wlen >= 3) {
		const char *pref = NULL;

		for (i = 0; n == (size_t)-1 ? cands[i] != NULL : i < n; i++) {
			if (strncmp(cands[i], word, wlen) == 0) {
				if (pref)
					return NULL;
				pref = cands[i];
			}
		}
		return pref;
	}
	return NULL;
}

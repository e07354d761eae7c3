/*
 * best.c — the best recorded run across releases (best.h).
 */
#include "packager/best.h"

#include "common/jsonout.h"
#include "common/strbuf.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void best_result_release(struct best_result *b)
{
	free(b->tag);
	free(b->experiment_id);
	free(b->parameters);
	free(b->metrics);
	memset(b, 0, sizeof(*b));
}

/* 1 when parameter NAME of `params` equals VALUE ("NAME=VALUE"). */
static int where_holds(json_t *params, const char *w)
{
	const char *eq = strchr(w, '=');
	char *name, *end;
	json_t *v;
	double num;
	int ok;

	if (!eq)
		return 0;
	name = xstrndup(w, (size_t)(eq - w));
	v = json_object_get(params, name);
	free(name);
	num = strtod(eq + 1, &end);
	if (json_is_number(v))
		ok = *end == '\0' && end != eq + 1 && json_number_value(v) == num;
	else if (json_is_string(v))
		ok = strcmp(json_string_value(v), eq + 1) == 0;
	else if (json_is_boolean(v))
		ok = strcmp(eq + 1, json_is_true(v) ? "true" : "false") == 0;
	else
		ok = 0;
	return ok;
}

static int matches(const struct history_entry *r, const struct best_opts *o)
{
	json_t *p = r->parameters ? json_loads(r->parameters, 0, NULL) : NULL;
	size_t i;
	int ok = 1;

	for (i = 0; ok && i < o->n_where; i++)
		ok = where_holds(p, o->where[i]);
	json_decref(p);
	return ok;
}

static int lower_is_better(const struct history *h, const struct best_opts *o)
{
	size_t i;

	if (o->direction)
		return o->direction < 0;
	for (i = 0; i < h->n; i++)
		if (h->v[i].objective && strcmp(h->v[i].objective, o->metric) == 0)
			return h->v[i].objective_lower;
	return 0;
}

int best_find(struct store *s, const struct best_opts *o, struct best_result *out,
	      struct xp_error *err)
{
	struct history h = {0};
	const struct history_entry *best = NULL;
	double bv = 0, v;
	size_t i, n = 0;
	int lower;

	if (history_read(s, &o->history, &h, err))
		return -1;
	lower = lower_is_better(&h, o);
	for (i = 0; i < h.n; i++) {
		if (!history_metric(&h.v[i], o->metric, &v) || !matches(&h.v[i], o))
			continue;
		n++;
		if (!best || (lower ? v < bv : v > bv)) {
			best = &h.v[i];
			bv = v;
		}
	}
	if (!best) {
		history_release(&h);
		return xp_error_set(err, XP_ERR_NOT_FOUND, "no release of '%s' records '%s'%s",
				    store_name(s), o->metric, o->n_where ? " with those parameters" : "");
	}
	memset(out, 0, sizeof(*out));
	out->tag = xstrdup(best->tag);
	snprintf(out->digest, sizeof(out->digest), "%s", best->digest);
	out->experiment_id = best->experiment_id ? xstrdup(best->experiment_id) : NULL;
	out->value = bv;
	out->lower = lower;
	out->parameters = xstrdup(best->parameters ? best->parameters : "{}");
	out->metrics = xstrdup(best->metrics);
	out->considered = n;
	history_release(&h);
	return 0;
}

char *best_fragment(const struct best_result *b, const char *repository, const char *metric)
{
	json_t *p = json_loads(b->parameters, 0, NULL), *v = json_real(b->value);
	json_t *m = json_loads(b->metrics, 0, NULL);
	char *params = json_dumps_exact(p ? p : json_object(), JSON_COMPACT | JSON_SORT_KEYS);
	char *metrics = json_dumps_exact(m ? m : json_object(), JSON_COMPACT | JSON_SORT_KEYS);
	char *value = json_dumps_exact(v, JSON_ENCODE_ANY);
	char *out;

	out = xasprintf("# The best recorded run of %s by %s (%s is better):\n"
			"# release %s (%s), experiment %s, %s = %s.\n"
			"# Merge into the next experiment record as its starting point.\n"
			"runs:\n"
			"  - id: best-%s\n"
			"    parameters: %s\n"
			"    metrics: %s\n",
			repository, metric, b->lower ? "lower" : "higher", b->tag, b->digest,
			b->experiment_id ? b->experiment_id : "-", metric, value, b->tag, params,
			metrics);
	json_decref(p);
	json_decref(m);
	free(metrics);
	json_decref(v);
	free(params);
	free(value);
	return out;
}

/*
 * validate_refs.c — the reference and file passes of the record validator (see
 * validate.h): the selected run, the objective metric, parameters against the
 * search space, metrics sources, and every local file with its digest.
 *
 * Both passes look only at values the schema pass accepted (v_text and the node
 * types), so a value of the wrong type is reported once, by the schema pass.
 */
#include "pipeline/validate_impl.h"

#include "common/error.h"
#include "common/strbuf.h"
#include "pipeline/experiment_impl.h"
#include "pipeline/metrics.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct vrun {
	const struct doc_node *node, *id_node;
	const char *id, *status;     /* NULL when absent (status absent = completed) */
	struct metrics m;
	int loaded;                  /* metrics loaded without error */
};

static int is_map(const struct doc_node *n)
{
	return n && n->type == DOC_MAP;
}

static int is_seq(const struct doc_node *n)
{
	return n && n->type == DOC_SEQ;
}

static int completed(const struct vrun *r)
{
	return !r->status || strcmp(r->status, "completed") == 0;
}

/* stat a path named by node n; 0 when it exists, else a finding and -1. */
static int check_exists(struct vctx *c, const struct doc_node *n, const char *rel,
			const char *what, struct stat *st)
{
	char *path = v_resolve(c, rel);
	char q[256], q2[256];
	int ret = 0;

	if (stat(path, st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			if (strcmp(path, rel) != 0)
				v_add(c, FINDING_ERROR, R_MISSING_FILE, n,
				      "%s %s does not exist (looked for %s)", what,
				      v_quote(rel, q, sizeof(q)), v_quote(path, q2, sizeof(q2)));
			else
				v_add(c, FINDING_ERROR, R_MISSING_FILE, n, "%s %s does not exist",
				      what, v_quote(rel, q, sizeof(q)));
		} else {
			v_add(c, FINDING_ERROR, R_UNREADABLE, n, "cannot read %s: %s",
			      v_quote(path, q, sizeof(q)), strerror(errno));
			c->unreadable = 1;
		}
		ret = -1;
	}
	free(path);
	return ret;
}

/* ---- metrics ---------------------------------------------------------------- */

/* The metrics sources of one run; findings for what cannot be loaded. */
static void load_run_metrics(struct vctx *c, struct vrun *r)
{
	static const char *const fields[] = {"metrics_file", "mlflow_run"};
	const struct doc_node *inl = doc_get(r->node, "metrics");
	struct xp_error err;
	struct stat st;
	size_t i;
	char q[256];

	metrics_init(&r->m);
	if (inl && !is_map(inl) && !(inl->type == DOC_SCALAR && inl->kind == DOC_NULL))
		return; /* reported by the schema pass */
	if (c->o->no_files) {
		xp_error_clear(&err);
		if (!is_map(inl) || metrics_load_node(&r->m, c->d, inl, &err) == 0)
			r->loaded = !doc_get(r->node, "metrics_file") &&
				    !doc_get(r->node, "mlflow_run");
		else
			findings_add(c->f, FINDING_ERROR, R_BAD_METRICS, err.file, err.line,
				     err.col, "%s", err.msg);
		return;
	}
	for (i = 0; i < 2; i++) {
		const struct doc_node *v = doc_get(r->node, fields[i]);
		const char *rel = v_text(v);

		if (!v || (v->type == DOC_SCALAR && v->kind == DOC_NULL))
			continue;
		if (!rel || v->kind != DOC_STR)
			return;
		if (check_exists(c, v, rel, i == 0 ? "file" : "directory", &st))
			return;
		if (i == 0 ? !S_ISREG(st.st_mode) : !S_ISDIR(st.st_mode)) {
			v_add(c, FINDING_ERROR, R_NOT_A_FILE, v, "%s is not a %s",
			      v_quote(rel, q, sizeof(q)),
			      i == 0 ? "regular file" : "directory (an MLflow run)");
			return;
		}
	}
	xp_error_clear(&err);
	if (metrics_load_run(&r->m, c->d, r->node, c->base, &err) == 0) {
		r->loaded = 1;
		return;
	}
	if (err.cls == XP_ERR_LOCAL)
		c->unreadable = 1;
	if (err.line)
		findings_add(c->f, FINDING_ERROR,
			     err.cls == XP_ERR_LOCAL ? R_UNREADABLE : R_BAD_METRICS,
			     err.file, err.line, err.col, "%s", err.msg);
	else
		v_add(c, FINDING_ERROR, err.cls == XP_ERR_LOCAL ? R_UNREADABLE : R_BAD_METRICS,
		      doc_get(r->node, "mlflow_run") ? doc_get(r->node, "mlflow_run")
						     : r->id_node ? r->id_node : r->node,
		      "%s", err.msg);
}

static void objective_in_runs(struct vctx *c, struct vrun *runs, size_t n,
			      const struct vrun *sel, const char *metric)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		struct vrun *r = &runs[i];
		const struct doc_node *at = doc_get(r->node, "metrics");
		const char **keys, *best;
		int is_sel = r == sel;

		if (!r->loaded || (!is_sel && !completed(r)) || metrics_get(&r->m, metric))
			continue;
		keys = xcalloc(r->m.n + 1, sizeof(*keys));
		for (j = 0; j < r->m.n; j++)
			keys[j] = r->m.items[j].key;
		best = v_suggest(metric, keys, r->m.n);
		v_add(c, is_sel ? FINDING_ERROR : FINDING_WARNING, R_MISSING_METRIC,
		      at ? at : r->id_node ? r->id_node : r->node,
		      "objective metric '%s' is not among the metrics of %srun '%s'%s%s%s", metric,
		      is_sel ? "selected " : "", r->id ? r->id : "?",
		      best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
		free(keys);
	}
}

static void selected_is_best(struct vctx *c, struct vrun *runs, size_t n,
			     const struct vrun *sel, const struct doc_node *sel_node,
			     const char *metric, const char *direction)
{
	const struct metric *sv = sel->loaded ? metrics_get(&sel->m, metric) : NULL;
	const struct vrun *best = NULL;
	const struct metric *bv = NULL;
	int maximize = strcmp(direction, "maximize") == 0;
	char a[METRICS_NUMBER_MAX], b[METRICS_NUMBER_MAX];
	size_t i;

	if (!sv)
		return;
	for (i = 0; i < n; i++) {
		const struct metric *v = runs[i].loaded && completed(&runs[i])
					 ? metrics_get(&runs[i].m, metric) : NULL;

		if (v && (!bv || (maximize ? v->value > bv->value : v->value < bv->value))) {
			bv = v;
			best = &runs[i];
		}
	}
	if (!bv || (maximize ? sv->value >= bv->value : sv->value <= bv->value))
		return;
	metrics_format_number(bv->value, a);
	metrics_format_number(sv->value, b);
	v_add(c, FINDING_WARNING, R_NOT_BEST, sel_node,
	      "selected run '%s' is not the best by '%s' (%s): run '%s' has %s, '%s' has %s",
	      sel->id, metric, direction, best->id ? best->id : "?", a, sel->id, b);
}

/* ---- parameters against the space -------------------------------------------- */

static int scalar_equal(const struct doc_node *a, const struct doc_node *b)
{
	double x, y;

	if (a->type != DOC_SCALAR || b->type != DOC_SCALAR)
		return 0;
	if (doc_number(a, &x) == 0 && doc_number(b, &y) == 0)
		return x == y;
	if (a->kind == DOC_BOOL && b->kind == DOC_BOOL)
		return (a->str[0] == 't' || a->str[0] == 'T') == (b->str[0] == 't' || b->str[0] == 'T');
	return a->kind == b->kind && a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static void enum_list(struct strbuf *sb, const struct doc_node *e)
{
	size_t i;

	strbuf_addc(sb, '[');
	for (i = 0; i < e->n && i < 10; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "",
			    e->items[i]->type == DOC_SCALAR ? e->items[i]->str : "...");
	strbuf_adds(sb, i < e->n ? ", ...]" : "]");
}

static void param_in_space(struct vctx *c, const struct vrun *r, const char *name,
			   const struct doc_node *v, const struct doc_node *spec)
{
	const struct doc_node *range = doc_get(spec, "range"), *en = doc_get(spec, "enum");
	const char *rid = r->id ? r->id : "?";
	char d[320];
	double x, lo, hi;
	size_t i;

	if (is_seq(range) && range->n == 2 && doc_number(range->items[0], &lo) == 0 &&
	    doc_number(range->items[1], &hi) == 0 && lo <= hi && !doc_get(spec, "enum")) {
		if (doc_number(v, &x))
			v_add(c, FINDING_ERROR, R_OUT_OF_SPACE, v,
			      "parameter '%s' of run '%s' must be a number in [%s, %s], found %s",
			      name, rid, range->items[0]->str, range->items[1]->str,
			      v_describe(v, d, sizeof(d)));
		else if (x < lo || x > hi)
			v_add(c, FINDING_ERROR, R_OUT_OF_SPACE, v,
			      "parameter '%s' of run '%s' = %s is outside the range [%s, %s]", name,
			      rid, v->str, range->items[0]->str, range->items[1]->str);
	} else if (is_seq(en) && en->n && !range) {
		struct strbuf list = STRBUF_INIT;

		for (i = 0; i < en->n; i++)
			if (scalar_equal(v, en->items[i]))
				return;
		enum_list(&list, en);
		v_add(c, FINDING_ERROR, R_OUT_OF_SPACE, v,
		      "parameter '%s' of run '%s' = %s is not one of %s", name, rid,
		      v->type == DOC_SCALAR ? v->str : doc_type_name(v), list.buf);
		strbuf_release(&list);
	}
}

static void params_in_space(struct vctx *c, const struct vrun *r, const struct doc_node *space)
{
	const struct doc_node *params = doc_get(r->node, "parameters");
	const char **names = xcalloc(space->n + 1, sizeof(*names));
	const char *rid = r->id ? r->id : "?";
	struct strbuf missing = STRBUF_INIT;
	size_t i, n_missing = 0;

	for (i = 0; i < space->n; i++)
		names[i] = space->pairs[i].key->str;
	for (i = 0; is_map(params) && i < params->n; i++) {
		const struct doc_node *k = params->pairs[i].key, *spec = doc_get(space, k->str);
		const char *best;

		if (strncmp(k->str, "x-", 2) == 0)
			continue;
		if (spec) {
			if (is_map(spec))
				param_in_space(c, r, k->str, params->pairs[i].value, spec);
			continue;
		}
		best = v_suggest(k->str, names, space->n);
		v_add(c, FINDING_ERROR, R_UNKNOWN_PARAM, k,
		      "run '%s' sets parameter '%s', which the search space does not declare%s%s%s",
		      rid, k->str, best ? " (did you mean '" : "", best ? best : "",
		      best ? "'?)" : "");
	}
	if (params && !is_map(params) && !(params->type == DOC_SCALAR && params->kind == DOC_NULL))
		goto out; /* reported by the schema pass */
	for (i = 0; i < space->n; i++) {
		if (doc_get(params, names[i]))
			continue;
		strbuf_addf(&missing, "%s'%s'", missing.len ? ", " : "", names[i]);
		n_missing++;
	}
	if (n_missing)
		v_add(c, FINDING_WARNING, R_MISSING_PARAM,
		      params ? params : r->id_node ? r->id_node : r->node,
		      "run '%s' does not set %s %s of the search space", rid,
		      n_missing == 1 ? "parameter" : "parameters", missing.buf);
out:
	strbuf_release(&missing);
	free(names);
}

static void run_count(struct vctx *c, const struct doc_node *space, size_t n)
{
	const struct doc_node *planned = doc_get(space, "runs"), *strat = doc_get(space, "strategy");
	double x;

	if (planned && planned->type == DOC_SCALAR && planned->kind == DOC_INT &&
	    doc_number(planned, &x) == 0 && x >= 1 && (double)n > x)
		v_add(c, FINDING_WARNING, R_RUN_COUNT, planned,
		      "'space.runs' plans %s run%s but the record has %zu", planned->str,
		      x == 1 ? "" : "s", n);
	else if (!planned && v_text(strat) && strcmp(strat->str, "single") == 0 && n > 1)
		v_add(c, FINDING_WARNING, R_RUN_COUNT, strat,
		      "strategy 'single' plans one run but the record has %zu", n);
}

void v_references(struct vctx *c)
{
	const struct doc_node *root = c->d->root, *runs = doc_get(root, "runs");
	const struct doc_node *sel = doc_get(root, "selected"), *obj = doc_get(root, "objective");
	const struct doc_node *space = doc_get(root, "space"), *sp = doc_get(space, "parameters");
	const char *sel_id = v_text(sel), *metric = v_text(doc_get(obj, "metric"));
	const char *direction = v_text(doc_get(obj, "direction"));
	struct vrun *rs = NULL, *selr = NULL;
	size_t i, n = 0;

	if (is_seq(runs)) {
		rs = xcalloc(runs->n + 1, sizeof(*rs));
		for (i = 0; i < runs->n; i++) {
			struct vrun *r = &rs[n];
			const struct doc_node *st;

			if (!is_map(runs->items[i]))
				continue;
			r->node = runs->items[i];
			r->id_node = doc_get(r->node, "id");
			r->id = v_text(r->id_node);
			st = doc_get(r->node, "status");
			r->status = st && st->type == DOC_SCALAR && st->kind == DOC_STR ? st->str : NULL;
			if (!selr && sel_id && r->id && strcmp(r->id, sel_id) == 0)
				selr = r;
			n++;
		}
	}
	if (sel_id && is_seq(runs) && !selr) {
		const char **ids = xcalloc(n + 1, sizeof(*ids));
		const char *best;
		size_t k = 0;

		for (i = 0; i < n; i++)
			if (rs[i].id)
				ids[k++] = rs[i].id;
		best = v_suggest(sel_id, ids, k);
		v_add(c, FINDING_ERROR, R_UNKNOWN_RUN, sel,
		      "selected run '%s' is not among the record's runs%s%s%s", sel_id,
		      best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
		free(ids);
	}
	if (selr && selr->status && strcmp(selr->status, "failed") == 0)
		v_add(c, FINDING_ERROR, R_RUN_STATUS, doc_get(selr->node, "status"),
		      "selected run '%s' has status 'failed'", selr->id);
	else if (selr && selr->status && strcmp(selr->status, "running") == 0)
		v_add(c, FINDING_WARNING, R_RUN_STATUS, doc_get(selr->node, "status"),
		      "selected run '%s' is still running", selr->id);
	for (i = 0; i < n; i++) {
		load_run_metrics(c, &rs[i]);
		if (is_map(sp))
			params_in_space(c, &rs[i], sp);
	}
	if (metric) {
		objective_in_runs(c, rs, n, selr, metric);
		if (selr && direction &&
		    (strcmp(direction, "maximize") == 0 || strcmp(direction, "minimize") == 0))
			selected_is_best(c, rs, n, selr, sel, metric, direction);
	}
	if (is_map(space) && is_seq(runs))
		run_count(c, space, runs->n);
	for (i = 0; i < n; i++)
		metrics_release(&rs[i].m);
	free(rs);
}

/* ---- files -------------------------------------------------------------------- */

static int hash_once(struct vctx *c, const char *path, const char **out, struct xp_error *err)
{
	size_t i;

	for (i = 0; i < c->n_hashes; i++)
		if (strcmp(c->hashes[i].path, path) == 0) {
			*out = c->hashes[i].digest;
			return 0;
		}
	c->hashes = xrealloc(c->hashes, (c->n_hashes + 1) * sizeof(*c->hashes));
	if (digest_file(path, c->hashes[c->n_hashes].digest, NULL, err))
		return -1;
	c->hashes[c->n_hashes].path = xstrdup(path);
	*out = c->hashes[c->n_hashes++].digest;
	return 0;
}

/* One {path, digest} pair of the record. */
static void check_file(struct vctx *c, const struct doc_node *entry)
{
	const struct doc_node *pn = doc_get(entry, "path"), *dn = doc_get(entry, "digest");
	const char *rel = v_text(pn), *want = v_text(dn), *have;
	struct xp_error err;
	struct stat st;
	char q[256];
	char *path;

	if (!rel || pn->kind != DOC_STR || check_exists(c, pn, rel, "file", &st))
		return;
	if (!S_ISREG(st.st_mode)) {
		v_add(c, FINDING_ERROR, R_NOT_A_FILE, pn, "%s is not a regular file",
		      v_quote(rel, q, sizeof(q)));
		return;
	}
	if (c->o->no_digest_check || !want || !digest_valid(want))
		return;
	path = v_resolve(c, rel);
	xp_error_clear(&err);
	if (hash_once(c, path, &have, &err)) {
		v_add(c, FINDING_ERROR, R_UNREADABLE, pn, "%s", err.msg);
		c->unreadable = 1;
	} else if (strcmp(have, want) != 0) {
		v_add(c, FINDING_ERROR, R_DIGEST_MISMATCH, dn,
		      "digest mismatch for %s: the file has %s", v_quote(rel, q, sizeof(q)), have);
	}
	free(path);
}

static void check_file_list(struct vctx *c, const struct doc_node *seq)
{
	size_t i;

	for (i = 0; is_seq(seq) && i < seq->n; i++)
		if (is_map(seq->items[i]))
			check_file(c, seq->items[i]);
}

void v_files(struct vctx *c)
{
	const struct doc_node *root = c->d->root, *runs = doc_get(root, "runs");
	const struct doc_node *lock = doc_get(doc_get(root, "environment"), "lockfile");
	size_t i;

	if (is_map(lock))
		check_file(c, lock);
	check_file_list(c, doc_get(root, "data"));
	for (i = 0; is_seq(runs) && i < runs->n; i++)
		if (is_map(runs->items[i]))
			check_file_list(c, doc_get(runs->items[i], "artifacts"));
	check_file_list(c, doc_get(doc_get(root, "model"), "files"));
}

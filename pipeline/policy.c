/*
 * policy.c — loading and checking gate policies (see policy.h).
 *
 * The file is read once: its bytes are hashed for the decision record and
 * parsed by common/doc (positions, duplicate keys). Every key is checked against
 * the fixed vocabulary, so a typo is an error with a suggestion rather than a
 * silently ignored rule.
 */
#include "pipeline/policy.h"

#include "common/doc.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "common/suggest.h"
#include "pipeline/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLICY_MAX_FILE (16u * 1024 * 1024)

static const char *const check_names[POLICY_N_CHECKS + 1] = {
	"min", "max", "min_abs_change", "min_rel_change", "max_abs_regression",
	"max_rel_regression", NULL,
};

static const char *const top_keys[] = {"version", "on_missing_baseline", "rules", NULL};
static const char *const rule_keys[] = {
	"metric", "direction", "severity", "min", "max", "min_abs_change", "min_rel_change",
	"max_abs_regression", "max_rel_regression", NULL,
};
static const char *const directions[] = {"higher", "lower", NULL};
static const char *const severities[] = {"error", "warning", NULL};
static const char *const missing_modes[] = {"skip", "fail", NULL};

const char *policy_check_name(enum policy_check_kind k)
{
	return (unsigned)k < POLICY_N_CHECKS ? check_names[k] : "?";
}

int policy_check_needs_baseline(enum policy_check_kind k)
{
	return k != POLICY_MIN && k != POLICY_MAX;
}

int policy_check_is_relative(enum policy_check_kind k)
{
	return k == POLICY_MIN_REL_CHANGE || k == POLICY_MAX_REL_REGRESSION;
}

void policy_release(struct policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n_rules; i++)
		free(p->rules[i].metric);
	free(p->rules);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

struct loader {
	const struct doc *d;
	struct xp_error *err;      /* the error being built */
	struct xp_error first;     /* the first error reported */
	struct strbuf more;        /* the others, one "\n  FILE:L:C: msg" each */
	unsigned n_errors;
};

/* Keep the error just made and go on: every rule is checked, so a policy's
 * errors are reported at once (as validate reports a record's). */
static void collect(struct loader *l)
{
	if (l->n_errors++ == 0)
		l->first = *l->err;
	else
		strbuf_addf(&l->more, "\n  %s:%u:%u: %s", l->err->file, l->err->line,
			    l->err->col, l->err->msg);
	xp_error_clear(l->err);
}

static int fail_at(struct loader *l, const struct doc_node *n, const char *fmt,
		   const char *a, const char *b)
{
	return xp_error_at(l->err, XP_ERR_MALFORMED, l->d->name, n ? n->line : 1,
			   n ? n->col : 1, fmt, a, b);
}

static int lookup(const char *s, const char *const *list)
{
	int i;

	for (i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return i;
	return -1;
}

/* Every key of map must be in `allowed`; `what` names the place ("key",
 * "rule key"). */
static int check_keys(struct loader *l, const struct doc_node *map,
		      const char *const *allowed, const char *what)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < map->n; i++) {
		const struct doc_node *k = map->pairs[i].key;
		const char *best;
		char hint[160] = "";

		if (lookup(k->str, allowed) >= 0)
			continue;
		if (bad++)
			collect(l);
		best = suggest_closest(k->str, allowed, (size_t)-1);
		if (strcmp(k->str, "threshold") == 0 && strcmp(what, "rule key") == 0)
			snprintf(hint, sizeof(hint), " (MLflow's threshold is written min or max here, "
				 "its min_absolute_change min_abs_change; see docs/gate.md)");
		else if (best)
			snprintf(hint, sizeof(hint), " (did you mean '%s'?)", best);
		xp_error_at(l->err, XP_ERR_MALFORMED, l->d->name, k->line, k->col,
			    "unknown %s '%s'%s", what, k->str, hint);
	}
	return bad ? -1 : 0;
}

/* A string value from a fixed list; returns its index or -1 with the error. */
static int choice(struct loader *l, const struct doc_node *v, const char *key,
		  const char *const *list)
{
	const char *best;
	struct strbuf sb = STRBUF_INIT;
	int i;

	if (doc_is_string(v) && (i = lookup(v->str, list)) >= 0)
		return i;
	if (!doc_is_string(v)) {
		strbuf_addf(&sb, "'%s' must be one of", key);
		for (i = 0; list[i]; i++)
			strbuf_addf(&sb, "%s %s", i ? "," : "", list[i]);
		strbuf_addf(&sb, ", found %s", doc_type_name(v));
	} else {
		strbuf_addf(&sb, "invalid %s '%s'", key, v->str);
		best = suggest_closest(v->str, list, (size_t)-1);
		if (best) {
			strbuf_addf(&sb, " (did you mean '%s'?)", best);
		} else {
			strbuf_adds(&sb, ": expected");
			for (i = 0; list[i]; i++)
				strbuf_addf(&sb, "%s %s", i ? (list[i + 1] ? "," : " or") : "",
					    list[i]);
		}
	}
	xp_error_at(l->err, XP_ERR_MALFORMED, l->d->name, v->line, v->col, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

static int number(struct loader *l, const struct doc_node *v, const char *key, double *out)
{
	if (doc_number(v, out) == 0)
		return 0;
	if (v->type == DOC_SCALAR && (v->kind == DOC_INT || v->kind == DOC_FLOAT))
		return fail_at(l, v, "'%s' must be a finite number, found %s", key, v->str);
	if (v->type == DOC_SCALAR && v->kind != DOC_NULL)
		return xp_error_at(l->err, XP_ERR_MALFORMED, l->d->name, v->line, v->col,
				   "'%s' must be a number, found %s '%s'", key,
				   doc_type_name(v), v->str);
	return fail_at(l, v, "'%s' must be a number, found %s", key, doc_type_name(v));
}

static int load_rule(struct loader *l, const struct doc_node *n, struct policy_rule *r)
{
	const struct doc_node *metric, *v;
	const struct policy_check *cmin = NULL, *cmax = NULL;
	size_t i;
	int c;

	if (n->type != DOC_MAP)
		return fail_at(l, n, "a rule must be a mapping, found %s", doc_type_name(n), "");
	if (check_keys(l, n, rule_keys, "rule key"))
		return -1;
	r->line = n->line;
	r->col = n->col;
	metric = doc_get(n, "metric");
	if (!metric)
		return fail_at(l, n, "rule has no 'metric'%s%s", "", "");
	if (!doc_is_string(metric) || metric->len == 0 || strlen(metric->str) != metric->len)
		return fail_at(l, metric, "'metric' must be a metric name, found %s",
			       doc_type_name(metric), "");
	if ((v = doc_get(n, "direction"))) {
		if ((c = choice(l, v, "direction", directions)) < 0)
			return -1;
		r->lower_is_better = c == 1;
	}
	if ((v = doc_get(n, "severity"))) {
		if ((c = choice(l, v, "severity", severities)) < 0)
			return -1;
		r->warning = c == 1;
	}
	for (i = 0; i < n->n; i++) {
		const struct doc_node *k = n->pairs[i].key;
		struct policy_check *ck;

		if ((c = lookup(k->str, check_names)) < 0)
			continue;
		ck = &r->checks[r->n_checks++];
		ck->kind = (enum policy_check_kind)c;
		ck->line = k->line;
		ck->col = k->col;
		if (number(l, n->pairs[i].value, k->str, &ck->threshold))
			return -1;
		if ((ck->kind == POLICY_MAX_ABS_REGRESSION ||
		     ck->kind == POLICY_MAX_REL_REGRESSION) && ck->threshold < 0)
			return fail_at(l, n->pairs[i].value,
				       "'%s' must not be negative (use %s to require an improvement)",
				       k->str, ck->kind == POLICY_MAX_ABS_REGRESSION
						       ? "min_abs_change" : "min_rel_change");
		if (ck->kind == POLICY_MIN)
			cmin = ck;
		if (ck->kind == POLICY_MAX)
			cmax = ck;
	}
	if (r->n_checks == 0)
		return fail_at(l, metric,
			       "rule for '%s' has no check (min, max, min_abs_change, "
			       "min_rel_change, max_abs_regression or max_rel_regression)%s",
			       metric->str, "");
	if (cmin && cmax && cmin->threshold > cmax->threshold) {
		char a[METRICS_NUMBER_MAX], b[METRICS_NUMBER_MAX];

		metrics_format_number(cmin->threshold, a);
		metrics_format_number(cmax->threshold, b);
		return xp_error_at(l->err, XP_ERR_MALFORMED, l->d->name, cmin->line, cmin->col,
				   "rule for '%s': min %s is above max %s", metric->str, a, b);
	}
	r->metric = xstrdup(metric->str);
	return 0;
}

static int load_doc(struct loader *l, struct policy *p)
{
	const struct doc_node *root = l->d->root, *v, *rules;
	double version;
	size_t i;
	int c;

	if (!root || root->type != DOC_MAP)
		return fail_at(l, root, "expected a gate policy (a mapping), found %s",
			       doc_type_name(root), "");
	if (check_keys(l, root, top_keys, "key"))
		collect(l);
	v = doc_get(root, "version");
	if (!v) {
		fail_at(l, root, "policy has no 'version' (expected 1)%s%s", "", "");
		collect(l);
	} else if (doc_number(v, &version) || version != 1) {
		fail_at(l, v, "unsupported policy version '%s' (expected 1)", v->str
			? v->str : doc_type_name(v), "");
		collect(l);
	}
	if ((v = doc_get(root, "on_missing_baseline"))) {
		if ((c = choice(l, v, "on_missing_baseline", missing_modes)) < 0)
			collect(l);
		p->missing_baseline_fails = c == 1;
	}
	rules = doc_get(root, "rules");
	if (!rules)
		return fail_at(l, root, "policy has no 'rules'%s%s", "", "");
	if (rules->type != DOC_SEQ)
		return fail_at(l, rules, "'rules' must be a list of rules, found %s",
			       doc_type_name(rules), "");
	if (rules->n == 0)
		return fail_at(l, rules, "'rules' is empty: a gate without rules would pass "
			       "anything%s%s", "", "");
	p->rules = xcalloc(rules->n, sizeof(*p->rules));
	for (i = 0; i < rules->n; i++) {
		if (load_rule(l, rules->items[i], &p->rules[p->n_rules])) {
			free(p->rules[p->n_rules].metric);
			memset(&p->rules[p->n_rules], 0, sizeof(p->rules[0]));
			collect(l);
			continue;
		}
		p->n_rules++;
	}
	return l->n_errors ? -1 : 0;
}

int policy_load_buf(const char *buf, size_t len, const char *name, struct policy *out,
		    struct xp_error *err)
{
	struct policy p;
	struct loader l;
	struct doc *d = NULL;

	memset(&p, 0, sizeof(p));
	if (doc_load_buf(buf, len, name, DOC_AUTO, &d, err))
		return -1;
	memset(&l, 0, sizeof(l));
	l.d = d;
	l.err = err;
	strbuf_init(&l.more);
	if (load_doc(&l, &p) && err->cls != XP_ERR_NONE)
		collect(&l);   /* the error that stopped it */
	if (l.n_errors) {
		{
			*err = l.first;
			if (l.more.len)
				xp_error_at(err, l.first.cls, l.first.file, l.first.line, l.first.col,
					    "%s%s", l.first.msg, l.more.buf);
		}
		strbuf_release(&l.more);
		policy_release(&p);
		doc_free(d);
		return -1;
	}
	strbuf_release(&l.more);
	doc_free(d);
	digest_buf(buf, len, p.digest);
	p.path = xstrdup(name);
	*out = p;
	return 0;
}

int policy_load(const char *path, struct policy *out, struct xp_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (file_read_all(path, POLICY_MAX_FILE, &buf, &len, err))
		return -1;
	ret = policy_load_buf(buf, len, path, out, err);
	free(buf);
	return ret;
}

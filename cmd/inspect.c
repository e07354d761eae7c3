/*
 * inspect.c — `xpship inspect`: a bundle's tags, digests, layers, metadata and
 * metrics (packager/bundle.h: bundle_inspect), as text or JSON.
 */
#include "cmd/bundlearg.h"
#include "cmd/cmd.h"
#include "cmd/jsonout.h"
#include "cmd/regopts.h"
#include "common/strbuf.h"
#include "packager/bundle.h"
#include "pipeline/metrics.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"json", 0, NULL, 'j',
	 "one JSON object instead of text"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "inspect",
	.synopsis =
	"usage: xpship inspect [--json] [--plain-http] [--insecure] [--ca-file F] BUNDLE\n"
	"\n"
	"Show what BUNDLE (oci:DIR[:TAG], oci-archive:FILE[:TAG], a path, or\n"
	"HOST[:PORT]/REPO[:TAG|@DIGEST]) holds: the tags naming it, its manifest and\n"
	"config digests, its platform, each layer (digest, size, type, the file it\n"
	"holds), the metadata pack recorded (manifest annotations over config labels)\n"
	"and the candidate metrics (dev.xpship.metrics). Every manifest and config is\n"
	"checked against its digest; layers are not read.\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.registry_heading = "Registry options (BUNDLE a registry reference):",
	.notes =
	"Exit codes: 0 shown, 1 no such tag or digest mismatch, 2 usage, 3 malformed\n"
	"bundle, 4 local error, 5 registry error.\n",
};

/* The file a layer holds, as pack (or ModelPack, or ORAS) annotated it. */
static const char *layer_path(const struct oci_entry *l)
{
	static const char *const keys[] = {BUNDLE_ANN_LAYER_PATH, "org.cncf.model.filepath",
					   "org.opencontainers.image.title", NULL};
	const char *const *k;

	for (k = keys; *k; k++)
		if (oci_annots_get(&l->annotations, *k))
			return oci_annots_get(&l->annotations, *k);
	return NULL;
}

static const char *short_type(const char *mt)
{
	static const char *const prefixes[] = {"application/vnd.oci.image.layer.v1.",
		"application/vnd.cncf.model.", "application/vnd.docker.image.rootfs.", NULL};
	const char *const *p;

	for (p = prefixes; *p; p++)
		if (strncmp(mt, *p, strlen(*p)) == 0)
			return mt + strlen(*p);
	return mt;
}

static void human(char *buf, size_t n, int64_t v)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	double d = (double)v;
	int u = 0;

	while (d >= 1024 && u < 4) {
		d /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", d, units[u]);
}

/* The metrics annotation, parsed; NULL (with a warning) when absent or bad. */
static int load_metrics(const struct bundle_info *b, struct metrics *m)
{
	const char *j = oci_annots_get(&b->meta, BUNDLE_ANN_METRICS);
	struct xp_error err;

	metrics_init(m);
	if (!j)
		return 0;
	if (metrics_load_buf(m, j, strlen(j), BUNDLE_ANN_METRICS, &err)) {
		diag_at(DIAG_WARNING, err.file, err.line, err.col, "ignoring the bundle's metrics: %s",
			err.msg);
		return 0;
	}
	return 1;
}

static void print_text(const char *name, const struct bundle_info *b)
{
	const struct oci_manifest *m = &b->manifest;
	struct metrics mx;
	char sz[32];
	size_t i, w = 0;
	int64_t total = 0;

	printf("bundle    %s\n", name);
	printf("tags      ");
	for (i = 0; i < b->n_tags; i++)
		printf("%s%s", i ? ", " : "", b->tags[i]);
	printf("%s\n", b->n_tags ? "" : "(none)");
	printf("digest    %s\n", b->desc.digest);
	if (strcmp(b->desc.digest, b->manifest_desc.digest) != 0)
		printf("manifest  %s (from the index)\n", b->manifest_desc.digest);
	if (m->artifact_type)
		printf("type      %s\n", m->artifact_type);
	else if (b->config.os)
		printf("type      image %s/%s%s%s\n", b->config.os,
		       b->config.architecture ? b->config.architecture : "?",
		       b->config.variant ? "/" : "", b->config.variant ? b->config.variant : "");
	human(sz, sizeof(sz), m->config.desc.size);
	printf("config    %s %s (%s)\n", m->config.desc.digest, m->config.desc.media_type, sz);
	for (i = 0; i < m->n_layers; i++)
		total += m->layers[i].desc.size;
	human(sz, sizeof(sz), total);
	printf("layers    %zu, %s\n", m->n_layers, sz);
	for (i = 0; i < m->n_layers; i++) {
		const struct oci_entry *l = &m->layers[i];
		const char *path = layer_path(l);

		human(sz, sizeof(sz), l->desc.size);
		printf("  %s  %9s  %-20s  %s\n", l->desc.digest, sz, short_type(l->desc.media_type),
		       path ? path : "-");
	}
	for (i = 0; i < b->meta.n; i++)
		if (strlen(b->meta.v[i].key) > w && strcmp(b->meta.v[i].key, BUNDLE_ANN_METRICS))
			w = strlen(b->meta.v[i].key);
	if (b->meta.n)
		printf("metadata\n");
	for (i = 0; i < b->meta.n; i++)
		if (strcmp(b->meta.v[i].key, BUNDLE_ANN_METRICS))
			printf("  %-*s  %s\n", (int)w, b->meta.v[i].key, b->meta.v[i].value);
	if (load_metrics(b, &mx)) {
		for (i = 0, w = 0; i < mx.n; i++)
			if (strlen(mx.items[i].key) > w)
				w = strlen(mx.items[i].key);
		printf("metrics\n");
		for (i = 0; i < mx.n; i++) {
			char num[METRICS_NUMBER_MAX];

			metrics_format_number(mx.items[i].value, num);
			printf("  %-*s  %s\n", (int)w, mx.items[i].key, num);
		}
	}
	metrics_release(&mx);
}

static void set(json_t *o, const char *k, json_t *v)
{
	if (!v || json_object_set_new(o, k, v))
		abort();
}

static json_t *desc_json(const struct oci_desc *d)
{
	json_t *o = json_object();

	set(o, "mediaType", json_string(d->media_type));
	set(o, "digest", json_string(d->digest));
	set(o, "size", json_integer(d->size));
	return o;
}

static int print_json(const char *name, const struct bundle_info *b)
{
	const struct oci_manifest *m = &b->manifest;
	json_t *o = jsonout_new("inspect"), *a = json_array(), *meta = json_object();
	struct metrics mx;
	size_t i;

	set(o, "bundle", json_string(name));
	for (i = 0; i < b->n_tags; i++)
		json_array_append_new(a, json_string(b->tags[i]));
	set(o, "tags", a);
	set(o, "digest", json_string(b->desc.digest));
	set(o, "mediaType", json_string(b->desc.media_type));
	set(o, "manifest", desc_json(&b->manifest_desc));
	set(o, "artifactType", m->artifact_type ? json_string(m->artifact_type) : json_null());
	if (b->config.os) {
		json_t *p = json_object();

		set(p, "os", json_string(b->config.os));
		set(p, "architecture", json_string(b->config.architecture ? b->config.architecture : ""));
		if (b->config.variant)
			set(p, "variant", json_string(b->config.variant));
		set(o, "platform", p);
	} else {
		set(o, "platform", json_null());
	}
	set(o, "config", desc_json(&m->config.desc));
	a = json_array();
	for (i = 0; i < m->n_layers; i++) {
		json_t *l = desc_json(&m->layers[i].desc);
		const char *path = layer_path(&m->layers[i]);

		set(l, "path", path ? json_string(path) : json_null());
		json_array_append_new(a, l);
	}
	set(o, "layers", a);
	for (i = 0; i < b->meta.n; i++)
		set(meta, b->meta.v[i].key, json_string(b->meta.v[i].value));
	set(o, "metadata", meta);
	if (load_metrics(b, &mx)) {
		json_t *mo = json_object();

		/* reals written in their shortest exact form (jsonout_print) */
		for (i = 0; i < mx.n; i++)
			set(mo, mx.items[i].key, json_real(mx.items[i].value));
		set(o, "metrics", mo);
	} else {
		set(o, "metrics", json_null());
	}
	metrics_release(&mx);
	return jsonout_print(o);
}

int cmd_inspect(int argc, char **argv)
{
	struct store_opts sopts = {0};
	struct bundle_info b;
	struct store *s = NULL;
	struct oci_desc m = {0};
	struct xp_error err;
	int c, as_json = 0, ret;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, &sopts)) != -1) {
		if (c == CMD_OPT_HELP)
			return XP_EXIT_OK;
		if (c != 'j')
			return XP_EXIT_USAGE;
		as_json = 1;
	}
	if (argc - optind != 1)
		return cmd_usage_error("inspect", "expected one bundle");
	regopt_prepare();
	ret = bundlearg_open("inspect", argv[optind], &sopts, &s, &m);
	if (ret)
		return ret;
	if (bundle_inspect(s, &m, &b, &err)) {
		ret = cmd_fail(&err);
	} else {
		struct xp_ref bare = *store_ref(s);
		char *name;

		bare.tag = bare.digest = NULL;
		name = ref_format(&bare);
		ret = XP_EXIT_OK;
		if (as_json)
			ret = print_json(name, &b);
		else
			print_text(name, &b);
		free(name);
		bundle_info_release(&b);
	}
	oci_desc_release(&m);
	store_close(s);
	return ret;
}

/*
 * pack.c — `xpship pack`: pack model files into a deterministic OCI bundle.
 *
 * Parses the command line, turns the experiment and decision records into the
 * bundle metadata (pack_meta.c) and makes one call: pack_run (packager/pack.h).
 * stdout: the manifest digest.
 */
#include "cmd/cmd.h"
#include "common/timeutil.h"
#include "cmd/pack_meta.h"
#include "cmd/regopts.h"
#include "common/strbuf.h"
#include "packager/bundle.h"
#include "packager/pack.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"output", 'o', "OUT", 'o',
	 "an OCI image layout directory, or an oci-archive when\n"
	 "OUT ends in .tar (also oci:DIR, oci-archive:FILE);\n"
	 "created when missing, its other tags are kept"},
	{"tag", 't', "TAG", 't',
	 "the tag to set or move"},
	{"force", 'f', NULL, 'f',
	 "move TAG even when the bundle it names is signed or\n"
	 "attested (refused otherwise)"},
	{"experiment", 0, "FILE", 'E',
	 "experiment record: metadata annotations (model name,\n"
	 "version, code revision, experiment id, objective,\n"
	 "candidate metrics) and <prefix>/.xpship/experiment.yaml;\n"
	 "the files packed must be the record's model.files, with\n"
	 "their digests"},
	{"allow-unlisted", 0, NULL, 'U',
	 "with --experiment: also pack files model.files lacks"},
	{"decision", 0, "FILE", 'D',
	 "gate decision record: the verdict annotation and\n"
	 "<prefix>/.xpship/decision.json"},
	{"profile", 0, "FILE", 'R',
	 "data profile of the training data ('xpship profile'): a\n"
	 "layer of its own at <prefix>/.xpship/profile.json and the\n"
	 "dev.xpship.profile.digest annotation ('drift --reference')"},
	{"base", 0, "BUNDLE", 'B',
	 "append the model layers to this image (oci:DIR[:TAG],\n"
	 "oci-archive:FILE[:TAG] or a path), keeping its layers\n"
	 "and config (Env, Cmd, Entrypoint, WorkingDir)"},
	{"format", 0, "FORMAT", 'F',
	 "image (default) or modelpack (CNCF ModelPack)"},
	{"compression", 0, "C", 'C',
	 "none (default; weights do not compress), gzip or zstd"},
	{"prefix", 0, "DIR", 'P',
	 "where the inputs land (default /models)"},
	{"label", 0, "K=V", 'L',
	 "an extra annotation and config label (repeatable)"},
	{"platform", 0, "P", 'A',
	 "OS/ARCH[/VARIANT] of the image (default: the base's,\n"
	 "else linux/amd64)"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "pack",
	.synopsis =
	"usage: xpship pack -o OUT -t TAG [options] PATH...\n"
	"\n"
	"Pack model files into a deterministic OCI bundle: a FROM-scratch image of the\n"
	"model files (what Kubernetes image volumes and init containers consume), a\n"
	"serving image on top of --base, or a CNCF ModelPack artifact. Each PATH (file\n"
	"or directory) lands at <prefix>/<basename(PATH)>. Each file of 1 MiB or more\n"
	"gets a layer of its own, the small rest shares one layer, so a new version that\n"
	"changes a config file shares every weight blob with the old one. Packing the\n"
	"same inputs twice gives the same digest (entries sorted, mtime 0 or\n"
	"SOURCE_DATE_EPOCH, uid/gid 0, modes 0644/0755). Symbolic links are stored as\n"
	"links and must stay inside their input; special files are refused. File names\n"
	"are kept byte for byte as UTF-8 in any locale; a name that is not valid UTF-8\n"
	"is refused (exit 3). A file that changes while it is packed fails (exit 4).\n"
	"A TAG in OUT that names a signed or attested bundle is not replaced (exit 1,\n"
	"OUT's tags unchanged) unless --force.\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.registry_heading = "Registry options, for a --base in a registry (HOST[:PORT]/REPO[:TAG]):",
	.notes =
	"Environment: SOURCE_DATE_EPOCH sets the entries' mtime and the created time.\n"
	"Output: the manifest digest on stdout; progress on stderr (none with -q).\n"
	"Exit codes: 0 packed, 1 the base has no such tag or TAG names a signed bundle,\n"
	"2 usage, 3 malformed record or base, 4 local system error, 5 registry error\n"
	"(a --base in a registry).\n",
};

struct args {
	const char *out, *tag, *experiment, *decision, *profile, *base, *prefix, *platform;
	enum pack_format format;
	enum layer_compression compression;
	int allow_unlisted;
	struct oci_annots labels;
	struct store_opts base_opts;
	int force;
};

static int parse_enum(const char *opt, const char *v, const char *const *names, int *out)
{
	int i;

	for (i = 0; names[i]; i++) {
		if (strcmp(v, names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	cmd_usage_error("pack", "invalid value '%s' for %s", v, opt);
	return -1;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const char *const formats[] = {"image", "modelpack", NULL};
	static const char *const comps[] = {"none", "gzip", "zstd", NULL};
	int c, v;

	while ((c = cmd_parse(&spec, argc, argv, &a->base_opts)) != -1) {
		switch (c) {
		case 'o': a->out = optarg; break;
		case 't': a->tag = optarg; break;
		case 'f': a->force = 1; break;
		case 'E': a->experiment = optarg; break;
		case 'U': a->allow_unlisted = 1; break;
		case 'D': a->decision = optarg; break;
		case 'R': a->profile = optarg; break;
		case 'B': a->base = optarg; break;
		case 'P': a->prefix = optarg; break;
		case 'A': a->platform = optarg; break;
		case 'F':
			if (parse_enum("--format (expected image or modelpack)", optarg, formats, &v))
				return XP_EXIT_USAGE;
			a->format = (enum pack_format)v;
			break;
		case 'C':
			if (parse_enum("--compression (expected none, gzip or zstd)", optarg, comps, &v))
				return XP_EXIT_USAGE;
			a->compression = (enum layer_compression)v;
			break;
		case 'L': {
			const char *eq = strchr(optarg, '=');
			char *k;

			if (!eq || eq == optarg)
				return cmd_usage_error("pack", "invalid label '%s': expected KEY=VALUE", optarg);
			k = xstrndup(optarg, (size_t)(eq - optarg));
			oci_annots_set(&a->labels, k, eq + 1);
			free(k);
			break;
		}
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default:
			return XP_EXIT_USAGE;
		}
	}
	if (!a->out)
		return cmd_usage_error("pack", "missing -o OUT");
	if (!a->tag)
		return cmd_usage_error("pack", "missing -t TAG");
	if (optind >= argc)
		return cmd_usage_error("pack", "missing PATH: name the model files to pack");
	if (!ref_valid_tag(a->tag)) {
		struct xp_error why;

		ref_check_tag(a->tag, &why);
		return cmd_usage_error("pack", "%s", why.msg);
	}
	if (a->platform) {
		struct oci_platform p;
		struct xp_error err;

		if (pack_platform_parse(a->platform, &p, &err))
			return cmd_usage_error("pack", "%s", err.msg);
		pack_platform_release(&p);
	}
	return -1;
}

static int parse_out(const char *s, struct xp_ref *ref)
{
	struct xp_error err;

	if (ref_parse(s, REF_LOCAL_ONLY, ref, &err))
		return cmd_usage_error("pack", "%s", err.msg);
	if (ref->tag || ref->digest) {
		ref_release(ref);
		return cmd_usage_error("pack", "invalid output '%s': name the tag with -t, not in OUT", s);
	}
	return 0;
}

int cmd_pack(int argc, char **argv)
{
	struct args a;
	struct pack_opts o;
	struct pack_inputs in;
	struct xp_ref out, base;
	struct oci_desc m;
	struct xp_error err;
	long long epoch;
	int ret, epoch_set;

	memset(&a, 0, sizeof(a));
	memset(&o, 0, sizeof(o));
	memset(&out, 0, sizeof(out));
	memset(&base, 0, sizeof(base));
	pack_inputs_init(&in);
	xp_error_clear(&err);
	ret = parse_args(argc, argv, &a);
	if (ret >= 0)
		goto done;
	if ((ret = cmd_epoch("pack", &epoch, &epoch_set)))
		goto done;
	o.epoch = epoch_set ? epoch : 0;
	ret = XP_EXIT_USAGE;
	if (parse_out(a.out, &out))
		goto done;
	if (a.base && ref_parse(a.base, 0, &base, &err)) {
		ret = cmd_usage_error("pack", "%s", err.msg);
		goto done;
	}
	ret = pack_inputs_add_paths(&in, a.prefix ? a.prefix : "/models", argv + optind,
				    (size_t)(argc - optind));
	if (ret)
		goto done;
	ret = pack_meta_collect(&in, a.experiment, a.decision, a.profile, &a.labels);
	if (ret)
		goto done;
	o.inputs = in.v;
	o.n_inputs = in.n;
	if (in.listed) {
		o.expect = in.expect;
		o.n_expect = in.n_expect;
		o.allow_unlisted = a.allow_unlisted;
	}
	o.format = a.format;
	o.compression = a.compression;
	o.platform = a.platform;
	o.annotations = &in.annots;
	o.base = a.base ? &base : NULL;
	o.base_opts = &a.base_opts;
	o.force = a.force;
	a.base_opts.progress = o.progress = cmd_progress();
	if (a.base && base.kind == REF_REGISTRY)
		regopt_prepare();
	memset(&m, 0, sizeof(m));
	if (ref_archive_tag_caveat(&out, a.tag))
		diag_warning("tag '%s': %s", a.tag, ref_archive_tag_caveat(&out, a.tag));
	if (pack_run(&out, a.tag, &o, &m, &err)) {
		ret = cmd_fail(&err);
		goto done;
	}
	printf("%s\n", m.digest);
	oci_desc_release(&m);
	ret = XP_EXIT_OK;
done:
	oci_annots_release(&a.labels);
	pack_inputs_release(&in);
	ref_release(&out);
	ref_release(&base);
	return ret;
}

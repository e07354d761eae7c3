/*
 * init.c — `xpship init`: write a commented starter experiment record
 * (experiment.yaml) into DIR.
 */
#include "cmd/cmd.h"
#include "common/strbuf.h"
#include "pipeline/experiment.h"

#include <stdio.h>
#include <stdlib.h>

static const struct cmd_opt options[] = {
	{"model", 0, "PATH", 'm',
	 "model.files: the file, or every regular file under the\n"
	 "directory, with its sha256 digest"},
	{"metrics", 0, "FILE", 'M',
	 "run-1's metrics, copied from a JSON or YAML file"},
	{"data", 0, "FILE", 'd',
	 "a data[] entry named after the file, with its digest\n"
	 "(repeatable)"},
	{"lockfile", 0, "FILE", 'l',
	 "environment.lockfile, with its digest"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "init",
	.synopsis =
	"usage: xpship init [--model PATH] [--metrics FILE] [--data FILE]...\n"
	"                   [--lockfile FILE] [DIR]\n"
	"\n"
	"Write a commented starter experiment record, DIR/experiment.yaml (DIR defaults\n"
	"to the current directory and is created when missing). Replace its example\n"
	"values, then check it with 'xpship validate DIR/experiment.yaml'. The fields\n"
	"are described in docs/experiment.md. SOURCE_DATE_EPOCH, when set, is the\n"
	"record's creation time.\n"
	"\n"
	"--model, --metrics, --data and --lockfile fill their parts from the files instead of\n"
	"placeholders (paths relative to DIR, digests computed), so the record\n"
	"validates without hashing by hand; 'xpship record update' refreshes the\n"
	"digests later.\n"
	"\n"
	"An existing experiment.yaml is never overwritten.\n"
	"\n"
	"Exit codes:\n"
	"  0  written\n"
	"  2  usage error\n"
	"  3  a malformed metrics file\n"
	"  4  DIR/experiment.yaml already exists, it cannot be written, or a file\n"
	"     named cannot be read\n",
	.opts = options,
};

int cmd_init(int argc, char **argv)
{
	struct experiment_init_opts o = {0};
	const char **data = NULL;
	struct xp_error err;
	char *written = NULL;
	long long now;
	int c, ret, fill = 0;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1) {
		switch (c) {
		case CMD_OPT_HELP: ret = XP_EXIT_OK; goto out;
		case 'm': o.model = optarg; fill = 1; break;
		case 'M': o.metrics = optarg; fill = 1; break;
		case 'l': o.lockfile = optarg; fill = 1; break;
		case 'd':
			data = xrealloc(data, (o.n_data + 1) * sizeof(*data));
			data[o.n_data++] = optarg;
			fill = 1;
			break;
		default: ret = XP_EXIT_USAGE; goto out;
		}
	}
	o.data = data;
	if (optind + 1 < argc) {
		ret = cmd_usage_error("init", "init takes at most one DIR, found %d", argc - optind);
		goto out;
	}
	if ((ret = cmd_epoch("init", &now, NULL)))
		goto out;
	if (experiment_init(optind < argc ? argv[optind] : ".", now, fill ? &o : NULL,
			    &written, &err)) {
		ret = cmd_fail(&err);
		goto out;
	}
	printf("wrote %s\n", written);
	diag_note("next: replace the example values, then run 'xpship validate %s'", written);
	ret = XP_EXIT_OK;
out:
	free(written);
	free(data);
	return ret;
}

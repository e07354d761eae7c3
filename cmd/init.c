/*
 * init.c — `xpship init`: write a commented starter experiment record
 * (experiment.yaml) into DIR.
 */
#include "cmd/cmd.h"
#include "pipeline/experiment.h"

#include <stdio.h>
#include <stdlib.h>

static const struct cmd_opt options[] = {
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "init",
	.synopsis =
	"usage: xpship init [DIR]\n"
	"\n"
	"Write a commented starter experiment record, DIR/experiment.yaml (DIR defaults\n"
	"to the current directory and is created when missing). Replace its example\n"
	"values, then check it with 'xpship validate DIR/experiment.yaml'. The fields\n"
	"are described in docs/experiment.md. SOURCE_DATE_EPOCH, when set, is the\n"
	"record's creation time.\n"
	"\n"
	"An existing experiment.yaml is never overwritten.\n"
	"\n"
	"Exit codes:\n"
	"  0  written\n"
	"  2  usage error\n"
	"  4  DIR/experiment.yaml already exists, or it cannot be written\n",
	.opts = options,
};

int cmd_init(int argc, char **argv)
{
	struct xp_error err;
	char *written = NULL;
	long long now;
	int c, ret;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1) {
		switch (c) {
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (optind + 1 < argc)
		return cmd_usage_error("init", "init takes at most one DIR, found %d",
				       argc - optind);
	if ((ret = cmd_epoch("init", &now, NULL)))
		return ret;
	if (experiment_init(optind < argc ? argv[optind] : ".", now, &written, &err))
		return cmd_fail(&err);
	printf("wrote %s\n", written);
	diag_note("next: replace the example values, then run 'xpship validate %s'", written);
	free(written);
	return XP_EXIT_OK;
}

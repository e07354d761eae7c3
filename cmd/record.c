/*
 * record.c — `xpship record update RECORD`: refresh the digests an experiment
 * record holds for its local files, in place.
 */
#include "cmd/cmd.h"
#include "pipeline/experiment.h"

#include <stdio.h>
#include <string.h>

static const struct cmd_opt options[] = {
	{"check", 0, NULL, 'c',
	 "change nothing: exit 1 when a digest is stale or missing"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "record",
	.synopsis =
	"usage: xpship record update [--check] RECORD\n"
	"\n"
	"Recompute the sha256 digest of every local file the experiment record names\n"
	"(data[], environment.lockfile, runs[].artifacts[], model.files[]; paths\n"
	"relative to the record) and write the ones that changed, or are missing, into\n"
	"the record in place: comments, order and formatting stay as written, and the\n"
	"record is replaced atomically. Remote data (uri:) is left alone. Prints one\n"
	"line per digest changed.\n",
	.opts = options,
	.notes =
	"Exit codes: 0 up to date or updated, 1 stale digests (--check), 2 usage,\n"
	"3 a malformed record, 4 a file the record names cannot be read (nothing is\n"
	"written).\n",
};

int cmd_record(int argc, char **argv)
{
	struct experiment_update up;
	struct xp_error err;
	int c, check = 0;
	size_t i;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1) {
		switch (c) {
		case CMD_OPT_HELP: return XP_EXIT_OK;
		case 'c': check = 1; break;
		default: return XP_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cmd_usage_error("record", "missing subcommand (update)");
	if (strcmp(argv[optind], "update") != 0)
		return cmd_usage_error("record", "unknown subcommand '%s' (expected update)",
				       argv[optind]);
	if (optind + 2 != argc)
		return cmd_usage_error("record", optind + 2 < argc ? "too many arguments"
								   : "missing RECORD");
	if (experiment_update(argv[optind + 1], !check, &up, &err))
		return cmd_fail(&err);
	for (i = 0; i < up.n; i++) {
		const struct experiment_change *ch = &up.v[i];

		if (check)
			diag_at(DIAG_ERROR, argv[optind + 1], ch->line, ch->col,
				"%s '%s': digest %s, the file has %s", ch->where, ch->file,
				ch->old_digest ? "stale" : "missing", ch->new_digest);
		else
			printf("%s %s: %s -> %s\n", ch->where, ch->file,
			       ch->old_digest ? ch->old_digest : "(none)", ch->new_digest);
	}
	if (!up.n && !check)
		printf("%s: up to date\n", argv[optind + 1]);
	c = check && up.n ? XP_EXIT_NO : XP_EXIT_OK;
	experiment_update_release(&up);
	return c;
}

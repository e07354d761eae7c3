/*
 * validate.c — `xpship validate`: check an experiment record: schema, references
 * and data digests, every finding at once.
 */
#include "cmd/cmd.h"
#include "common/strbuf.h"
#include "pipeline/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct cmd_opt options[] = {
	{"format", 0, "F", 'f',
	 "text (default): findings on stderr as file:line:col, a\n"
	 "summary on stdout; json: one JSON report on stdout;\n"
	 "github: workflow annotations on stdout (the default when\n"
	 "GITHUB_ACTIONS=true); sarif: SARIF 2.1.0 on stdout, for\n"
	 "GitHub code scanning and Jenkins Warnings NG"},
	{"strict", 0, NULL, 's',
	 "warnings make the record invalid"},
	{"no-digest-check", 0, NULL, 'n',
	 "check that local files exist, do not hash them"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "validate",
	.synopsis =
	"usage: xpship validate [--format text|json|github|sarif] [--strict] [--no-digest-check] FILE\n"
	"\n"
	"Check an experiment record (docs/experiment.md): its schema (required keys, types,\n"
	"formats, unknown keys), its references (the selected run, the objective metric,\n"
	"parameters inside the search space) and its files (every local path exists and\n"
	"its SHA-256 matches). All findings are reported at once, sorted by position.\n",
	.opts = options,
	.notes =
	"Exit codes:\n"
	"  0  valid (warnings allowed unless --strict)\n"
	"  1  invalid: at least one error (or warning with --strict)\n"
	"  2  usage error\n"
	"  3  the record is not well-formed YAML/JSON (or repeats a key)\n"
	"  4  the record, or a file it names, exists but cannot be read\n",
};

enum format { F_TEXT, F_JSON, F_GITHUB, F_SARIF };

static int parse_format(const char *v, enum format *out)
{
	static const char *const names[] = {"text", "json", "github", "sarif"};
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(v, names[i]) == 0) {
			*out = (enum format)i;
			return 0;
		}
	return -1;
}

static enum diag_sev sev_of(enum finding_sev s)
{
	return s == FINDING_ERROR ? DIAG_ERROR : s == FINDING_WARNING ? DIAG_WARNING : DIAG_NOTE;
}

/* "valid", "valid, 2 warnings", "invalid: 3 errors, 1 warning", "malformed" */
static void summary(struct strbuf *sb, const char *file, const struct findings *f, enum xp_err status)
{
	size_t e = findings_count(f, FINDING_ERROR), w = findings_count(f, FINDING_WARNING);

	if (status == XP_ERR_MALFORMED) {
		strbuf_addf(sb, "%s: malformed\n", file);
		return;
	}
	strbuf_addf(sb, "%s: %s", file, status == XP_ERR_NONE ? "valid" : "invalid");
	if (status != XP_ERR_NONE)
		strbuf_addf(sb, ": %zu error%s", e, e == 1 ? "" : "s");
	if (w)
		strbuf_addf(sb, ", %zu warning%s", w, w == 1 ? "" : "s");
	if (status != XP_ERR_NONE && !e)
		strbuf_adds(sb, " (--strict)");
	strbuf_addc(sb, '\n');
}

/* The directory SARIF locations are relative to: $GITHUB_WORKSPACE (what code
 * scanning resolves against), else the git top level above the working
 * directory, else NULL (caller frees). */
static char *source_root(void)
{
	const char *ws = getenv("GITHUB_WORKSPACE");
	char *dir, *slash;
	struct stat st;

	if (ws && *ws)
		return findings_abs_path(ws);
	dir = findings_abs_path(".");
	for (;;) {
		char *git = xasprintf("%s/.git", strcmp(dir, "/") ? dir : "");
		int found = lstat(git, &st) == 0;

		free(git);
		if (found)
			return dir;
		slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			free(dir);
			return NULL;
		}
		*slash = '\0';
	}
}

static void print_report(enum format fmt, const char *file, const struct validate_report *r,
			 enum xp_err status)
{
	struct strbuf sb = STRBUF_INIT;
	char *text;
	size_t i;

	switch (fmt) {
	case F_JSON:
		text = findings_to_json(&r->findings, file, r->digest, status == XP_ERR_NONE);
		fputs(text, stdout);
		free(text);
		return;
	case F_SARIF: {
		char *root = source_root();

		text = findings_to_sarif(&r->findings, validate_rules, validate_n_rules, "xpship",
					 XP_VERSION, NULL, root);
		free(root);
		fputs(text, stdout);
		free(text);
		return;
	}
	case F_GITHUB:
		for (i = 0; i < r->findings.n; i++) {
			const struct finding *it = &r->findings.items[i];

			strbuf_reset(&sb);
			diag_github_annotation(&sb, sev_of(it->sev), it->file, it->line, it->col,
					       it->code, it->msg);
			puts(sb.buf);
		}
		break;
	case F_TEXT:
		for (i = 0; i < r->findings.n; i++) {
			const struct finding *it = &r->findings.items[i];

			diag_at(sev_of(it->sev), it->file, it->line, it->col, "%s", it->msg);
		}
		if (diag_is_quiet())
			goto out;
		break;
	}
	strbuf_reset(&sb);
	summary(&sb, file, &r->findings, status);
	fputs(sb.buf, stdout);
out:
	strbuf_release(&sb);
}

int cmd_validate(int argc, char **argv)
{
	struct validate_opts opts = {0};
	struct validate_report r;
	enum format fmt = diag_github() ? F_GITHUB : F_TEXT;
	struct xp_error err;
	enum xp_err status;
	int c, strict = 0;

	xp_error_clear(&err);
	while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (parse_format(optarg, &fmt))
				return cmd_usage_error("validate",
						       "invalid format '%s': expected text, json, github or sarif",
						       optarg);
			break;
		case 's': strict = 1; break;
		case 'n': opts.no_digest_check = 1; break;
		case CMD_OPT_HELP: return XP_EXIT_OK;
		default: return XP_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cmd_usage_error("validate", "missing the experiment record (FILE)");
	if (optind + 1 < argc)
		return cmd_usage_error("validate", "validate takes one FILE, found %d",
				       argc - optind);
	if (experiment_validate(argv[optind], &opts, &r, &err))
		return cmd_fail(&err);
	status = r.status;
	if (status == XP_ERR_NONE && strict && findings_count(&r.findings, FINDING_WARNING))
		status = XP_ERR_REFUSED;
	if (fmt == F_TEXT)
		diag_set_github(0); /* asked for text: plain lines even under Actions */
	print_report(fmt, argv[optind], &r, status);
	validate_report_release(&r);
	return status == XP_ERR_NONE ? XP_EXIT_OK : xp_exit_of(status);
}

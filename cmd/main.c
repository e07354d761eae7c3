/*
 * main.c — xpship's entry point: global options and the command table.
 *
 * Global options (-q, -v, --color) are accepted before the command and anywhere
 * among its arguments up to a "--"; everything else belongs to the command.
 */
#include "cmd/cmd.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "common/suggest.h"

#include <jansson.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cmd_info cmd_table[] = {
	{"init", cmd_init, "write a commented starter experiment record"},
	{"record", cmd_record, "refresh an experiment record's file digests in place"},
	{"validate", cmd_validate, "check an experiment record: schema, references, data digests"},
	{"evaluate", cmd_evaluate, "compute metrics from predictions: per group, fairness"},
	{"profile", cmd_profile, "summarise data into a mergeable profile (profile merge)"},
	{"drift", cmd_drift, "compare data with a reference profile: PSI, KS, JS, chi-square"},
	{"gate", cmd_gate, "decide promotion: metric thresholds against the champion"},
	{"pack", cmd_pack, "pack model files into a deterministic OCI bundle"},
	{"inspect", cmd_inspect, "show a bundle's tags, digests, layers, metadata and metrics"},
	{"unpack", cmd_unpack, "extract a bundle's model files, verifying every digest"},
	{"keygen", cmd_keygen, "create a signing key pair"},
	{"sign", cmd_sign, "sign a bundle (cosign-compatible signature)"},
	{"attest", cmd_attest, "attach signed in-toto/SLSA provenance and the gate decision"},
	{"approve", cmd_approve, "sign and attach a person's approval of a bundle"},
	{"waive", cmd_waive, "sign a person's waiver of one failed gate check"},
	{"verify", cmd_verify, "verify a bundle's digests, signature and attestations"},
	{"sign-blob", cmd_sign_blob, "sign a file (base64 DER signature)"},
	{"verify-blob", cmd_verify_blob, "verify a file's signature"},
	{"push", cmd_push, "push a bundle and its signatures to a registry"},
	{"pull", cmd_pull, "pull a bundle from a registry into an OCI layout"},
	{"copy", cmd_copy, "copy a bundle between repositories or registries"},
	{"promote", cmd_promote, "move a tag to a verified digest"},
	{"rollback", cmd_rollback, "move a tag back to an earlier verified champion"},
	{"tags", cmd_tags, "list a repository's tags"},
	{"history", cmd_history, "list a repository's releases, metrics and champions"},
	{"diff", cmd_diff, "compare two bundles: parameters, metrics, data, files, signatures"},
	{"best", cmd_best, "the best recorded run across releases, for the next experiment"},
	{"gc", cmd_gc, "delete old candidate releases; champions stay"},
	{"login", cmd_login, "store registry credentials"},
	{"logout", cmd_logout, "remove stored registry credentials"},
	{"registry", cmd_registry, "registry utilities (ping)"},
	{"help", cmd_help, "show help for xpship or a command"},
	{"version", cmd_version, "print the version"},
	{"completion", cmd_completion, "print a shell completion script (bash, zsh, fish)"},
	{"man", cmd_man, NULL},
	{NULL, NULL, NULL},
};

/* Read by the help, the completions and the man pages; main() matches the
 * same names below. */
static const struct cmd_opt global_opts[] = {
	{"quiet", 'q', NULL, 'q', "errors and warnings only, no progress"},
	{"verbose", 'v', NULL, 'v', "more detail on stderr"},
	{"color", 0, "WHEN", 'c', "auto (default), always or never; NO_COLOR is honoured"},
	{"no-color", 0, NULL, 'n', NULL},
	{"help", 'h', NULL, 'h', "this help; 'xpship help CMD' or 'xpship CMD --help' for one command"},
	{"version", 0, NULL, 'V', "print the version"},
	{NULL, 0, NULL, 0, NULL},
};

const struct cmd_def cmd_global_def = {
	.name = "xpship",
	.synopsis =
	"usage: xpship [-q | -v] [--color=auto|always|never] <command> [<args>]\n"
	"\n"
	"Experiment-driven model releases for CI/CD: validate an experiment, gate\n"
	"it against the production champion, pack it as an OCI bundle, sign and\n"
	"attest it, push it and promote it.\n",
	.opts = global_opts,
};

static void print_help(FILE *f)
{
	const struct cmd_info *c;
	const struct cmd_opt *o;
	const struct xp_exit_desc *e;

	fputs(cmd_global_def.synopsis, f);
	fputs("\nCommands:\n", f);
	for (c = cmd_table; c->name; c++)
		if (c->summary)
			fprintf(f, "  %-12s %s\n", c->name, c->summary);
	fputs("\nGlobal options:\n", f);
	for (o = global_opts; o->name; o++) {
		char label[64];

		if (!o->help)
			continue;
		if (o->short_name)
			snprintf(label, sizeof(label), "-%c, --%s", o->short_name, o->name);
		else
			snprintf(label, sizeof(label), "--%s%s%s", o->name, o->arg ? "=" : "",
				 o->arg ? o->arg : "");
		fprintf(f, "  %-16s %s\n", label, o->help);
	}
	fputs("\nExit codes:\n", f);
	for (e = xp_exit_table; e->text; e++)
		fprintf(f, "  %d  %s\n", e->code, e->text);
}

int cmd_help(int argc, char **argv)
{
	const struct cmd_info *c;
	char *sub[3];

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_help(stdout);
		return XP_EXIT_OK;
	}
	if (argc > 2)
		return cmd_usage_error("help", "too many arguments");
	for (c = cmd_table; c->name; c++) {
		if (strcmp(c->name, argv[1]) == 0) {
			sub[0] = argv[1];
			sub[1] = "--help";
			sub[2] = NULL;
			return c->fn(2, sub);
		}
	}
	return cmd_usage_error("help", "unknown command '%s'", argv[1]);
}

static int parse_color(const char *v, enum diag_color *out)
{
	if (strcmp(v, "auto") == 0)
		*out = DIAG_COLOR_AUTO;
	else if (strcmp(v, "always") == 0)
		*out = DIAG_COLOR_ALWAYS;
	else if (strcmp(v, "never") == 0)
		*out = DIAG_COLOR_NEVER;
	else
		return -1;
	return 0;
}

/* Removes global options from argv[from..]; returns the new argc or -1. */
static int strip_globals(int argc, char **argv, int from, int *quiet, int *verbose,
			 enum diag_color *color, const char **bad)
{
	int i, j = from;

	for (i = from; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[j++] = argv[i++];
			break;
		}
		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			*quiet = 1;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			*verbose = 1;
		} else if (strcmp(a, "--no-color") == 0) {
			*color = DIAG_COLOR_NEVER;
		} else if (strncmp(a, "--color=", 8) == 0) {
			if (parse_color(a + 8, color)) {
				*bad = a;
				return -1;
			}
		} else if (strcmp(a, "--color") == 0) {
			*color = DIAG_COLOR_ALWAYS;
		} else {
			argv[j++] = argv[i];
		}
	}
	argv[j] = NULL;
	return j;
}

int main(int argc, char **argv)
{
	const struct cmd_info *c;
	const char *names[64];
	enum diag_color color = DIAG_COLOR_AUTO;
	int quiet = 0, verbose = 0, i = 1;
	const char *bad = NULL;
	size_t n = 0;

	setlocale(LC_ALL, "C");
	/* JSON may carry secrets (docker config auths, credential helper answers,
	 * registry tokens): jansson's memory is wiped before it is freed */
	json_set_alloc_funcs(malloc, xfree_wiped);
	fileio_cleanup_signals();
	/* options before the command */
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			print_help(stdout);
			return XP_EXIT_OK;
		}
		if (strcmp(a, "--version") == 0)
			return cmd_version(1, argv + i);
		if (strcmp(a, "-q") && strcmp(a, "--quiet") && strcmp(a, "-v") &&
		    strcmp(a, "--verbose") && strncmp(a, "--color", 7) &&
		    strcmp(a, "--no-color")) {
			diag_init(0, 0, DIAG_COLOR_AUTO);
			diag_error("unknown option '%s'", a);
			fputs("Run 'xpship --help' for usage.\n", stderr);
			return XP_EXIT_USAGE;
		}
	}
	argc = strip_globals(argc, argv, 1, &quiet, &verbose, &color, &bad);
	diag_init(quiet, verbose, color);
	if (argc < 0) {
		diag_error("invalid value in '%s': expected auto, always or never", bad);
		return XP_EXIT_USAGE;
	}
	if (argc < 2) {
		print_help(stderr);
		return XP_EXIT_USAGE;
	}
	for (c = cmd_table; c->name; c++) {
		if (strcmp(c->name, argv[1]) == 0)
			return c->fn(argc - 1, argv + 1);
		names[n++] = c->name;
	}
	{
		const char *best = suggest_closest(argv[1], names, n);

		if (best)
			diag_error("unknown command '%s' (did you mean '%s'?)", argv[1], best);
		else
			diag_error("unknown command '%s'", argv[1]);
		fputs("Run 'xpship --help' for the list of commands.\n", stderr);
	}
	return XP_EXIT_USAGE;
}

/*
 * login.c — `xpship login`: check and store registry credentials.
 */
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "common/strbuf.h"
#include "packager/registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#define PASS_MAX 4096
#define PASSWORD_REFUSED \
	"-p/--password is not accepted (it would show in the process list): use --password-stdin"

static const struct cmd_opt options[] = {
	{"username", 'u', "USER", 'u',
	 "the user name"},
	{"password-stdin", 0, NULL, 'S',
	 "read the password from stdin (required)"},
	{"password", 'p', "P", 'p',
	 "not accepted: a password on the command line shows in\n"
	 "the process list and the shell history (refused, exit 2;\n"
	 "use --password-stdin, as 'docker login' advises)"},
	{NULL, 0, NULL, 0, NULL},
};

static const struct cmd_def spec = {
	.name = "login",
	.synopsis =
	"usage: xpship login [--plain-http] [--insecure] [--ca-file F] HOST -u USER --password-stdin\n"
	"\n"
	"Check USER's password (read from stdin, never from the command line) against\n"
	"the registry HOST[:PORT], then store it: in the credential helper that\n"
	"~/.docker/config.json names for HOST (credHelpers, credsStore), else as\n"
	"auths.HOST.auth in that file (rewritten atomically, mode 0600). $DOCKER_CONFIG\n"
	"names another directory. Under GitHub Actions the password is masked.\n",
	.opts = options,
	.registry = CMD_REG_TLS,
	.notes =
	"Exit codes: 0 stored, 2 usage, 3 malformed docker config, 4 local error,\n"
	"5 the registry refused the credentials or could not be reached.\n",
};

/* The password from stdin, without its line end (caller wipes and frees
 * PASS_MAX + 2 bytes). *too_long is set when stdin holds more than
 * PASS_MAX bytes: a cut-off password is never used. */
static char *read_password(int *too_long)
{
	char *buf = xmalloc(PASS_MAX + 2);
	size_t len = 0;

	while (len < PASS_MAX + 1) {
		ssize_t n = read(STDIN_FILENO, buf + len, PASS_MAX + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	*too_long = len > PASS_MAX;
	buf[len] = '\0';
	return buf;
}

/* "docker://host:port" or "host:port" → host:port; NULL when invalid. */
static char *parse_host(const char *arg)
{
	struct xp_ref ref;
	struct xp_error err;
	char *probe, *host = NULL;

	if (strncmp(arg, "docker://", 9) == 0)
		arg += 9;
	if (!*arg || strchr(arg, '/'))
		return NULL;
	probe = xasprintf("%s/x", arg);
	if (ref_parse(probe, REF_REGISTRY_ONLY, &ref, &err) == 0) {
		host = xstrdup(ref.host);
		ref_release(&ref);
	}
	free(probe);
	return host;
}

/* 1 when argv holds -p or --password, with or without a value (before
 * "--"): refused whatever follows, before a missing value is complained of. */
static int password_on_argv(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-u") || !strcmp(a, "--username")) {
			i++;
			continue;
		}
		if (!strncmp(a, "-p", 2) || !strcmp(a, "--password") || !strncmp(a, "--password=", 11))
			return 1;
	}
	return 0;
}

int cmd_login(int argc, char **argv)
{
	struct store_opts opts = {0};
	struct xp_error err;
	const char *user = NULL;
	char *host = NULL, *pass = NULL, *where = NULL;
	int c, from_stdin = 0, too_long = 0, ret;

	xp_error_clear(&err);
	if (password_on_argv(argc, argv))
		return cmd_usage_error("login", PASSWORD_REFUSED);
	while ((c = cmd_parse(&spec, argc, argv, &opts)) != -1) {
		switch (c) {
		case CMD_OPT_HELP:
			return XP_EXIT_OK;
		case 'u':
			user = optarg;
			break;
		case 'S':
			from_stdin = 1;
			break;
		case 'p':
			return cmd_usage_error("login", PASSWORD_REFUSED);
		default:
			return XP_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error("login", "expected one registry host");
	if (!user || !*user)
		return cmd_usage_error("login", "missing user name (-u USER)");
	if (!from_stdin)
		return cmd_usage_error("login", "the password is read from stdin only: add --password-stdin");
	if (ref_check_scheme(argv[optind], &err) ||
	    (!strncmp(argv[optind], "docker://", 9) && ref_check_scheme(argv[optind] + 9, &err)))
		return cmd_usage_error("login", "%s", err.msg);
	host = parse_host(argv[optind]);
	if (!host)
		return cmd_usage_error("login", "invalid registry host '%s': expected HOST[:PORT]",
				       argv[optind]);
	pass = read_password(&too_long);
	if (too_long) {
		ret = cmd_usage_error("login", "the password on stdin is longer than %d bytes", PASS_MAX);
		goto out;
	}
	diag_mask(pass);
	if (!*pass) {
		ret = cmd_usage_error("login", "no password on stdin");
		goto out;
	}
	if (registry_check_login(host, &opts, user, pass, &err) ||
	    registry_save_login(host, user, pass, &where, &err)) {
		ret = cmd_fail(&err);
		goto out;
	}
	printf("logged in to %s (credentials stored in %s)\n", host, where);
	ret = XP_EXIT_OK;
out:
	OPENSSL_cleanse(pass, PASS_MAX + 2);
	free(pass);
	free(where);
	free(host);
	return ret;
}

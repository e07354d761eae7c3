/*
 * version.c — `xpship version` / `xpship --version`: the version and the
 * versions of the libraries it runs on (useful in bug reports).
 */
#include "cmd/cmd.h"

#include <stdio.h>

#include <archive.h>
#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <yaml.h>

static const struct cmd_def spec = {
	.name = "version",
	.synopsis =
	"usage: xpship version\n"
	"\n"
	"Print xpship's version and the versions of the libraries it uses.\n",
};

int cmd_version(int argc, char **argv)
{
	curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);

	if (argc > 1 && argv[0][0] != '-') {
		int c;

		while ((c = cmd_parse(&spec, argc, argv, NULL)) != -1)
			return c == CMD_OPT_HELP ? XP_EXIT_OK : XP_EXIT_USAGE;
		if (optind < argc)
			return cmd_usage_error("version", "unexpected argument '%s'", argv[optind]);
	}
	printf("xpship %s\n", XP_VERSION);
	if (diag_is_verbose() || (argc > 0 && argv[0][0] != '-'))
		printf("libcurl %s, %s, libyaml %s, %s, jansson %s\n", cv->version,
		       archive_version_string(), yaml_get_version_string(),
		       OpenSSL_version(OPENSSL_VERSION), jansson_version_str());
	return XP_EXIT_OK;
}

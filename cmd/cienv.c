/*
 * cienv.c — who is running xpship, from the CI environment (cienv.h).
 */
#include "cmd/cienv.h"

#include "common/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* builder.id and invocationId from the CI environment (caller frees both). */
void cmd_builder_from_env(char **id, char **invocation)
{
	const char *server = env("GITHUB_SERVER_URL"), *repo = env("GITHUB_REPOSITORY");
	const char *run = env("GITHUB_RUN_ID"), *attempt = env("GITHUB_RUN_ATTEMPT");
	const char *wf = env("GITHUB_WORKFLOW_REF"), *build = env("BUILD_URL");
	char host[256];

	*invocation = NULL;
	if (repo && run) {
		if (!server)
			server = "https://github.com";
		*id = wf ? xasprintf("%s/%s", server, wf) : xasprintf("%s/%s", server, repo);
		*invocation = attempt ? xasprintf("%s/%s/actions/runs/%s/attempts/%s", server,
						  repo, run, attempt)
				      : xasprintf("%s/%s/actions/runs/%s", server, repo, run);
		return;
	}
	if (build) {
		*id = xstrdup(env("JENKINS_URL") ? env("JENKINS_URL") : build);
		*invocation = xstrdup(build);
		return;
	}
	if (gethostname(host, sizeof(host)) < 0 || !*host)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	*id = xasprintf("local://%s", host);
}

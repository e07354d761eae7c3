/*
 * cienv.h — the builder identity and the run, from the CI environment: GitHub
 * Actions (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID,
 * GITHUB_RUN_ATTEMPT, GITHUB_WORKFLOW_REF), Jenkins (BUILD_URL, JENKINS_URL),
 * else local://<hostname>. `attest` names it as the SLSA builder, `promote`
 * as who moved a tag.
 */
#ifndef XPSHIP_CMD_CIENV_H
#define XPSHIP_CMD_CIENV_H

/* builder id and invocation id (NULL when unknown); the caller frees both. */
void cmd_builder_from_env(char **id, char **invocation);

#endif

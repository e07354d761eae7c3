/*
 * experiment_init.c — `xpship init`: a commented starter experiment record.
 *
 * The starter is schema-valid (every format right), so after `xpship init` the
 * only findings of `xpship validate` are the files it names that do not exist
 * yet: the user replaces placeholders, not syntax. The file is written under a
 * temporary name and linked into place, which fails when a record already exists:
 * an existing record is never overwritten, not even by a concurrent init.
 */
#include "pipeline/experiment.h"
#include "common/timeutil.h"

#include "common/error.h"
#include "common/fileio.h"
#include "common/strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char starter[] =
	"# An experiment record (xpship/v1), written by `xpship init`.\n"
	"# Replace the example values, then check it: xpship validate experiment.yaml\n"
	"# Every field is described in docs/experiment.md. Paths are relative to this\n"
	"# file's directory; compute a digest with: sha256sum FILE\n"
	"apiVersion: xpship/v1\n"
	"kind: Experiment\n"
	"\n"
	"metadata:\n"
	"  name: my-model                      # required: what is being trained\n"
	"  id: exp-%1$s-001                  # required: unique, [A-Za-z0-9][A-Za-z0-9._-]*\n"
	"  owner: team@example.com\n"
	"  description: What this experiment tries, in a sentence or two.\n"
	"  created: %2$s         # RFC 3339, UTC\n"
	"\n"
	"objective:\n"
	"  metric: accuracy                    # dotted path into a run's metrics\n"
	"  direction: maximize                 # maximize | minimize\n"
	"\n"
	"code:\n"
	"  repository: https://github.com/example/my-model\n"
	"  commit: 0000000000000000000000000000000000000000   # git rev-parse HEAD\n"
	"\n"
	"environment:                          # one of `image` or `lockfile`\n"
	"  lockfile:\n"
	"    path: requirements.lock\n"
	"    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
	"  # image: registry.example/trainer@sha256:<64 hex>\n"
	"\n"
	"data:                                 # named inputs with their digests\n"
	"  - name: train\n"
	"    path: data/train.csv              # a local file (checked), or\n"
	"    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
	"  - name: test\n"
	"    uri: s3://bucket/my-model/test.csv  # a remote one (digest recorded, not checked)\n"
	"    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
	"\n"
	"space:                                # the search space\n"
	"  strategy: grid                      # grid | random | single\n"
	"  runs: 2\n"
	"  parameters:\n"
	"    learning_rate: {range: [0.001, 0.1]}\n"
	"    max_depth: {enum: [4, 6]}\n"
	"\n"
	"runs:\n"
	"  - id: run-1\n"
	"    status: completed                 # completed | failed | running\n"
	"    started: %2$s\n"
	"    ended: %2$s\n"
	"    parameters: {learning_rate: 0.01, max_depth: 6}\n"
	"    metrics:                          # numbers, nested maps, series (last counts)\n"
	"      accuracy: 0.9\n"
	"    # metrics_file: metrics/run-1.json  # JSON/YAML metrics, merged\n"
	"    # mlflow_run: mlruns/0/<run-id>     # an MLflow run directory, merged\n"
	"    artifacts:\n"
	"      - path: model/model.onnx\n"
	"        digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
	"\n"
	"selected: run-1                       # the candidate run\n"
	"\n"
	"model:\n"
	"  name: my-model\n"
	"  version: 0.1.0                      # a string: quote values like '1.0'\n"
	"  framework: scikit-learn\n"
	"  format: onnx\n"
	"  license: Apache-2.0\n"
	"  files:                              # what `xpship pack` puts in the bundle\n"
	"    - path: model/model.onnx\n"
	"      digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n";

char *experiment_starter(long long now)
{
	char stamp[XP_TIME_SIZE], day[9];

	xp_time_format(now, stamp);
	/* "2026-11-20T09:30:00Z" -> "20261120" */
	snprintf(day, sizeof(day), "%.4s%.2s%.2s", stamp, stamp + 5, stamp + 8);
	return xasprintf(starter, day, stamp);
}

int experiment_init(const char *dir, long long now, char **written, struct xp_error *err)
{
	struct atomic_file af;
	char *path, *text = NULL;
	int ret = -1;

	if (!dir || !*dir)
		dir = ".";
	path = xasprintf("%s/experiment.yaml", dir);
	if (access(path, F_OK) == 0) {
		xp_error_set(err, XP_ERR_LOCAL,
			     "refusing to overwrite '%s': it already exists", path);
		goto out;
	}
	if (mkdir_p(dir, 0755, err) || atomic_open(&af, path, 0644, err))
		goto out;
	text = experiment_starter(now);
	if (atomic_write(&af, text, strlen(text), err)) {
		atomic_abort(&af);
		goto out;
	}
	if (fsync(af.fd) < 0) {
		xp_error_errno(err, XP_ERR_LOCAL, "cannot write '%s'", path);
		atomic_abort(&af);
		goto out;
	}
	/* link, not rename: never replaces a record created meanwhile */
	if (link(af.tmp, path) < 0) {
		if (errno == EEXIST)
			xp_error_set(err, XP_ERR_LOCAL,
				     "refusing to overwrite '%s': it already exists", path);
		else
			xp_error_errno(err, XP_ERR_LOCAL, "cannot write '%s'", path);
		atomic_abort(&af);
		goto out;
	}
	atomic_abort(&af); /* removes the temporary name */
	fsync_dir(dir);
	*written = path;
	path = NULL;
	ret = 0;
out:
	free(text);
	free(path);
	return ret;
}

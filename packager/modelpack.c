/*
 * modelpack.c — ModelPack layer kinds by file name (modelpack.h).
 *
 * The pattern lists follow modctl's published defaults
 * (pkg/modelfile/constants.go: ConfigFilePatterns, ModelFilePatterns,
 * CodeFilePatterns, DocFilePatterns), matched in the same order, against the
 * lowercased basename with fnmatch(3) (no FNM_PERIOD, as Go's filepath.Match).
 * Tokenizer files that modctl's lists leave to "*.txt" (vocab.txt,
 * merges.txt) are configuration here: a model cannot run without them.
 */
#include "packager/modelpack.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "packager/bundle.h"

static const char *const config_patterns[] = {
	"*.json", "*.jsonl", "*.json5", "*.jsonc", "*.yaml", "*.yml", "*.toml", "*.ini",
	"*.config", "*.cfg", "*.conf", "*.properties", "*.props", "*.prop", "*.xml", "*.xsd",
	"*.rng", "*.modelcard", "*.meta", "*tokenizer.model*", "config.json.*", "*.hparams",
	"*.params", "*.hyperparams", "*.wandb", "*.mlflow", "*.tensorboard",
	/* tokenizer vocabularies, which the doc patterns would take */
	"vocab.txt", "merges.txt", "*tokenizer*", "special_tokens_map*", "added_tokens*",
	NULL,
};

static const char *const weight_patterns[] = {
	"*.safetensors", "*.bin", "*.pt", "*.pth", "*.mar", "*.pte", "*.pt2", "*.ptl",
	"*.tflite", "*.h5", "*.hdf", "*.hdf5", "*.pb", "*.meta", "*.data-*", "*.index",
	"*.gguf", "*.ggml", "*.ggmf", "*.ggjt", "*.q4_0", "*.q4_1", "*.q5_0", "*.q5_1",
	"*.q8_0", "*.f16", "*.f32", "*.ckpt", "*.checkpoint", "*.dist_ckpt", "*.tensor",
	"*.weights", "*.state", "*.embedding", "*.vocab", "*.ot", "*.engine", "*.trt",
	"*.onnx", "*.msgpack", "*.model", "*.pkl", "*.pickle", "*.keras", "*.joblib",
	"*.npy", "*.npz", "*.nc", "*.mlmodel", "*.coreml", "*.mleap", "*.surml",
	"*.llamafile", "*.caffemodel", "*.prototxt", "*.dlc", "*.circle", "*.nb",
	NULL,
};

static const char *const code_patterns[] = {
	"*.py", "*.ipynb", "*.sh", "*.patch", "*.c", "*.h", "*.hxx", "*.cpp", "*.cc", "*.cxx",
	"*.c++", "*.hpp", "*.hh", "*.h++", "*.java", "*.js", "*.mjs", "*.cjs", "*.jsx", "*.ts",
	"*.tsx", "*.go", "*.rs", "*.swift", "*.rb", "*.php", "*.scala", "*.kt", "*.kts", "*.r",
	"*.m", "*.mm", "*.f", "*.f90", "*.f95", "*.f03", "*.f08", "*.jl", "*.lua", "*.pl",
	"*.pm", "*.cs", "*.vb", "*.dart", "*.groovy", "*.elm", "*.erl", "*.hrl", "*.ex",
	"*.exs", "*.hs", "*.lhs", "*.clj", "*.cljs", "*.cljc", "*.cl", "*.lisp", "*.lsp",
	"*.scm", "*.ss", "*.rkt", "*.sql", "*.psql", "*.mysql", "*.sqlite", "*.zig", "*.cu",
	"*.cuh", "*.bash", "*.zsh", "*.fish", "*.csh", "*.tcsh", "*.ksh", "*.ps1", "*.psm1",
	"*.psd1", "*.bat", "*.cmd", "*.vbs", "*.wsf", "*.applescript", "*.scpt", "*.awk",
	"*.sed", "*.expect", "*.env", "*.env.*", ".env*", "makefile*", "*.dockerfile",
	"dockerfile*", "*.mk", "*.cmake", "cmakelists.txt", "*.gradle", "*.gradle.kts",
	"build.gradle*", "settings.gradle*", "*.sbt", "*.mill", "*.bazel", "*.bzl", "build*",
	"workspace*", "*.buck", "buck*", "*.ninja", "*.gyp", "*.gypi", "*.waf", "wscript*",
	"package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "requirements*.txt",
	"pipfile*", "pyproject.toml", "setup.cfg", "tox.ini", "poetry.lock", "cargo.toml",
	"cargo.lock", "go.mod", "go.sum", "composer.json", "composer.lock", "gemfile*",
	"*.gemspec", "mix.exs", "mix.lock", "rebar.config", "rebar.lock", "*.so", "*.dll",
	"*.dylib", "*.lib", "*.a",
	NULL,
};

static const char *const doc_patterns[] = {
	"*.txt", "*.md", "*.pdf", "license*", "readme*", "setup*", "*requirements*", "*.log",
	"*.jpg", "*.jpeg", "*.png", "*.gif", "*.bmp", "*.tiff", "*.ico", "*.webp", "*.heic",
	"*.heif", "*.hevc", "*.svg", "*.mp4", "*.mov", "*.avi", "*.mkv", "*.webm", "*.m4v",
	"*.flv", "*.wmv", "*.mpg", "*.mpeg",
	NULL,
};

static const char *const dataset_patterns[] = {
	"*.csv", "*.tsv", "*.parquet", "*.arrow", "*.avro", NULL,
};

static int matches(const char *lower, const char *const *patterns)
{
	for (; *patterns; patterns++)
		if (fnmatch(*patterns, lower, 0) == 0)
			return 1;
	return 0;
}

const char *modelpack_kind(const char *name, uint64_t size)
{
	const char *slash = strrchr(name, '/'), *kind;
	char *lower;
	size_t i;

	if (strncmp(name, BUNDLE_DIR "/", strlen(BUNDLE_DIR) + 1) == 0 ||
	    strstr(name, "/" BUNDLE_DIR "/"))
		return "doc";
	lower = xstrdup(slash ? slash + 1 : name);
	for (i = 0; lower[i]; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	if (matches(lower, config_patterns))
		kind = "weight.config";
	else if (matches(lower, weight_patterns))
		kind = "weight";
	else if (matches(lower, code_patterns))
		kind = "code";
	else if (matches(lower, doc_patterns))
		kind = "doc";
	else if (matches(lower, dataset_patterns))
		kind = "dataset";
	else
		kind = size > MODELPACK_WEIGHT_THRESHOLD ? "weight" : "code";
	free(lower);
	return kind;
}

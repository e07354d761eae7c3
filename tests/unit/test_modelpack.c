/* test_modelpack.c — ModelPack layer kinds by file name, as modctl classifies
 * (packager/modelpack.c). */
#include "tests/unit/test_common.h"
#include "packager/modelpack.h"

static void kinds(void **state)
{
	static const struct {
		const char *name;
		uint64_t size;
		const char *kind;
	} v[] = {
		/* configuration, tokenizers included */
		{"models/config.json", 10, "weight.config"},
		{"models/generation_config.json", 10, "weight.config"},
		{"models/tokenizer.json", 10, "weight.config"},
		{"models/tokenizer_config.json", 10, "weight.config"},
		{"models/tokenizer.model", 10, "weight.config"},
		{"models/tokenizer/vocab.txt", 10, "weight.config"},
		{"models/merges.txt", 10, "weight.config"},
		{"models/special_tokens_map.json", 10, "weight.config"},
		{"models/params.yaml", 10, "weight.config"},
		{"models/Settings.TOML", 10, "weight.config"},
		/* weights, case-insensitive */
		{"models/model.safetensors", 10, "weight"},
		{"models/model-00001-of-00002.safetensors", 10, "weight"},
		{"models/pytorch_model.bin", 10, "weight"},
		{"models/model.ONNX", 10, "weight"},
		{"models/saved_model.pb", 10, "weight"},
		{"models/variables/variables.data-00000-of-00001", 10, "weight"},
		{"models/variables/variables.index", 10, "weight"},
		{"models/model.gguf", 10, "weight"},
		{"models/clf.joblib", 10, "weight"},
		/* code before documentation: requirements*.txt is code */
		{"models/src/serve.py", 10, "code"},
		{"models/Dockerfile", 10, "code"},
		{"models/requirements.txt", 10, "code"},
		{"models/Makefile", 10, "code"},
		/* documentation */
		{"models/README.md", 10, "doc"},
		{"models/LICENSE", 10, "doc"},
		{"models/notes.txt", 10, "doc"},
		{"models/curve.png", 10, "doc"},
		{".xpship/decision.json", 10, "doc"},
		{"models/.xpship/experiment.yaml", 10, "doc"},
		/* data */
		{"models/eval.csv", 10, "dataset"},
		{"models/eval.parquet", 10, "dataset"},
		/* unknown: a weight when larger than 128 MiB, else code */
		{"models/blob", 10, "code"},
		{"models/blob", MODELPACK_WEIGHT_THRESHOLD, "code"},
		{"models/blob", MODELPACK_WEIGHT_THRESHOLD + 1, "weight"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const char *k = modelpack_kind(v[i].name, v[i].size);

		if (strcmp(k, v[i].kind) != 0)
			fail_msg("%s: %s, expected %s", v[i].name, k, v[i].kind);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * fuzz_evaluate.c — libFuzzer target: `evaluate`'s reading of a predictions
 * table (pipeline/evaluate.c over common/table.c): labels against the task's
 * classes, scores, weights, group values, ids paired with a baseline, and the
 * outputs built from what was read. The first byte picks one of six option
 * sets (binary with scores, groups and curves; binary with predicted labels
 * and weights; multiclass with scores and named classes; regression; binary
 * paired with itself by id; multiclass paired by order); the rest is the table,
 * in a memory file because evaluate reads paths. A failure must be malformed
 * input with a position, or a local error; a success must render.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "pipeline/evaluate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input lives in a memory file, read through its /proc/self/fd path: no
 * file is left behind however the fuzzer exits. */
static int input_fd = -1;
static char input_name[64];

static const char *input_path(void)
{
	if (input_fd < 0) {
		input_fd = memfd_create("fuzz_evaluate", 0);
		if (input_fd < 0)
			abort();
		snprintf(input_name, sizeof(input_name), "/proc/self/fd/%d", input_fd);
	}
	return input_name;
}

static void options(uint8_t pick, const char *path, struct eval_opts *o)
{
	static const char *const groups[] = {"g", "h"};
	static const char *const scores[] = {"a", "b", "c"};
	static const char *const named[] = {"x", "y", "z"};
	static const char *const digits[] = {"0", "1", "2"};

	eval_opts_init(o);
	o->predictions = path;
	o->table.format = (enum table_format)(pick >> 4 & 3);
	o->groups = groups;
	switch (pick % 6) {
	case 0:
		o->score = "s", o->n_groups = 2, o->curves = "-", o->min_group_size = 2;
		break;
	case 1:
		o->pred = "p", o->positive = "yes", o->weight = "w", o->n_groups = 1;
		break;
	case 2:
		o->task = EVAL_MULTICLASS, o->scores = scores, o->n_scores = 3;
		o->classes = named, o->n_classes = 3, o->n_groups = 1;
		break;
	case 3:
		o->task = EVAL_REGRESSION, o->pred = "p", o->weight = "w", o->n_groups = 2;
		break;
	case 4:
		o->score = "s", o->baseline = path, o->id = "id";
		break;
	default:
		o->task = EVAL_MULTICLASS, o->pred = "p", o->classes = digits, o->n_classes = 3;
		o->baseline = path, o->skip_invalid = 0;
		break;
	}
	o->skip_invalid = !o->baseline && (pick & 0x40);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = input_path();
	struct eval_opts o;
	struct eval_result r;
	struct xp_error err;
	struct strbuf sb = STRBUF_INIT;
	char *text;

	if (size < 1)
		return 0;
	if (ftruncate(input_fd, 0) || pwrite(input_fd, data + 1, size - 1, 0) != (ssize_t)(size - 1))
		abort();
	options(data[0], path, &o);
	xp_error_clear(&err);
	if (evaluate_run(&o, &r, &err)) {
		if (err.msg[0] == '\0')
			__builtin_trap();
		if (err.cls != XP_ERR_MALFORMED && err.cls != XP_ERR_LOCAL)
			__builtin_trap();
		return 0;
	}
	text = evaluate_to_json(&r);
	free(text);
	text = evaluate_to_yaml(&r);
	free(text);
	evaluate_to_text(&r, &sb);
	evaluate_to_markdown(&r, &sb);
	strbuf_release(&sb);
	eval_result_release(&r);
	return 0;
}

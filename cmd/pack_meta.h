/*
 * pack_meta.h — what `pack` derives from its command line before the one
 * library call: the inputs (PATH arguments placed under the prefix, and the
 * ride-along records) and the bundle metadata from the
 * experiment record (pipeline/experiment.h), the gate decision record, the
 * data profile (pipeline/profile.h) and
 * --label. Functions print their own errors and return an exit code.
 */
#ifndef XPSHIP_CMD_PACK_META_H
#define XPSHIP_CMD_PACK_META_H

#include <stddef.h>

#include "packager/oci.h"
#include "packager/pack.h"
#include "packager/tree.h"

struct pack_inputs {
	struct tree_input *v;
	size_t n;
	char **strings;           /* owned strings the inputs point at */
	size_t n_strings;
	char *prefix;             /* normalised: "models", or "" for the root */
	struct oci_annots annots;
	struct pack_expect *expect;  /* the record's model.files and the records */
	size_t n_expect;
	int listed;               /* the record lists model.files: match them */
};

void pack_inputs_init(struct pack_inputs *in);
void pack_inputs_release(struct pack_inputs *in);

/* Each path lands at <prefix>/<basename(path)>. */
int pack_inputs_add_paths(struct pack_inputs *in, const char *prefix, char *const *paths,
			  size_t n);

/* Annotations from the records (either may be NULL), then the labels over
 * them; the records ride along under <prefix>/.xpship/. */
int pack_meta_collect(struct pack_inputs *in, const char *experiment, const char *decision,
		      const char *profile, const struct oci_annots *labels);

#endif

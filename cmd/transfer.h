/*
 * transfer.h — what push, pull and copy share: opening the source bundle,
 * one graph copy (packager/copy.h) into a destination reference, and its
 * summary under -v.
 */
#ifndef XPSHIP_CMD_TRANSFER_H
#define XPSHIP_CMD_TRANSFER_H

#include "packager/sign.h"
#include "packager/store.h"

struct transfer {
	const char *cmd;            /* "push", "pull", "copy": for messages */
	const char *verb;           /* "pushed", ...: for the -v summary */
	struct store_opts opts;     /* from the command line */
	struct store *src;          /* set by transfer_source */
	struct oci_desc desc;       /* the source manifest */
	struct sign_on_copy *sign;  /* optional: sign in the destination before tagging */
};

/* Open the store `ref` names and resolve its manifest into t->desc. 0, or
 * an exit code after printing the error. */
int transfer_source(struct transfer *t, const struct xp_ref *ref);
/* Copy t->desc with its companions into the store `dst` names (created when
 * local), sign it there when t->sign is set, tag it `tag` (NULL: none) and
 * commit. 0, or an exit code after
 * printing the error. */
int transfer_copy(struct transfer *t, const struct xp_ref *dst, const char *tag);
void transfer_release(struct transfer *t);

#endif

/*
 * transfer.h — what push, pull and copy share: opening the source bundle,
 * one graph copy (packager/copy.h) into a destination reference, its summary
 * under -v, and the --json result.
 */
#ifndef XPSHIP_CMD_TRANSFER_H
#define XPSHIP_CMD_TRANSFER_H

#include <jansson.h>

#include "packager/copy.h"
#include "packager/sign.h"
#include "packager/store.h"

struct cmd_def;

struct transfer {
	const char *cmd;            /* "push", "pull", "copy": for messages */
	const char *verb;           /* "pushed", ...: for the -v summary */
	struct store_opts opts;     /* from the command line */
	struct store *src;          /* set by transfer_source */
	struct oci_desc desc;       /* the source manifest */
	int force;                  /* --force: move a destination tag that names
				       another manifest (else refused, exit 1) */
	int json;                   /* --json */
	const char *output;         /* pull: -o/--output OUT */
	struct copy_stats stats;    /* filled by transfer_copy */
	struct sign_on_copy *sign;  /* push --sign: optional: sign in the destination before tagging */
	const char *sign_key;       /* push: --sign KEY */
	int pass_stdin;             /* push: --password-stdin */
};

/* The option values of --force and --json, and the options themselves
 * (each command lists them in its table, with JSONOUT_OPTION). */
#define TRANSFER_FORCE 'f'
#define TRANSFER_FORCE_OPTION \
	{"force", 'f', NULL, TRANSFER_FORCE, \
	 "move the destination tag when it names another\n" \
	 "manifest (refused otherwise: a champion tag moves\n" \
	 "with 'xpship promote')"}

/* All options of push, pull or copy (--force, --json, pull's -o OUT, the
 * registry options): -1 when the operands follow, else the exit code to
 * return. */
int transfer_parse(struct transfer *t, const struct cmd_def *spec, int argc, char **argv);
/* Open the store `ref` names and resolve its manifest into t->desc. 0, or
 * an exit code after printing the error. */
int transfer_source(struct transfer *t, const struct xp_ref *ref);
/* Copy t->desc with its companions into the store `dst` names (created when
 * local), sign it there when t->sign is set, tag it `tag` (NULL: none) and
 * commit. A tag that names another manifest there is refused (exit 1) unless
 * t->force; the same tag on the same digest is fine. 0, or an exit code after
 * printing the error. */
int transfer_copy(struct transfer *t, const struct xp_ref *dst, const char *tag);
/* The result on stdout: `shown` (the reference printed) as a line, or with
 * t->json the object {"schema", "reference": shown, "digest", "mediaType",
 * "size", "tag", "source", "destination", "blobs": {...}}. */
int transfer_print(struct transfer *t, const char *shown, const char *source,
		   const char *destination, const char *tag);
void transfer_release(struct transfer *t);

#endif

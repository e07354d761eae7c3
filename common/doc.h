/*
 * doc.h — YAML and JSON documents as trees whose every node keeps its position.
 *
 * doc_load_* parses with libyaml (JSON is first checked by jansson, so a JSON file
 * gets JSON's rules and jansson's own error text, then positioned by libyaml, of
 * which JSON is a subset). Plain scalars are typed by the YAML 1.2 core schema
 * (null, true/false, ints, floats incl. .inf/.nan); quoted scalars and `!!str` are
 * strings. Duplicate keys, non-scalar keys, nesting deeper than DOC_MAX_DEPTH and
 * alias expansion beyond DOC_MAX_NODES are errors. Anchors and aliases share nodes.
 *
 * Every node lives in the document's arena: pointers into a doc are borrowed and
 * stay valid until doc_free. All load errors are XP_ERR_MALFORMED with a position,
 * except an unreadable file (XP_ERR_LOCAL).
 */
#ifndef XPSHIP_COMMON_DOC_H
#define XPSHIP_COMMON_DOC_H

#include <stddef.h>

#include "common/digest.h"
#include "common/error.h"

/* The largest input document read from a file: an experiment record, a
 * metrics file, a policy (64 MiB). */
#define DOC_MAX_SIZE (64u * 1024 * 1024)

#define DOC_MAX_DEPTH 128
#define DOC_MAX_NODES 2000000

enum doc_type { DOC_MAP, DOC_SEQ, DOC_SCALAR };
enum doc_kind { DOC_STR, DOC_NULL, DOC_BOOL, DOC_INT, DOC_FLOAT };
enum doc_format { DOC_AUTO, DOC_YAML, DOC_JSON };

struct doc_pair;

struct doc_node {
	enum doc_type type;
	enum doc_kind kind;        /* scalars only */
	const char *str;           /* scalar text, NUL-terminated */
	size_t len;                /* scalar length */
	unsigned line, col;        /* 1-based start of the node */
	size_t n;                  /* seq: items; map: pairs */
	struct doc_node **items;   /* seq */
	struct doc_pair *pairs;    /* map, in document order */
};

struct doc_pair {
	struct doc_node *key;      /* always a scalar */
	struct doc_node *value;
};

struct doc {
	char *name;                /* the file name used in positions */
	struct doc_node *root;     /* NULL for an empty document */
	void *arena_;
};

/* Load `path` (at most `max` bytes: a larger file is XP_ERR_MALFORMED, so
 * /dev/zero or a runaway file cannot exhaust memory); positions use `path` as
 * given. DOC_AUTO picks JSON for a name ending ".json", YAML otherwise.
 * `digest` (optional) receives the sha256 of exactly the bytes parsed. */
int doc_load_file(const char *path, enum doc_format fmt, size_t max,
		  char digest[XP_DIGEST_SIZE], struct doc **out,
		  struct xp_error *err);
/* Load from memory; `name` appears in positions. */
int doc_load_buf(const char *buf, size_t len, const char *name, enum doc_format fmt,
		 struct doc **out, struct xp_error *err);
void doc_free(struct doc *d);

/* The value under `key` in a mapping (NULL when absent or node is not a map). */
const struct doc_node *doc_get(const struct doc_node *map, const char *key);
/* The key node under which `key` is stored (for positions), or NULL. */
const struct doc_node *doc_get_key(const struct doc_node *map, const char *key);

/* A finite number from an int or float scalar: 0 and *out set, else -1. */
int doc_number(const struct doc_node *n, double *out);
/* 1 for a string scalar (quoted, or plain that is not null/bool/number). */
int doc_is_string(const struct doc_node *n);
/* "mapping", "sequence", "string", "null", "boolean", "integer", "number". */
const char *doc_type_name(const struct doc_node *n);

#endif

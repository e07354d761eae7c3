/*
 * tree.h — the files a pack takes: PATH arguments walked into one sorted list
 * of entries, each named by where it lands inside the bundle.
 *
 * An input is a file or directory on disk (`src`, followed if it is a
 * symbolic link: the user named it) and the path it lands at (`dest`,
 * "models/model.onnx": relative, '/'-separated). Inside a directory nothing is
 * followed: a symbolic link is kept as a link, and must stay inside its input
 * (a relative target that does not climb above the input's root); an absolute
 * or escaping target is refused, so a bundle never carries a link out of what
 * was packed. Sockets, FIFOs and device nodes are refused. Hard links are
 * packed as separate regular files.
 *
 * Entries are normalised for reproducible layers: names sorted bytewise (a
 * directory always precedes its contents), modes 0755 for directories and
 * files with any execute bit, 0644 for other files, 0777 for links; owners and
 * times are not recorded here at all. The directories leading to every input
 * ("models", ...) are added as implied entries. Two inputs landing at the same
 * path are an error.
 *
 * Names and link targets are kept byte for byte and must be UTF-8 (utf8.h:
 * strict, never normalised, so "é" and "e" + U+0301 stay two names).
 *
 * Errors: a missing or unreadable input is XP_ERR_LOCAL; a special file, an
 * escaping link or a name clash is XP_ERR_USAGE (the command line asked for
 * something xpship will not pack); a name or link target that is not UTF-8 is
 * XP_ERR_MALFORMED, its bytes quoted in the message (utf8_quote).
 */
#ifndef XPSHIP_PACKAGER_TREE_H
#define XPSHIP_PACKAGER_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

enum tree_type { TREE_DIR, TREE_FILE, TREE_LINK };

struct tree_entry {
	char *name;          /* inside the bundle: relative, no "./", no trailing '/' */
	char *src;           /* on disk; NULL for an implied directory */
	enum tree_type type;
	unsigned mode;       /* normalised permission bits */
	uint64_t size;       /* regular files */
	char *link;          /* symbolic link target, else NULL */
	int implied;         /* a directory added only to hold other entries */
	int input;           /* an input itself (its src may be a link, followed) */
};

struct tree {
	struct tree_entry *v;  /* sorted by name */
	size_t n;
};

struct tree_input {
	const char *src;
	const char *dest;
};

int tree_scan(const struct tree_input *in, size_t n, struct tree *out, struct xp_error *err);
void tree_release(struct tree *t);

/* 1 when `dir` is a proper ancestor directory of `name` ("a" of "a/b"). */
int tree_is_ancestor(const char *dir, const char *name);

/* 1 when a link target stays inside the tree: relative, its ".." components
 * all leading and not climbing above the root from the link's directory,
 * which is `depth` levels below the root. */
int tree_link_inside(const char *target, size_t depth);

/* "models/x/y.bin" → "y.bin" (borrowed pointer into name). */
const char *tree_basename(const char *name);
/* The permission bits a bundle carries for an entry of this type whose
 * source had `mode`: 0755 for directories and for files with any execute bit,
 * 0644 for other files, 0777 for links; never setuid, setgid, sticky or
 * group/world-writable. Pack writes these, unpack restores only these. */
unsigned tree_mode(enum tree_type type, unsigned mode);

#endif

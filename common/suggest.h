/*
 * suggest.h — "did you mean" for misspelt commands, options and keys.
 */
#ifndef XPSHIP_COMMON_SUGGEST_H
#define XPSHIP_COMMON_SUGGEST_H

#include <stddef.h>

/* Optimal-string-alignment distance (insert, delete, substitute, transpose). */
size_t suggest_distance(const char *a, const char *b);

/* The candidate closest to `word`, or NULL when none is close enough (distance
 * at most max(1, strlen(word)/3) or a prefix of at least 3 characters).
 * `cands` is NULL-terminated when n is (size_t)-1. Borrowed from cands. */
const char *suggest_closest(const char *word, const char *const *cands, size_t n);

#endif

/*
 * utf8.h — the one strict UTF-8 check (RFC 3629) and a printable form of text
 * that fails it.
 *
 * Strict: no overlong forms, no UTF-16 surrogates (U+D800..U+DFFF), nothing
 * past U+10FFFF, no truncated sequence. Text is NUL-terminated; NUL itself
 * ends it. Nothing here normalises: two spellings of one letter (NFC "é",
 * NFD "e" + U+0301) are both valid and stay distinct.
 */
#ifndef XPSHIP_COMMON_UTF8_H
#define XPSHIP_COMMON_UTF8_H

#include <stddef.h>

/* Bytes of the valid UTF-8 sequence s starts with (1..4), 0 when it starts
 * none (or at the terminating NUL). */
size_t utf8_seq_len(const char *s);

/* 1 when all of s is valid UTF-8. */
int utf8_valid(const char *s);

/* 1 when s holds a byte outside ASCII. */
int utf8_has_non_ascii(const char *s);

/* s with every byte that is not part of a valid sequence (and every control
 * character) written as \xHH, backslashes as "\\": printable, valid UTF-8,
 * and telling the bytes apart. Caller frees. */
char *utf8_quote(const char *s);

#endif

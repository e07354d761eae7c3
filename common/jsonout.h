/*
 * jsonout.h — jansson output whose numbers read as written: 0.1, not
 * 0.10000000000000001, and still round-trip exactly.
 */
#ifndef XPSHIP_COMMON_JSONOUT_H
#define XPSHIP_COMMON_JSONOUT_H

#include <stddef.h>

#include <jansson.h>

/* json_dumps(j, flags) with 15 significant digits for reals when every real
 * in j prints back to itself with 15 (true of any number that came from
 * decimal text of up to 15 digits), else 17. Aborts when out of memory;
 * the caller frees the result. */
char *json_dumps_exact(const json_t *j, size_t flags);

/* v in the shortest "%.*g" (6 to 17 digits) that reads back as v, into
 * buf (at least XP_NUM_SIZE bytes); returns buf. */
#define XP_NUM_SIZE 40
char *xp_num_format(double v, char *buf);

#endif

/*
 * timeutil.h — the build's notion of "now" and how times are written.
 *
 * SOURCE_DATE_EPOCH (reproducible-builds.org) is read in one place: when set
 * and not empty it must be decimal seconds since 1970, at most
 * XP_EPOCH_MAX (9999-12-31T23:59:59Z, the last second RFC 3339's four-digit
 * year can write); anything else is a usage error naming the value, for every
 * command alike. Times are written as RFC 3339 UTC ("2026-12-06T07:09:35Z").
 */
#ifndef XPSHIP_COMMON_TIMEUTIL_H
#define XPSHIP_COMMON_TIMEUTIL_H

#include "common/error.h"

#define XP_EPOCH_MAX 253402300799LL
#define XP_TIME_SIZE 32   /* room for an RFC 3339 UTC time and its NUL */

/* SOURCE_DATE_EPOCH: *set is 1 and *out its value when it is set and not
 * empty, else *set is 0 and *out the current time. Invalid: XP_ERR_USAGE. */
int xp_source_date_epoch(long long *out, int *set, struct xp_error *err);

/* `t` (seconds since 1970, 0..XP_EPOCH_MAX) as RFC 3339 UTC. */
void xp_time_format(long long t, char out[XP_TIME_SIZE]);

/* An RFC 3339 UTC time as xp_time_format writes it ("YYYY-MM-DDTHH:MM:SSZ")
 * back to seconds since 1970: 0 and *out set, -1 when it is not one. */
int xp_time_parse(const char *s, long long *out);

/* A duration "90s", "30m", "12h", "7d", "2w" (a positive decimal count and one
 * unit) in seconds: 0 and *out set, -1 when invalid or longer than 100 years. */
int xp_duration_parse(const char *s, long long *out);

#endif

/*
 * timeutil.c — SOURCE_DATE_EPOCH and RFC 3339 times (see timeutil.h).
 */
#include "common/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int xp_source_date_epoch(long long *out, int *set, struct xp_error *err)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	*set = 0;
	*out = (long long)time(NULL);
	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || end == s || s[0] == '-' || s[0] == '+' || s[0] == ' ' ||
	    v < 0 || v > XP_EPOCH_MAX)
		return xp_error_set(err, XP_ERR_USAGE,
				    "invalid SOURCE_DATE_EPOCH '%.64s': expected seconds since 1970", s);
	*out = v;
	*set = 1;
	return 0;
}

void xp_time_format(long long t, char out[XP_TIME_SIZE])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t < 0 || t > XP_EPOCH_MAX || !gmtime_r(&tt, &tm) ||
	    !strftime(out, XP_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, XP_TIME_SIZE, "1970-01-01T00:00:00Z");
}

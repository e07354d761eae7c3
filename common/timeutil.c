/*
 * timeutil.c — SOURCE_DATE_EPOCH and RFC 3339 times (see timeutil.h).
 */
#include "common/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

int xp_time_parse(const char *s, long long *out)
{
	unsigned y, mo, d, h, mi, se;
	char z, extra;
	char back[XP_TIME_SIZE];
	long long t;

	if (!s || sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u%c%c", &y, &mo, &d, &h, &mi, &se, &z,
			 &extra) != 7 || z != 'Z')
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
		return -1;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	if (t < 0 || t > XP_EPOCH_MAX)
		return -1;
	xp_time_format(t, back);
	if (strcmp(back, s) != 0)   /* 2026-02-30 and friends */
		return -1;
	*out = t;
	return 0;
}

int xp_duration_parse(const char *s, long long *out)
{
	static const struct { char unit; long long secs; } units[] = {
		{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800},
	};
	char *end;
	long long v;
	size_t i;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || v <= 0 || end[0] == '\0' || end[1] != '\0')
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (units[i].unit != *end)
			continue;
		if (v > 100LL * 366 * 86400 / units[i].secs)
			return -1;
		*out = v * units[i].secs;
		return 0;
	}
	return -1;
}

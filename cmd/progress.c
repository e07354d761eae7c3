/*
 * progress.c — the stderr progress reporter behind cmd_progress() (cmd.h).
 *
 * On a terminal: one self-overwriting line "label  45% 1.2 GiB/2.0 GiB 310 MiB/s",
 * redrawn at most every 100 ms. Otherwise (CI logs): a plain line at each further
 * 10% of an item of at least 8 MiB. With --quiet: nothing.
 */
#include "cmd/cmd.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SMALL (8u << 20)

static struct {
	pthread_mutex_t lock;
	int tty;
	double start, last;
	unsigned last_decile;
	char label[96];
} st = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, ""};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void human(char *buf, size_t n, double v)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

static void short_label(char *out, size_t n, const char *label)
{
	size_t len = strlen(label);

	if (len < n)
		snprintf(out, n, "%s", label);
	else
		snprintf(out, n, "...%s", label + len - (n - 4));
}

static void on_update(void *ctx, const char *label, uint64_t done, uint64_t total)
{
	char a[32], b[32], r[32], lbl[48];
	double t;

	(void)ctx;
	pthread_mutex_lock(&st.lock);
	t = now();
	if (strncmp(st.label, label, sizeof(st.label) - 1) != 0) {
		snprintf(st.label, sizeof(st.label), "%s", label);
		st.start = t;
		st.last = 0;
		st.last_decile = 0;
	}
	short_label(lbl, sizeof(lbl), label);
	if (st.tty) {
		if (t - st.last >= 0.1) {
			double rate = t > st.start ? (double)done / (t - st.start) : 0;

			st.last = t;
			human(a, sizeof(a), (double)done);
			human(b, sizeof(b), (double)total);
			human(r, sizeof(r), rate);
			if (total)
				fprintf(stderr, "\r\033[K%s %3d%% %s/%s %s/s", lbl,
					(int)(done * 100 / total), a, b, r);
			else
				fprintf(stderr, "\r\033[K%s %s %s/s", lbl, a, r);
		}
	} else if (total >= SMALL) {
		unsigned decile = (unsigned)(done * 10 / total);

		if (decile > st.last_decile && decile < 10) {
			st.last_decile = decile;
			human(a, sizeof(a), (double)done);
			human(b, sizeof(b), (double)total);
			fprintf(stderr, "%s: %u%% (%s of %s)\n", lbl, decile * 10, a, b);
		}
	}
	pthread_mutex_unlock(&st.lock);
}

static void on_done(void *ctx, const char *label, uint64_t total)
{
	char a[32], r[32], lbl[48];
	double t, rate;

	(void)ctx;
	pthread_mutex_lock(&st.lock);
	t = now();
	rate = strcmp(st.label, label) == 0 && t > st.start ? (double)total / (t - st.start) : 0;
	short_label(lbl, sizeof(lbl), label);
	human(a, sizeof(a), (double)total);
	human(r, sizeof(r), rate);
	if (st.tty)
		fprintf(stderr, "\r\033[K%s %s done (%s/s)\n", lbl, a, r);
	else if (total >= SMALL)
		fprintf(stderr, "%s: 100%% (%s)\n", lbl, a);
	st.label[0] = '\0';
	pthread_mutex_unlock(&st.lock);
}

const struct xp_progress *cmd_progress(void)
{
	static struct xp_progress p = {on_update, on_done, NULL};

	if (diag_is_quiet())
		return NULL;
	st.tty = isatty(STDERR_FILENO);
	return &p;
}

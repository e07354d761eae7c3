/*
 * progress.h — how long-running library work reports progress.
 *
 * Libraries receive a `const struct xp_progress *` (NULL means silent) and call
 * xp_progress_update() as bytes move; cmd/ decides how it looks (a bar with bytes/s
 * on a TTY, a plain line every ~10% otherwise, nothing with --quiet). `label`
 * names the item (a file, a blob digest); `total` may be 0 when unknown. Calls
 * may come from several threads: implementations serialise themselves.
 */
#ifndef XPSHIP_COMMON_PROGRESS_H
#define XPSHIP_COMMON_PROGRESS_H

#include <stdint.h>

struct xp_progress {
	void (*update)(void *ctx, const char *label, uint64_t done, uint64_t total);
	void (*done)(void *ctx, const char *label, uint64_t total);
	void *ctx;
};

static inline void xp_progress_update(const struct xp_progress *p, const char *label,
				      uint64_t done, uint64_t total)
{
	if (p && p->update)
		p->update(p->ctx, label, done, total);
}

static inline void xp_progress_done(const struct xp_progress *p, const char *label,
				    uint64_t total)
{
	if (p && p->done)
		p->done(p->ctx, label, total);
}

#endif

/* test_blockz.c — block-parallel gzip and zstd (packager/blockz.c): zlib and
 * libzstd read back exactly the input for sizes around the block edges; the
 * bytes are the same for any thread count and any write sizes; a failing
 * sink stops the stream with its own error. */
#include "tests/unit/test_common.h"
#include "common/strbuf.h"
#include "packager/blockz.h"

#include <zlib.h>
#include <zstd.h>

struct out {
	unsigned char *p;
	size_t len, cap;
	int calls, fail_at;   /* fail_at: the call that fails, 0: none */
};

static int collect(void *ctx, const void *data, size_t len, struct xp_error *err)
{
	struct out *o = ctx;

	if (++o->calls == o->fail_at)
		return xp_error_set(err, XP_ERR_LOCAL, "cannot write 'blob': No space left on device");
	if (o->len + len > o->cap) {
		o->cap = (o->len + len) * 2;
		o->p = xrealloc(o->p, o->cap);
	}
	memcpy(o->p + o->len, data, len);
	o->len += len;
	return 0;
}

/* size bytes: runs of a repeating pattern and of pseudo-random bytes, so
 * blocks compress differently. */
static unsigned char *input(size_t size)
{
	unsigned char *p = xmalloc(size ? size : 1);
	uint32_t x = 2463534242u;
	size_t i;

	for (i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (i / 100000) % 2 ? (unsigned char)x : (unsigned char)("xpship "[i % 7]);
	}
	return p;
}

static void pack_stream(enum blockz_codec c, int threads, const unsigned char *in, size_t len,
		     size_t piece, struct out *o)
{
	struct blockz *z = blockz_start(c, threads, collect, o);
	struct xp_error err;
	size_t off;

	for (off = 0; off < len; off += piece)
		if (blockz_write(z, in + off, len - off < piece ? len - off : piece, &err))
			fail_msg("%s", err.msg);
	if (blockz_finish(z, &err))
		fail_msg("%s", err.msg);
	blockz_free(z);
}

/* One gzip member whose content is in[0..len). */
static void check_gzip(const struct out *o, const unsigned char *in, size_t len)
{
	unsigned char *back = xmalloc(len + 1);
	z_stream zs;

	/* no name, no mtime: the header is fixed */
	assert_true(o->len >= 18);
	assert_memory_equal(o->p, "\x1f\x8b\x08\x00\x00\x00\x00\x00", 8);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(inflateInit2(&zs, 16 + 15), Z_OK);
	zs.next_in = o->p;
	zs.avail_in = (uInt)o->len;
	zs.next_out = back;
	zs.avail_out = (uInt)len + 1;
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END); /* CRC and size checked */
	assert_int_equal(zs.avail_in, 0);
	assert_int_equal(zs.total_out, len);
	assert_memory_equal(back, in, len);
	inflateEnd(&zs);
	free(back);
}

/* zstd frames whose content is in[0..len); returns the frame count. */
static int check_zstd(const struct out *o, const unsigned char *in, size_t len)
{
	unsigned char *back = xmalloc(len + 1);
	size_t off = 0, got = 0;
	int frames = 0;

	while (off < o->len) {
		size_t n = ZSTD_findFrameCompressedSize(o->p + off, o->len - off);
		unsigned long long content = ZSTD_getFrameContentSize(o->p + off, n);
		size_t d;

		assert_false(ZSTD_isError(n));
		assert_true(content != ZSTD_CONTENTSIZE_UNKNOWN && content != ZSTD_CONTENTSIZE_ERROR);
		d = ZSTD_decompress(back + got, len + 1 - got, o->p + off, n);
		assert_false(ZSTD_isError(d));
		assert_int_equal(d, content);
		got += d;
		off += n;
		frames++;
	}
	assert_int_equal(got, len);
	assert_memory_equal(back, in, len);
	free(back);
	return frames;
}

static void test_round_trip(void **state)
{
	static const size_t mib = 1u << 20;
	const size_t sizes[] = {0, 1, mib - 1, mib, mib + 1, 2 * mib, 2 * mib + 1, 5 * mib + 77};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *in = input(sizes[i]);
		struct out g = {0}, z = {0};
		int frames;

		pack_stream(BLOCKZ_GZIP, 2, in, sizes[i], 65536, &g);
		check_gzip(&g, in, sizes[i]);
		pack_stream(BLOCKZ_ZSTD, 2, in, sizes[i], 65536, &z);
		frames = check_zstd(&z, in, sizes[i]);
		/* a frame per started 2 MiB block, one (empty) for no input */
		assert_int_equal(frames, sizes[i] ? (int)((sizes[i] + 2 * mib - 1) / (2 * mib)) : 1);
		free(g.p);
		free(z.p);
		free(in);
	}
}

/* gzip blocks are primed with the 32 KiB before them: 4 MiB of one 20,000
 * byte random run repeated compress as well as in one zlib stream (each
 * block alone would cost the run again, 20 KB a block). */
static void test_gzip_window(void **state)
{
	size_t len = 4u << 20, i;
	unsigned char *run = input(220000), *in = xmalloc(len);
	struct out o = {0};
	unsigned char *single;
	uLongf single_len;

	(void)state;
	for (i = 0; i < len; i++)
		in[i] = run[100000 + i % 20000];
	pack_stream(BLOCKZ_GZIP, 2, in, len, len, &o);
	check_gzip(&o, in, len);
	single_len = compressBound(len);
	single = xmalloc(single_len);
	assert_int_equal(compress2(single, &single_len, in, len, 6), Z_OK);
	assert_true(o.len < single_len + 1000);
	free(single);
	free(o.p);
	free(in);
	free(run);
}

/* Same input, other thread counts and write sizes: the same bytes. */
static void test_deterministic(void **state)
{
	static const enum blockz_codec cs[] = {BLOCKZ_GZIP, BLOCKZ_ZSTD};
	static const int threads[] = {2, 3, 4, 8};
	size_t len = (9u << 20) / 2 + 5, i, k;
	unsigned char *in = input(len);

	(void)state;
	for (i = 0; i < 2; i++) {
		struct out one = {0};

		pack_stream(cs[i], 1, in, len, len, &one);
		for (k = 0; k < sizeof(threads) / sizeof(threads[0]); k++) {
			struct out o = {0};

			pack_stream(cs[i], threads[k], in, len, k % 2 ? 1000 : 3u << 20, &o);
			assert_int_equal(o.len, one.len);
			assert_memory_equal(o.p, one.p, one.len);
			free(o.p);
		}
		free(one.p);
	}
	assert_int_equal(blockz_threads(3), 3);
	assert_int_equal(blockz_threads(100), BLOCKZ_MAX_THREADS);
	assert_true(blockz_threads(0) >= 1 && blockz_threads(0) <= BLOCKZ_MAX_THREADS);
	free(in);
}

/* The sink fails on its 1st, 2nd or 3rd call: the error is the sink's,
 * later calls fail too, nothing hangs. */
static void test_sink_fails(void **state)
{
	static const enum blockz_codec cs[] = {BLOCKZ_GZIP, BLOCKZ_ZSTD};
	size_t len = 7u << 20, i, off;
	unsigned char *in = input(len);
	int at, threads;

	(void)state;
	for (i = 0; i < 2; i++)
		for (threads = 1; threads <= 2; threads++)
			for (at = 1; at <= 3; at++) {
				struct out o = {0};
				struct blockz *z;
				struct xp_error err;
				int rc = 0;

				o.fail_at = at;
				z = blockz_start(cs[i], threads, collect, &o);
				for (off = 0; off < len && !rc; off += 1u << 20)
					rc = blockz_write(z, in + off, 1u << 20, &err);
				if (!rc)
					rc = blockz_finish(z, &err);
				assert_int_equal(rc, -1);
				assert_int_equal(err.cls, XP_ERR_LOCAL);
				assert_string_equal(err.msg, "cannot write 'blob': No space left on device");
				assert_int_equal(blockz_write(z, in, 10, &err), -1);
				assert_int_equal(blockz_finish(z, &err), -1);
				blockz_free(z);
				free(o.p);
			}
	blockz_free(NULL);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_gzip_window),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_sink_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

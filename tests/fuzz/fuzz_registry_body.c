/*
 * fuzz_registry_body.c — libFuzzer target: the registry client's readers of
 * answers (packager/registry_*.c) against arbitrary HTTP answers, above all
 * bodies without a length (chunked, or ended by the connection closing).
 *
 * A loopback server thread answers every request with the input's bytes (after
 * the first, which picks the reader) as a raw HTTP response, then closes the
 * connection; http_proxy points curl at it, so whatever host an answer names
 * (a token realm, a redirect) is still this server and nothing leaves the
 * machine. The readers, through the public store interface:
 *   0  a manifest by tag: resolve (HEAD, then a GET into memory) and, when it
 *      resolves, the streamed, verified GET by digest
 *   1  the tag list
 *   2  the referrers list (and its fallback tag)
 *   3  a bearer token answer: requests get a fixed 401 whose realm is /token,
 *      and /token gets the input
 *   4  a blob, streamed and verified against a digest and size
 *   5  the body cap itself (reg_body_keep) over the input cut in pieces: the
 *      body kept never passes the cap, and is a prefix of what was sent
 * Any crash, sanitizer report or hang (fuzz.sh runs with -timeout) fails.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "packager/oci.h"
#include "packager/ref.h"
#include "packager/registry_http_impl.h"
#include "packager/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	pthread_mutex_t lock;
	int fd;
	int port;
	int token_mode;
	char *resp;
	size_t len;
} srv = {PTHREAD_MUTEX_INITIALIZER, -1, 0, 0, NULL, 0};

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Read a request head; 1 when its target (absolute through the proxy, or a
 * path) names /token. */
static int read_request(int fd)
{
	char buf[16384];
	size_t got = 0;
	char *sp, *path;

	while (got < sizeof(buf) - 1) {
		ssize_t n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);

		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
		if (strstr(buf, "\r\n\r\n"))
			break;
	}
	buf[got] = '\0';
	sp = strchr(buf, ' ');
	if (!sp)
		return 0;
	path = sp + 1;
	if (strncmp(path, "http://", 7) == 0) {
		path = strchr(path + 7, '/');
		if (!path)
			return 0;
	}
	return strncmp(path, "/token", 6) == 0;
}

static void *serve(void *arg)
{
	(void)arg;
	for (;;) {
		struct timeval tv = {2, 0};
		int c = accept(srv.fd, NULL, NULL), token;
		char *resp;
		size_t len;

		if (c < 0)
			continue;
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		token = read_request(c);
		pthread_mutex_lock(&srv.lock);
		if (srv.token_mode && !token) {
			resp = xasprintf("HTTP/1.1 401 Unauthorized\r\n"
					 "Www-Authenticate: Bearer realm=\"http://127.0.0.1:%d/token\",service=\"fuzz\"\r\n"
					 "Content-Length: 0\r\n\r\n", srv.port);
			len = strlen(resp);
		} else {
			resp = xmalloc(srv.len + 1);
			memcpy(resp, srv.resp, srv.len);
			len = srv.len;
		}
		pthread_mutex_unlock(&srv.lock);
		send_all(c, resp, len);
		free(resp);
		shutdown(c, SHUT_WR);
		close(c);
	}
	return NULL;
}

static void init(void)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	pthread_t t;
	char proxy[64], home[] = "/tmp/xpship-fuzz-home.XXXXXX";

	signal(SIGPIPE, SIG_IGN);
	srv.fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (srv.fd < 0 || bind(srv.fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(srv.fd, 64) || getsockname(srv.fd, (struct sockaddr *)&a, &alen))
		abort();
	srv.port = ntohs(a.sin_port);
	if (pthread_create(&t, NULL, serve, NULL))
		abort();
	pthread_detach(t);
	/* every request, whatever host it names, goes to the server above */
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", srv.port);
	setenv("http_proxy", proxy, 1);
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	/* no credentials from the environment or a docker config */
	if (!mkdtemp(home))
		abort();
	setenv("HOME", home, 1);
	unsetenv("DOCKER_CONFIG");
	unsetenv("XPSHIP_REGISTRY_USERNAME");
	unsetenv("XPSHIP_REGISTRY_PASSWORD");
	setenv("XPSHIP_REGISTRY_RETRIES", "0", 1);
	setenv("XPSHIP_REGISTRY_RETRY_DELAY_MS", "0", 1);
	setenv("XPSHIP_REGISTRY_RETRY_MAX_MS", "0", 1);
	setenv("XPSHIP_REGISTRY_STALL_TIMEOUT", "2", 1);
}

/* Mode 5: the cap over the input in pieces whose sizes the input gives. */
static void body_cap(const uint8_t *data, size_t size)
{
	struct reg_client *c;
	struct strbuf all = STRBUF_INIT;
	struct reg_resp rs;
	struct reg_xfer x;
	size_t cap, off = 2;
	int cut = 0;

	if (size < 2)
		return;
	c = reg_client_new("fuzz.invalid", NULL);
	reg_resp_init(&rs);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.rs = &rs;
	cap = data[0] * 8u;
	rs.content_length = data[1] & 1 ? (int64_t)(data[1] >> 1) * 16 : -1;
	while (off < size && !cut) {
		size_t n = data[off] % 64 + 1;

		off++;
		if (n > size - off)
			n = size - off;
		strbuf_add(&all, (const char *)data + off, n);
		cut = reg_body_keep(&x, &rs, cap, (const char *)data + off, n);
		off += n;
		/* never past the cap; always the start of what came */
		if (rs.body.len > cap || rs.body.len > all.len ||
		    memcmp(rs.body.buf, all.buf, rs.body.len) != 0)
			__builtin_trap();
		/* whole while within the cap, cut when past it */
		if (!cut && rs.body.len != all.len)
			__builtin_trap();
		if (cut != (all.len > cap || (rs.content_length >= 0 &&
					      (uint64_t)rs.content_length > cap)))
			__builtin_trap();
	}
	if (cut != (rs.too_large && x.overflow))
		__builtin_trap();
	strbuf_release(&all);
	reg_resp_release(&rs);
	reg_client_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct store_opts opts;
	struct store *s = NULL;
	struct xp_error err;
	struct xp_ref ref;
	struct oci_desc d;
	char name[64], *buf = NULL;
	size_t len = 0;
	int mode;

	if (size < 1)
		return 0;
	mode = data[0] % 6;
	if (mode == 5) {
		body_cap(data + 1, size - 1);
		return 0;
	}
	pthread_once(&once, init);
	pthread_mutex_lock(&srv.lock);
	free(srv.resp);
	srv.resp = xmalloc(size);
	memcpy(srv.resp, data + 1, size - 1);
	srv.len = size - 1;
	srv.token_mode = mode == 3;
	pthread_mutex_unlock(&srv.lock);

	memset(&opts, 0, sizeof(opts));
	opts.plain_http = 1;
	xp_error_clear(&err);
	snprintf(name, sizeof(name), "registry.fuzz:%d/team/model:v1", srv.port);
	if (ref_parse(name, REF_REGISTRY_ONLY, &ref, &err))
		abort();
	if (store_open(&ref, &opts, &s, &err))
		abort();
	memset(&d, 0, sizeof(d));
	switch (mode) {
	case 0:
		if (store_resolve(s, "v1", &d, &err) == 0 &&
		    store_fetch_all(s, &d, OCI_MANIFEST_MAX, &buf, &len, &err) == 0 && len > OCI_MANIFEST_MAX)
			__builtin_trap();
		break;
	case 1:
	case 3: {
		char **tags = NULL;
		size_t n = 0;

		if (store_tags(s, &tags, &n, &err) == 0)
			store_tags_free(tags, n);
		break;
	}
	case 2: {
		struct oci_desc *refs = NULL;
		size_t n = 0;

		d.media_type = xstrdup("application/vnd.oci.image.manifest.v1+json");
		snprintf(d.digest, sizeof(d.digest), "sha256:%064d", 0);
		d.size = 2;
		if (store_referrers(s, &d, &refs, &n, &err) == 0)
			oci_descs_free(refs, n);
		break;
	}
	case 4:
		d.media_type = xstrdup("application/octet-stream");
		/* sha256("hello\n") */
		snprintf(d.digest, sizeof(d.digest), "%s",
			 "sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
		d.size = 6;
		if (store_fetch_all(s, &d, 1 << 20, &buf, &len, &err) == 0 &&
		    (len != 6 || memcmp(buf, "hello\n", 6) != 0))
			__builtin_trap();
		break;
	}
	/* a failure always says what failed */
	if (err.cls != XP_ERR_NONE && err.msg[0] == '\0')
		__builtin_trap();
	free(buf);
	oci_desc_release(&d);
	store_close(s);
	ref_release(&ref);
	return 0;
}

/*
 * keyarg.c — private keys and passphrases for the signing commands (see
 * keyarg.h).
 */
#include "cmd/keyarg.h"
#include "cmd/cmd.h"
#include "common/fileio.h"
#include "common/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#define PASS_MAX 4096

void keyarg_passphrase_release(struct passphrase *p)
{
	if (p->buf) {
		OPENSSL_cleanse(p->buf, PASS_MAX + 1);
		free(p->buf);
	}
	p->buf = NULL;
	p->len = 0;
}

/* One line from fd (without its line end) into a new PASS_MAX buffer. */
static int read_line(int fd, const char *what, struct passphrase *p, struct xp_error *err)
{
	char *buf = xmalloc(PASS_MAX + 1);
	size_t n = 0;

	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			OPENSSL_cleanse(buf, PASS_MAX + 1);
			free(buf);
			return xp_error_errno(err, XP_ERR_LOCAL, "cannot read passphrase from %s", what);
		}
		if (r == 0 || c == '\n')
			break;
		if (n == PASS_MAX) {
			OPENSSL_cleanse(buf, PASS_MAX + 1);
			free(buf);
			return xp_error_set(err, XP_ERR_USAGE,
					    "passphrase from %s is longer than %d bytes", what, PASS_MAX);
		}
		buf[n++] = c;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	p->buf = buf;
	p->len = n;
	return 0;
}

int keyarg_passphrase(int from_stdin, struct passphrase *p, struct xp_error *err)
{
	const char *env;
	size_t n;

	p->buf = NULL;
	p->len = 0;
	if (from_stdin)
		return read_line(STDIN_FILENO, "standard input", p, err);
	env = getenv("XPSHIP_KEY_PASSWORD");
	if (!env || !*env)
		return 0;
	n = strlen(env);
	if (n > PASS_MAX)
		return xp_error_set(err, XP_ERR_USAGE,
				    "XPSHIP_KEY_PASSWORD is longer than %d bytes", PASS_MAX);
	p->buf = xmalloc(PASS_MAX + 1);
	memcpy(p->buf, env, n + 1);
	p->len = n;
	return 0;
}

static int prompt_once(int fd, const char *prompt, struct passphrase *p, struct xp_error *err)
{
	struct termios old, quiet;
	int ret;

	if (tcgetattr(fd, &old) < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot read passphrase from the terminal");
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	if (write_full(fd, prompt, strlen(prompt)) < 0 ||
	    tcsetattr(fd, TCSAFLUSH, &quiet) < 0)
		return xp_error_errno(err, XP_ERR_LOCAL, "cannot read passphrase from the terminal");
	ret = read_line(fd, "the terminal", p, err);
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write_full(fd, "\n", 1) < 0)
		(void)0;
	return ret;
}

int keyarg_prompt(const char *prompt, int confirm, struct passphrase *p,
		  struct xp_error *err)
{
	struct passphrase again = {NULL, 0};
	int fd, ret = -1;

	p->buf = NULL;
	p->len = 0;
	if (!isatty(STDIN_FILENO))
		return 0;
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return 0;
	if (prompt_once(fd, prompt, p, err))
		goto out;
	if (confirm) {
		if (prompt_once(fd, "Enter the passphrase again: ", &again, err))
			goto out;
		if (again.len != p->len || CRYPTO_memcmp(again.buf, p->buf, p->len) != 0) {
			xp_error_set(err, XP_ERR_USAGE, "the passphrases do not match");
			goto out;
		}
	}
	ret = 0;
out:
	if (ret)
		keyarg_passphrase_release(p);
	keyarg_passphrase_release(&again);
	close(fd);
	return ret;
}

int keyarg_load_private(const char *spec, int pass_stdin, struct sign_key **out)
{
	struct passphrase pass = {NULL, 0};
	struct xp_error err;
	char *pem = NULL, *prompt;
	size_t len = 0;
	int ret = -1;

	xp_error_clear(&err);
	if (key_source_read(spec, &pem, &len, &err))
		goto out;
	if (key_pem_is_encrypted(pem, len)) {
		if (keyarg_passphrase(pass_stdin, &pass, &err))
			goto out;
		if (!pass.buf) {
			prompt = xasprintf("Enter the passphrase for '%s': ", spec);
			ret = keyarg_prompt(prompt, 0, &pass, &err);
			free(prompt);
			if (ret)
				goto out;
			ret = -1;
		}
		if (!pass.buf && key_pem_is_cosign(pem, len)) {
			/* cosign keys may be encrypted under an empty passphrase */
			ret = key_load_private(pem, len, spec, "", 0, out, &err);
			if (ret == 0 || err.cls != XP_ERR_USAGE)
				goto out;
			xp_error_clear(&err);
		}
		if (!pass.buf) {
			xp_error_set(&err, XP_ERR_USAGE,
				     "cannot load key '%s': it is encrypted; give the passphrase in "
				     "XPSHIP_KEY_PASSWORD or with --password-stdin", spec);
			goto out;
		}
	}
	ret = key_load_private(pem, len, spec, pass.buf, pass.len, out, &err);
out:
	key_secret_free(pem, len);
	keyarg_passphrase_release(&pass);
	return ret ? cmd_fail(&err) : 0;
}

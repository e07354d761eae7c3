/*
 * keygen.c — `xpship keygen`: create a signing key pair PREFIX.key and PREFIX.pub.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship keygen [--type ecdsa-p256|ed25519|rsa-3072] -o PREFIX\n"
	"\n"
	"Create a signing key pair PREFIX.key and PREFIX.pub.\n";

int cmd_keygen(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

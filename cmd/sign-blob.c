/*
 * sign-blob.c — `xpship sign-blob`: sign a file; prints a base64 DER signature.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship sign-blob --key KEY FILE\n"
	"\n"
	"Sign a file; prints a base64 DER signature.\n";

int cmd_sign_blob(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

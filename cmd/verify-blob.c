/*
 * verify-blob.c — `xpship verify-blob`: verify a file's signature.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship verify-blob --key PUB --signature FILE.sig FILE\n"
	"\n"
	"Verify a file's signature.\n";

int cmd_verify_blob(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

/*
 * unpack.c — `xpship unpack`: extract a bundle's model files into DIR, verifying every digest.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship unpack BUNDLE DIR\n"
	"\n"
	"Extract a bundle's model files into DIR, verifying every digest.\n";

int cmd_unpack(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

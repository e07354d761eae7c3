/*
 * pack.c — `xpship pack`: pack model files into a deterministic OCI bundle.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship pack -o OUT -t TAG [options] PATH...\n"
	"\n"
	"Pack model files into a deterministic OCI bundle.\n";

int cmd_pack(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

/*
 * inspect.c — `xpship inspect`: show a bundle's tags, digests, layers, metadata and metrics.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship inspect [--json] BUNDLE\n"
	"\n"
	"Show a bundle's tags, digests, layers, metadata and metrics.\n";

int cmd_inspect(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

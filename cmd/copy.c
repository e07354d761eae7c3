/*
 * copy.c — `xpship copy`: copy a bundle between repositories or registries.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship copy SRC DST\n"
	"\n"
	"Copy a bundle between repositories or registries.\n";

int cmd_copy(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

/*
 * logout.c — `xpship logout`: remove stored registry credentials.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship logout HOST\n"
	"\n"
	"Remove stored registry credentials.\n";

int cmd_logout(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

/*
 * tags.c — `xpship tags`: list a repository's tags.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship tags REF\n"
	"\n"
	"List a repository's tags.\n";

int cmd_tags(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

/*
 * gate.c — `xpship gate`: decide promotion: evaluate metric thresholds against the production champion.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship gate --policy FILE (--metrics FILE | --experiment FILE) [--baseline SRC] [--decision FILE] [--junit FILE] [--summary FILE]\n"
	"\n"
	"Decide promotion: evaluate metric thresholds against the production champion.\n";

int cmd_gate(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

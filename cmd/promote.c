/*
 * promote.c — `xpship promote`: move TAG to the digest REF names after verifying it.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship promote [--verify-key PUB] [--require-verdict pass] REF --to TAG\n"
	"\n"
	"Move TAG to the digest REF names after verifying it.\n";

int cmd_promote(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

/*
 * pull.c — `xpship pull`: pull a bundle from a registry into an OCI layout.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship pull REF OUT\n"
	"\n"
	"Pull a bundle from a registry into an OCI layout.\n";

int cmd_pull(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

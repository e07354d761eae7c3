/*
 * attest.c — `xpship attest`: attach signed in-toto/SLSA provenance and the gate decision.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship attest --key KEY [--experiment FILE] [--decision FILE] BUNDLE\n"
	"\n"
	"Attach signed in-toto/SLSA provenance and the gate decision.\n";

int cmd_attest(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

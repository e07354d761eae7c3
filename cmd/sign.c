/*
 * sign.c — `xpship sign`: sign a bundle's manifest digest (cosign-compatible).
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship sign --key KEY [--identity REGISTRY/REPO] BUNDLE\n"
	"\n"
	"Sign a bundle's manifest digest (cosign-compatible).\n";

int cmd_sign(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

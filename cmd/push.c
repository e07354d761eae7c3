/*
 * push.c — `xpship push`: push a bundle and its signatures to a registry.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship push [--plain-http] [--insecure] [--ca-file F] [--jobs N] BUNDLE REF\n"
	"\n"
	"Push a bundle and its signatures to a registry.\n";

int cmd_push(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

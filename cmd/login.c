/*
 * login.c — `xpship login`: store registry credentials.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship login HOST -u USER --password-stdin\n"
	"\n"
	"Store registry credentials.\n";

int cmd_login(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

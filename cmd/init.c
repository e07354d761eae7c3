/*
 * init.c — `xpship init`: write a commented starter experiment record (experiment.yaml) into DIR.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship init [DIR]\n"
	"\n"
	"Write a commented starter experiment record (experiment.yaml) into DIR.\n";

int cmd_init(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

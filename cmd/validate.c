/*
 * validate.c — `xpship validate`: check an experiment record: schema, references and data digests.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship validate [--format text|json|github|sarif] [--strict] [--no-digest-check] FILE\n"
	"\n"
	"Check an experiment record: schema, references and data digests.\n";

int cmd_validate(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

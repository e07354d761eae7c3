/*
 * verify.c — `xpship verify`: verify a bundle's digests, signature and attestations.
 */
#include "cmd/cmd.h"

static const char usage[] =
	"usage: xpship verify --key PUB [--require-attestation] [--require-verdict pass] BUNDLE\n"
	"\n"
	"Verify a bundle's digests, signature and attestations.\n";

int cmd_verify(int argc, char **argv)
{
	return cmd_stub(argc, argv, usage);
}

/*
 * exitcode.c — exit codes and the class → exit code table (see exitcode.h).
 */
#include "cmd/exitcode.h"

const struct xp_exit_desc xp_exit_table[] = {
	{XP_EXIT_OK, "success"},
	{XP_EXIT_NO, "the answer is no: invalid record, gate failed, verification failed"},
	{XP_EXIT_USAGE, "usage error"},
	{XP_EXIT_MALFORMED, "malformed input"},
	{XP_EXIT_SYSTEM, "local system error"},
	{XP_EXIT_REMOTE, "remote or registry error"},
	{0, NULL},
};

enum xp_exit xp_exit_of(enum xp_err cls)
{
	static const enum xp_exit map[] = {
		[XP_ERR_NONE] = XP_EXIT_SYSTEM,
		[XP_ERR_NOT_FOUND] = XP_EXIT_NO,
		[XP_ERR_INTEGRITY] = XP_EXIT_NO,
		[XP_ERR_REFUSED] = XP_EXIT_NO,
		[XP_ERR_MALFORMED] = XP_EXIT_MALFORMED,
		[XP_ERR_LOCAL] = XP_EXIT_SYSTEM,
		[XP_ERR_REMOTE] = XP_EXIT_REMOTE,
		[XP_ERR_USAGE] = XP_EXIT_USAGE,
	};

	return (unsigned)cls < sizeof(map) / sizeof(map[0]) ? map[cls] : XP_EXIT_SYSTEM;
}

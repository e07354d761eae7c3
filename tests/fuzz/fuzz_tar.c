/*
 * fuzz_tar.c — libFuzzer target: the oci-archive tar index (packager/tar.c).
 * Every indexed entry must lie inside the input.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "packager/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tar_index ix;
	struct xp_error err;
	int fd = memfd_create("fuzz", 0);
	size_t i;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		__builtin_trap();
	if (tar_scan(fd, size, "f", &ix, &err) == 0) {
		for (i = 0; i < ix.n; i++) {
			if (ix.v[i].offset > size || ix.v[i].size > size - ix.v[i].offset)
				__builtin_trap();
			if (!ix.v[i].name[0] || ix.v[i].name[0] == '/')
				__builtin_trap();
		}
		tar_index_release(&ix);
	} else if (!err.msg[0]) {
		__builtin_trap();
	}
	close(fd);
	return 0;
}

/*
 * fuzz_oci.c — libFuzzer target: the OCI manifest, index and image-config
 * parsers (packager/oci.c). The first byte picks the parser; whatever parses
 * must build back to JSON that parses to the same bytes again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packager/oci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data + 1;
	struct xp_error err;
	size_t len, len2;
	char *a, *b;

	if (size < 1)
		return 0;
	size--;
	xp_error_clear(&err);
	switch (data[0] % 4) {
	case 0: {
		struct oci_manifest m, m2;

		if (oci_manifest_parse(buf, size, "f", &m, &err)) {
			if (!err.msg[0])
				__builtin_trap();
			break;
		}
		a = oci_manifest_build(&m, &len);
		if (oci_manifest_parse(a, len, "f", &m2, &err))
			__builtin_trap();
		b = oci_manifest_build(&m2, &len2);
		if (len != len2 || memcmp(a, b, len))
			__builtin_trap();
		free(a);
		free(b);
		oci_manifest_release(&m);
		oci_manifest_release(&m2);
		break;
	}
	case 1: {
		struct oci_index ix, ix2;

		if (oci_index_parse(buf, size, "f", &ix, &err)) {
			if (!err.msg[0])
				__builtin_trap();
			break;
		}
		a = oci_index_build(&ix, &len);
		if (oci_index_parse(a, len, "f", &ix2, &err))
			__builtin_trap();
		b = oci_index_build(&ix2, &len2);
		if (len != len2 || memcmp(a, b, len))
			__builtin_trap();
		free(a);
		free(b);
		oci_index_release(&ix);
		oci_index_release(&ix2);
		break;
	}
	case 2: {
		struct oci_config_info c;

		if (oci_config_parse(buf, size, "f", &c, &err) == 0)
			oci_config_info_release(&c);
		else if (!err.msg[0])
			__builtin_trap();
		break;
	}
	default: {
		struct oci_desc *v;
		size_t n;
		char *mt;

		if (oci_sniff_media_type(buf, size, "f", &mt, &err))
			break;
		if (oci_children(mt, buf, size, "f", &v, &n, &err) == 0)
			oci_descs_free(v, n);
		free(mt);
		break;
	}
	}
	return 0;
}

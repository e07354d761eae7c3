/*
 * modelpack.h — the CNCF ModelPack layer kind of a file, by name and size,
 * classified as modctl (the ModelPack reference builder) classifies a
 * workspace: configuration, then weights, then code, then documentation, each
 * a list of case-insensitive name patterns; a file none matches is a weight
 * when larger than 128 MiB, else code.
 */
#ifndef XPSHIP_PACKAGER_MODELPACK_H
#define XPSHIP_PACKAGER_MODELPACK_H

#include <stdint.h>

/* Files of an unknown kind larger than this are weights (modctl's threshold). */
#define MODELPACK_WEIGHT_THRESHOLD (128ull * 1024 * 1024)

/* "weight", "weight.config", "code", "doc" or "dataset" for the bundle path
 * `name` (its basename is matched) of `size` bytes. The records xpship adds
 * under .xpship/ are documentation; tabular data files (csv, tsv, parquet,
 * arrow, avro) are datasets, a kind modctl assigns only when told. */
const char *modelpack_kind(const char *name, uint64_t size);

#endif

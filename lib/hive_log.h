/* Transaction-log replay for dirty hives: lib/hive_log.c finds a hive's
 * logs, checks them and writes the hive with the logs applied into a
 * private anonymous file; lib/source_hive.c's open path reads that copy
 * instead of the primary. The user's files are only ever read. */
#ifndef REGDIFF_HIVE_LOG_H
#define REGDIFF_HIVE_LOG_H

#include "internal.h"

/* The seed Windows uses for the hashes of log entries. */
#define REGDIFF__HVLE_SEED UINT64_C(0x82EF4D887A4E55C5)

uint64_t regdiff__marvin32(const uint8_t *p, size_t n, uint64_t seed);

/* The XOR-32 checksum of a base block's first 508 bytes, with Windows'
 * two adjustments (0 -> 1, 0xffffffff -> 0xfffffffe). */
uint32_t regdiff__regf_checksum(const uint8_t *base);

/* What replay did for one hive (see regdiff_logs_info in source.h). */
typedef struct regdiff__logs {
	int state;
	uint32_t entries, pages, sequence;
	char *files;  /* base names of the logs applied (or found), ", " between */
	char *reason; /* why replay stopped or could not be done; "" if not */
} regdiff__logs;

/* In lib/logs_info.c, built everywhere (snapshots carry this too). */
void regdiff__logs_clear(regdiff__logs *l);
/* Borrowing view of l for the public API. */
void regdiff__logs_info(const regdiff__logs *l, regdiff_logs_info *out);

/* An anonymous file of size bytes (zeros): a memfd, else an unlinked
 * temporary file; never named, gone once closed. libhivex, which opens only
 * by name, reaches it as /proc/self/fd/N. The caller closes *fd. */
int regdiff__hive_anon_file(int *fd, uint64_t size);

/* Looks at the primary (map, size bytes of file) and, when it is dirty and
 * mode allows, replays its logs. On success *fd is -1 (read the primary as
 * it is) or an anonymous file (0600, never named, gone once closed) holding
 * the repaired hive, which the caller closes; out says what was done.
 * mode REGDIFF_LOGS_REQUIRE turns "dirty but the logs cannot be applied"
 * into REGDIFF_EHIVE with the reason. */
int regdiff__hive_logs_replay(regdiff__logs *out, int *fd, const char *file, const uint8_t *map,
			      size_t size, int mode);

#endif

/* What the fuzz targets share: the libFuzzer entry points (also called by
 * replay_main.c in ordinary builds), an output that collects a report, and
 * checks of the library's promises that abort when one is broken, so that
 * libFuzzer (or a replay under ctest) sees a crash. */
#ifndef REGDIFF_FUZZ_UTIL_H
#define REGDIFF_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "regdiff.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "fuzz: <what>" and aborts. */
_Noreturn void fuzz_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* A failure must be a known negative code with a message. */
void fuzz_check_error(int rc);

/* A regdiff_write_fn target: collects what is written, and fails every
 * write once more than fail_after bytes would have been written (never
 * when fail_after is SIZE_MAX), to exercise the formatters' error paths. */
typedef struct fuzz_out {
	uint8_t *data;
	size_t len, cap;
	size_t fail_after;
	int failed; /* a write was refused */
} fuzz_out;

int fuzz_out_write(void *ctx, const void *buf, size_t len);
void fuzz_out_free(fuzz_out *o);

/* Checks a complete report: JSON lines must be lines lines, each one JSON
 * object (json_check.h); TXT must be well-formed UTF-8 (or UTF-16LE with a
 * BOM when flags has REGDIFF_REPORT_UTF16LE) with no control character
 * but its line ends (LF, or CR LF with REGDIFF_REPORT_CRLF). */
void fuzz_check_report(const fuzz_out *o, const regdiff_report_options *opts, uint64_t lines);

/* The same without aborting: 0, or -1 with what is wrong in why. */
int fuzz_report_problem(const fuzz_out *o, const regdiff_report_options *opts, uint64_t lines,
			char *why, size_t size);

/* Reads a little-endian field from a fuzz input, advancing *p; missing
 * bytes read as 0. */
typedef struct fuzz_in {
	const uint8_t *p;
	size_t n;
} fuzz_in;

uint8_t fuzz_u8(fuzz_in *in);
uint16_t fuzz_u16(fuzz_in *in);
uint32_t fuzz_u32(fuzz_in *in);
uint64_t fuzz_u64(fuzz_in *in);
/* Up to n bytes (fewer at the end of the input); returns how many. */
size_t fuzz_bytes(fuzz_in *in, size_t n, const uint8_t **out);

/* A small valid snapshot (one mount, two values) to compare fuzzed ones
 * with. Built once; the caller owns *out (regdiff_snapshot_free()). */
int fuzz_small_snapshot(regdiff_snapshot **out);

/* A small snapshot in small blocks, with child tables (fuzz_util.c says
 * what it holds), so that a compare with one like it pairs children from
 * tables. fuzz_write_tables writes variant 0 (the one
 * fuzz_tables_snapshot opens), 1 or 2 into out: seeds. */
int fuzz_write_tables(regdiff__buf *out, unsigned variant);
int fuzz_tables_snapshot(regdiff_snapshot **out);

#endif

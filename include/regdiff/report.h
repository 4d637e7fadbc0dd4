/* regdiff - reports: a diff written for people and for programs.
 *
 * TXT follows Regshot's layout (sections "Keys deleted:", "Keys added:",
 * "Values deleted:", "Values added:", "Values modified:", "Total
 * changes:"); JSON lines writes one object per change in diff order; HTML
 * writes one self-contained page. All stream: memory stays bounded (TXT
 * and HTML spool their sections to temporary files). Changes at
 * persistence locations are listed first (TXT, HTML) or carry their tag
 * (JSON lines).
 */
#ifndef REGDIFF_REPORT_H
#define REGDIFF_REPORT_H

#include "common.h"
#include "diff.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum regdiff_report_format {
	REGDIFF_REPORT_TXT = 0,
	REGDIFF_REPORT_JSONL = 1,
	REGDIFF_REPORT_HTML = 2 /* REGDIFF_EUNSUPPORTED where not built in
				 * (regdiff_features()) */
} regdiff_report_format;

enum regdiff_report_flags {
	REGDIFF_REPORT_CRLF = 1u << 0,	  /* TXT: CRLF line ends */
	REGDIFF_REPORT_UTF16LE = 1u << 1, /* TXT: UTF-16LE with a BOM */
	/* HTML: long binary data whole instead of shortened (TXT and JSON
	 * lines always write it whole) */
	REGDIFF_REPORT_FULL_DATA = 1u << 2
};

#define REGDIFF_REPORT_OPTIONS_VERSION 2
typedef struct regdiff_report_options {
	unsigned version; /* REGDIFF_REPORT_OPTIONS_VERSION (1 is read too) */
	regdiff_report_format format;
	unsigned flags;	     /* regdiff_report_flags */
	const char *comment; /* TXT "Comments:" line, HTML header; may be NULL */
	/* Version 2: how the sides were lined up (regdiff_sides_line_up()),
	 * said in the header (TXT "Note:", HTML); NULL or "" for nothing.
	 * JSON lines, which have no header, leave it out: their stream is
	 * changes only, empty when there are none. */
	const char *note;
} regdiff_report_options;
#define REGDIFF_REPORT_OPTIONS_INIT                                                                \
	{                                                                                          \
		REGDIFF_REPORT_OPTIONS_VERSION, REGDIFF_REPORT_TXT, 0, NULL, NULL                  \
	}

/* Counts of what a report listed, indexed by regdiff_op; total is their
 * sum without REGDIFF_NOT_COMPARED (what was not seen is no change).
 * by_op has room for REGDIFF_REPORT_COUNTS_OPS kinds, more than there are
 * (REGDIFF_OP_COUNT), so that new kinds of change leave the struct's size
 * and layout as they are; the entries past the kinds the library knows
 * stay 0. */
#define REGDIFF_REPORT_COUNTS_VERSION 1
#define REGDIFF_REPORT_COUNTS_OPS 32
typedef struct regdiff_report_counts {
	unsigned version; /* REGDIFF_REPORT_COUNTS_VERSION */
	uint64_t by_op[REGDIFF_REPORT_COUNTS_OPS];
	uint64_t total;
	/* Changes at persistence locations (regdiff_change.persistence), also
	 * counted in by_op and total. */
	uint64_t persistence;
} regdiff_report_counts;
#define REGDIFF_REPORT_COUNTS_INIT                                                                 \
	{                                                                                          \
		REGDIFF_REPORT_COUNTS_VERSION, {0}, 0, 0                                           \
	}

/* Runs the diff to its end and writes the report through write(ctx, ...).
 * The diff must not have been advanced yet: one that has been (by
 * regdiff_diff_next) is refused with REGDIFF_EINVAL, since the report
 * would miss the changes already handed out. opts may be NULL (TXT, no
 * flags); counts may be NULL. write may be NULL to count the changes
 * (counts) without writing anything. On failure counts are all 0. */
REGDIFF_API int regdiff_report_write(regdiff_report_counts *counts, regdiff_diff *diff,
				     const regdiff_report_options *opts, regdiff_write_fn write,
				     void *ctx);

/* The same into the file at path, written under a temporary name in the
 * same folder and renamed over path only when complete. */
REGDIFF_API int regdiff_report_to_file(regdiff_report_counts *counts, regdiff_diff *diff,
				       const regdiff_report_options *opts, const char *path);

#ifdef __cplusplus
}
#endif
#endif

/* regdiff - reports: a diff written for people and for programs.
 *
 * TXT follows Regshot's layout (sections "Keys deleted:", "Keys added:",
 * "Values deleted:", "Values added:", "Values modified:", "Total
 * changes:"); JSON lines writes one object per change in diff order; HTML
 * writes one self-contained page; REG and REG_UNDO write regedit scripts
 * (.reg files) that redo or undo the changes. All stream: memory stays
 * bounded (TXT and HTML spool their sections to temporary files). Changes at
 * persistence locations are listed first (TXT, HTML) or carry their tag
 * (JSON lines).
 */
#ifndef REGDIFF_REPORT_H
#define REGDIFF_REPORT_H

#include "common.h"
#include "diff.h"
#include "filter.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum regdiff_report_format {
	REGDIFF_REPORT_TXT = 0,
	REGDIFF_REPORT_JSONL = 1,
	REGDIFF_REPORT_HTML = 2, /* REGDIFF_EUNSUPPORTED where not built in
				  * (regdiff_features()) */
	/* Regedit scripts (UTF-16LE .reg files): REG imported on the before
	 * state gives the after state, REG_UNDO imported on the after state
	 * gives the before state. What a .reg file cannot say is left out as
	 * a "; left out" comment line and counted in
	 * regdiff_report_counts.left_out. */
	REGDIFF_REPORT_REG = 3,
	REGDIFF_REPORT_REG_UNDO = 4
} regdiff_report_format;

enum regdiff_report_flags {
	REGDIFF_REPORT_CRLF = 1u << 0,	  /* TXT: CRLF line ends */
	REGDIFF_REPORT_UTF16LE = 1u << 1, /* TXT: UTF-16LE with a BOM */
	/* HTML: long binary data whole instead of shortened (TXT and JSON
	 * lines always write it whole) */
	REGDIFF_REPORT_FULL_DATA = 1u << 2,
	/* TXT: Regshot's first line ("regdiff V (Regshot 1.9 compatible) x64
	 * Unicode", ANSI without REGDIFF_REPORT_UTF16LE), dates and "  ,  "
	 * separators, for tools that read Regshot's reports */
	REGDIFF_REPORT_REGSHOT = 1u << 3,
	/* With filters: also list the changes they removed, in a section of
	 * their own (JSON lines: each with "filter":{"removed":true,...}) */
	REGDIFF_REPORT_SHOW_FILTERED = 1u << 4,
	/* TXT in UTF-8: start with a byte order mark (EF BB BF), by which
	 * Windows programs know UTF-8 from the ANSI code page (UTF-16LE
	 * always has its own; JSON lines and HTML never get one) */
	REGDIFF_REPORT_BOM = 1u << 5
};

#define REGDIFF_REPORT_OPTIONS_VERSION 2
typedef struct regdiff_report_options {
	unsigned version; /* REGDIFF_REPORT_OPTIONS_VERSION (1 is read too) */
	regdiff_report_format format;
	unsigned flags;	     /* regdiff_report_flags */
	const char *comment; /* TXT "Comments:" line, HTML header; may be NULL */
	/* Version 2: the filters to apply (borrowed; include/regdiff/filter.h),
	 * or NULL for none. The report then says which were active and how
	 * many changes each removed; changes at persistence locations are
	 * never removed, only marked with the rule they matched. */
	const regdiff_filters *filters;
	/* Version 2 too: how the sides were lined up (regdiff_sides_line_up()),
	 * said in the header (TXT "Note:", HTML); NULL or "" for nothing.
	 * JSON lines, which have no header, leave it out: their stream is
	 * changes only, empty when there are none. */
	const char *note;
} regdiff_report_options;
#define REGDIFF_REPORT_OPTIONS_INIT                                                                \
	{                                                                                          \
		REGDIFF_REPORT_OPTIONS_VERSION, REGDIFF_REPORT_TXT, 0, NULL, NULL, NULL            \
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
	/* Regedit scripts: changes left out as comments, since a .reg file
	 * cannot say them (0 for the other formats). */
	uint64_t left_out;
	/* Changes the filters removed: not in by_op, persistence or total. */
	uint64_t filtered;
} regdiff_report_counts;
#define REGDIFF_REPORT_COUNTS_INIT                                                                 \
	{                                                                                          \
		REGDIFF_REPORT_COUNTS_VERSION, {0}, 0, 0, 0, 0                                     \
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

/* Checks opts as a report does before it begins, for callers that have
 * work to do first (shots, a command to run): a known version, format and
 * flags, and that this process can write the format (HTML: loads libxml2
 * here, REGDIFF_EUNSUPPORTED where it cannot be). path, the file the
 * report will go to, is named in the message; it may be NULL. */
REGDIFF_API int regdiff_report_check(const regdiff_report_options *opts, const char *path);

#ifdef __cplusplus
}
#endif
#endif

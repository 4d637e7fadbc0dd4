/* Report internals: the formatters run over any source of changes, so
 * they can be tested without snapshots, and share a buffered output. */
#ifndef REGDIFF_REPORT_INTERNAL_H
#define REGDIFF_REPORT_INTERNAL_H

#include "internal.h"

/* The next change into *out (borrowed until the next call): 0,
 * REGDIFF_ITEROVER at the end, or a negative error code. */
typedef int (*regdiff__change_next_fn)(void *ctx, const regdiff_change **out);

/* Writes the report of every change next gives, in the order it gives
 * them (the diff's key-path order), through write(write_ctx, ...). before
 * and after describe the two snapshots for the TXT header; either may be
 * NULL for "unknown". opts may be NULL (TXT, no flags). counts may be
 * NULL; it is zeroed on failure. An error from next is returned as is. A
 * TXT report writes nothing until the changes are all read; a JSON lines
 * report streams. */
int regdiff__report_run(regdiff__change_next_fn next, void *next_ctx,
			const regdiff_snapshot_info *before, const regdiff_snapshot_info *after,
			const regdiff_report_options *opts, regdiff_write_fn write, void *write_ctx,
			regdiff_report_counts *counts);

/* The same into the file at path, which appears only when complete. */
int regdiff__report_run_to_file(regdiff__change_next_fn next, void *next_ctx,
				const regdiff_snapshot_info *before,
				const regdiff_snapshot_info *after,
				const regdiff_report_options *opts, const char *path,
				regdiff_report_counts *counts);

/* A dirty hive of one side and what was done about its logs, for the
 * reports' headers. */
typedef struct regdiff__report_logs {
	int side; /* 0 before, 1 after */
	const char *mount;
	regdiff_logs_info info;
} regdiff__report_logs;

/* regdiff__report_run and _to_file with the dirty hives of both sides. */
int regdiff__report_run_logs(regdiff__change_next_fn next, void *next_ctx,
			     const regdiff_snapshot_info *before,
			     const regdiff_snapshot_info *after, const regdiff__report_logs *logs,
			     size_t nlogs, const regdiff_report_options *opts,
			     regdiff_write_fn write, void *write_ctx,
			     regdiff_report_counts *counts);

/* ---- Shared by the formatters ---- */

/* Output gathered into pieces of about 64 KiB before it is written. */
typedef struct regdiff__sink {
	regdiff_write_fn write;
	void *ctx;
	regdiff__buf buf;
} regdiff__sink;

/* Writes what buf holds; a write failure gives REGDIFF_EIO. */
int regdiff__sink_flush(regdiff__sink *s);
/* The same once buf holds 64 KiB or more. */
int regdiff__sink_flush_if_full(regdiff__sink *s);

/* The filters of a report (regdiff_report_options.filters): they sit
 * between the changes and the formatter, so that every format, present
 * and future, sees the same changes and counts. */
typedef struct regdiff__report_filter {
	const regdiff_filters *filters;
	bool show; /* REGDIFF_REPORT_SHOW_FILTERED: removed changes are passed on */
	regdiff__change_next_fn next; /* where the changes come from */
	void *next_ctx;
	uint64_t *removed, *marked; /* per rule of filters */
	uint64_t removed_total, marked_total;
	int verdict; /* of the change last passed on: regdiff_filter_verdict */
	size_t rule; /* the exclude rule it matched, or SIZE_MAX */
} regdiff__report_filter;

/* Starts filtering the changes of next with o->filters (not NULL). */
int regdiff__report_filter_init(regdiff__report_filter *rf, const regdiff_report_options *o,
				regdiff__change_next_fn next, void *next_ctx);
/* A regdiff__change_next_fn over a regdiff__report_filter. */
int regdiff__report_filter_next(void *rf, const regdiff_change **out);
void regdiff__report_filter_fini(regdiff__report_filter *rf);

/* One formatter's run, its arguments checked: before, after, opts and
 * counts are not NULL, counts is zeroed and opts is valid for the
 * format. */
typedef struct regdiff__report_job {
	regdiff__change_next_fn next;
	void *next_ctx;
	const regdiff_snapshot_info *before;
	const regdiff_snapshot_info *after;
	const regdiff_report_options *opts;
	regdiff_write_fn write;
	void *write_ctx;
	regdiff_report_counts *counts;
	const regdiff__report_logs *logs; /* dirty hives, before's first */
	/* The diff the changes come from, for what it counted without
	 * listing (regdiff_diff_unread_both()); NULL for other sources. */
	const regdiff_diff *diff;
	size_t nlogs;
	/* The filters, or NULL when the options give none. */
	const regdiff__report_filter *filter;
	/* How the sides were lined up (regdiff_report_options.note); never
	 * NULL, "" for nothing. */
	const char *note;
} regdiff__report_job;

/* How the change last given by job->next stands with the filters:
 * REGDIFF_FILTER_KEEP (also without filters), REGDIFF_FILTER_REMOVE (a
 * removed change, passed on only for REGDIFF_REPORT_SHOW_FILTERED: list
 * it apart, do not count it) or REGDIFF_FILTER_KEEP_MARKED; the rule it
 * matched into *rule (NULL when none). What a format, ours or a new one,
 * calls for each change. */
int regdiff__report_filter_state(const regdiff__report_job *job, const regdiff_filter_info **rule);

/* "Noise profile: 2026.11" or "Noise profile: none", and "Filters: N rules,
 * N changes removed, N kept at persistence locations" into buf (at least
 * REGDIFF__NOTE_MAX bytes): the two summary lines every format writes when
 * it has filters. */
void regdiff__report_filter_lines(const regdiff__report_job *job, char *noise, char *filters);

int regdiff__report_txt(const regdiff__report_job *job);
int regdiff__report_jsonl(const regdiff__report_job *job);
/* REGDIFF_REPORT_REG and REGDIFF_REPORT_REG_UNDO */
int regdiff__report_reg(const regdiff__report_job *job);
/* Only where REGDIFF_HAVE_HTML (libxml2) is defined. */
int regdiff__report_html(const regdiff__report_job *job);
/* Loads libxml2 once per process (thread-safe; lib/html_dl.c): 0, or
 * REGDIFF_EUNSUPPORTED with a message naming output (when not NULL), the
 * library and why it cannot be loaded, on every call. */
int regdiff__html_load(const char *output);

/* Whether the report is incomplete: a change was not compared, or either
 * snapshot records something it could not read. Then note gets
 * "incomplete: N not compared, N unread in both, N problems before, N
 * after" (fits in REGDIFF__NOTE_MAX bytes) for the summary line of every
 * format. */
#define REGDIFF__NOTE_MAX 192
bool regdiff__report_incomplete(const regdiff__report_job *job, char note[REGDIFF__NOTE_MAX]);

/* Adds c to counts; REGDIFF_EINVAL when its op is not a regdiff_op. */
int regdiff__report_count(regdiff_report_counts *counts, const regdiff_change *c);
/* Zeroes the counts but their version. */
void regdiff__report_counts_reset(regdiff_report_counts *counts);

/* Keys and values not read alike on both sides, counted by the diff and
 * not listed (0 when the changes do not come from a diff). */
uint64_t regdiff__report_unread_both(const regdiff__report_job *job);

#endif

/* Reports: checking the options, choosing the formatter, writing to a
 * callback or a file. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define SINK_FULL ((size_t)64 << 10)

int regdiff__sink_flush(regdiff__sink *s)
{
	if (s->buf.len == 0)
		return 0;
	int ret = s->write(s->ctx, s->buf.data, s->buf.len);
	if (ret != 0)
		return regdiff__error(REGDIFF_EIO,
				      "writing the report failed (the output returned %d)", ret);
	s->buf.len = 0;
	return 0;
}

int regdiff__sink_flush_if_full(regdiff__sink *s)
{
	return s->buf.len >= SINK_FULL ? regdiff__sink_flush(s) : 0;
}

void regdiff__report_counts_reset(regdiff_report_counts *counts)
{
	unsigned version = counts->version;
	memset(counts, 0, sizeof *counts);
	counts->version = version;
}

int regdiff__report_count(regdiff_report_counts *counts, const regdiff_change *c)
{
	if (c->op < REGDIFF_KEY_DELETED || c->op > REGDIFF_NOT_COMPARED)
		return regdiff__error(REGDIFF_EINVAL, "change of unknown kind %d", (int)c->op);
	counts->by_op[c->op]++;
	if (c->persistence)
		counts->persistence++;
	/* What was not seen is no change. */
	if (c->op != REGDIFF_NOT_COMPARED)
		counts->total++;
	return 0;
}

uint64_t regdiff__report_unread_both(const regdiff__report_job *job)
{
	return regdiff_diff_unread_both(job->diff);
}

bool regdiff__report_incomplete(const regdiff__report_job *job, char note[REGDIFF__NOTE_MAX])
{
	uint64_t nc = job->counts->by_op[REGDIFF_NOT_COMPARED];
	uint64_t both = regdiff__report_unread_both(job);
	uint64_t pb = job->before->problems, pa = job->after->problems;
	snprintf(note, REGDIFF__NOTE_MAX,
		 "incomplete: %" PRIu64 " not compared, %" PRIu64 " unread in both, %" PRIu64
		 " problems before, %" PRIu64 " after",
		 nc, both, pb, pa);
	return nc || both || pb || pa;
}

/* output: the file the report is for, named in a message, or NULL. */
static int check_options(const regdiff_report_options *o, const char *output)
{
	if (o->version < 1 || o->version > REGDIFF_REPORT_OPTIONS_VERSION)
		return regdiff__error(REGDIFF_EINVAL, "report options of unknown version %u",
				      o->version);
	if (o->format < REGDIFF_REPORT_TXT || o->format > REGDIFF_REPORT_REG_UNDO)
		return regdiff__error(REGDIFF_EINVAL, "unknown report format %d", (int)o->format);
	const unsigned known = REGDIFF_REPORT_CRLF | REGDIFF_REPORT_UTF16LE |
			       REGDIFF_REPORT_FULL_DATA | REGDIFF_REPORT_REGSHOT |
			       REGDIFF_REPORT_SHOW_FILTERED | REGDIFF_REPORT_BOM;
	if (o->flags & ~known)
		return regdiff__error(REGDIFF_EINVAL, "unknown report flags 0x%x",
				      o->flags & ~known);
	if ((o->flags & (REGDIFF_REPORT_CRLF | REGDIFF_REPORT_UTF16LE | REGDIFF_REPORT_REGSHOT |
			 REGDIFF_REPORT_BOM)) &&
	    o->format != REGDIFF_REPORT_TXT)
		return regdiff__error(
		    REGDIFF_EINVAL,
		    "CRLF, UTF-16LE, a BOM and Regshot's form are options of TXT reports only");
		/* Wrong options are wrong everywhere; a missing feature comes last. */
#ifndef REGDIFF_HAVE_HTML
	if (o->format == REGDIFF_REPORT_HTML)
		return regdiff__error(REGDIFF_EUNSUPPORTED,
				      "HTML reports are not built into this library");
#else
	if (o->format == REGDIFF_REPORT_HTML)
		return regdiff__html_load(output);
#endif
	(void)output;
	return 0;
}

static const regdiff_report_options default_options = REGDIFF_REPORT_OPTIONS_INIT;
static const regdiff_snapshot_info unknown_info = {
    .version = REGDIFF_SNAPSHOT_INFO_VERSION, .producer = "", .computer = "", .user = ""};

static int diff_next(void *diff, const regdiff_change **out);

int regdiff__report_run(regdiff__change_next_fn next, void *next_ctx,
			const regdiff_snapshot_info *before, const regdiff_snapshot_info *after,
			const regdiff_report_options *opts, regdiff_write_fn write, void *write_ctx,
			regdiff_report_counts *counts)
{
	return regdiff__report_run_logs(next, next_ctx, before, after, NULL, 0, opts, write,
					write_ctx, counts);
}

int regdiff__report_run_logs(regdiff__change_next_fn next, void *next_ctx,
			     const regdiff_snapshot_info *before,
			     const regdiff_snapshot_info *after, const regdiff__report_logs *logs,
			     size_t nlogs, const regdiff_report_options *opts,
			     regdiff_write_fn write, void *write_ctx, regdiff_report_counts *counts)
{
	regdiff_report_counts local = REGDIFF_REPORT_COUNTS_INIT;
	if (!counts)
		counts = &local;
	regdiff__report_counts_reset(counts);
	if (!next || !write)
		return regdiff__error(REGDIFF_EINVAL, "report: no changes or no output given");
	if (!opts)
		opts = &default_options;
	int rc = check_options(opts, NULL);
	if (rc < 0)
		return rc;

	regdiff__report_job job = {
	    .next = next,
	    .next_ctx = next_ctx,
	    .before = before ? before : &unknown_info,
	    .after = after ? after : &unknown_info,
	    .opts = opts,
	    .write = write,
	    .write_ctx = write_ctx,
	    .counts = counts,
	    .logs = logs,
	    .nlogs = nlogs,
	    .diff = next == diff_next ? next_ctx : NULL,
	    .note = opts->version >= 2 && opts->note ? opts->note : "",
	};
	regdiff__report_filter rf;
	const bool filtered = opts->version >= 2 && opts->filters;
	if (filtered) {
		rc = regdiff__report_filter_init(&rf, opts, next, next_ctx);
		if (rc < 0)
			return rc;
		job.next = regdiff__report_filter_next;
		job.next_ctx = &rf;
		job.filter = &rf;
	}
	if (opts->format == REGDIFF_REPORT_TXT)
		rc = regdiff__report_txt(&job);
#ifdef REGDIFF_HAVE_HTML
	else if (opts->format == REGDIFF_REPORT_HTML)
		rc = regdiff__report_html(&job);
#endif
	else if (opts->format == REGDIFF_REPORT_REG || opts->format == REGDIFF_REPORT_REG_UNDO)
		rc = regdiff__report_reg(&job);
	else
		rc = regdiff__report_jsonl(&job);
	if (filtered) {
		counts->filtered = rf.removed_total;
		regdiff__report_filter_fini(&rf);
	}
	if (rc < 0)
		regdiff__report_counts_reset(counts);
	return rc;
}

/* The file's own error (a full disk, say) is worth more than "writing the
 * report failed", so it is kept to be reported in the end. */
typedef struct file_output {
	regdiff__outfile *file;
	int rc;
	char message[512];
} file_output;

static int file_write(void *ctx, const void *buf, size_t len)
{
	file_output *f = ctx;
	int rc = regdiff__outfile_write(f->file, buf, len);
	if (rc != 0 && f->rc == 0) {
		f->rc = rc;
		snprintf(f->message, sizeof f->message, "%s", regdiff_error_message());
	}
	return rc;
}

static int run_to_file(regdiff__change_next_fn next, void *next_ctx,
		       const regdiff_snapshot_info *before, const regdiff_snapshot_info *after,
		       const regdiff__report_logs *logs, size_t nlogs,
		       const regdiff_report_options *opts, const char *path,
		       regdiff_report_counts *counts)
{
	if (counts)
		regdiff__report_counts_reset(counts);
	if (!path)
		return regdiff__error(REGDIFF_EINVAL, "report: no file name given");
	/* Refuse bad options before a temporary file is made. */
	int rc = check_options(opts ? opts : &default_options, path);
	if (rc < 0)
		return rc;

	file_output out = {0};
	rc = regdiff__outfile_open(&out.file, path);
	if (rc < 0)
		return rc;
	rc = regdiff__report_run_logs(next, next_ctx, before, after, logs, nlogs, opts, file_write,
				      &out, counts);
	if (rc < 0) {
		if (out.rc < 0)
			rc = regdiff__error(out.rc, "%s", out.message);
		regdiff__outfile_abort(out.file);
	} else {
		rc = regdiff__outfile_commit(out.file);
	}
	if (rc < 0 && counts)
		regdiff__report_counts_reset(counts);
	return rc;
}

int regdiff__report_run_to_file(regdiff__change_next_fn next, void *next_ctx,
				const regdiff_snapshot_info *before,
				const regdiff_snapshot_info *after,
				const regdiff_report_options *opts, const char *path,
				regdiff_report_counts *counts)
{
	return run_to_file(next, next_ctx, before, after, NULL, 0, opts, path, counts);
}

/* ---- The public API, over a diff ---- */

int regdiff_report_check(const regdiff_report_options *opts, const char *path)
{
	regdiff_error_clear();
	return check_options(opts ? opts : &default_options, path);
}

/* The dirty hives of both snapshots (*out owned by the caller). */
static int gather_logs(regdiff_diff *diff, regdiff__report_logs **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	for (int side = 0; side < 2; side++) {
		const regdiff_snapshot *s =
		    side ? regdiff_diff_after(diff) : regdiff_diff_before(diff);
		regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
		int rc = regdiff_snapshot_get_info(&info, s);
		for (size_t i = 0; !rc && i < info.sources; i++) {
			regdiff_snapshot_source src = REGDIFF_SNAPSHOT_SOURCE_INIT;
			regdiff__report_logs l = {.side = side, .info = REGDIFF_LOGS_INFO_INIT};
			rc = regdiff_snapshot_get_source_logs(&l.info, s, i);
			if (!rc)
				rc = regdiff_snapshot_get_source(&src, s, i);
			l.mount = src.mount;
			if (rc || l.info.state == REGDIFF_LOGS_CLEAN)
				continue;
			rc = regdiff__grow(out, &cap, *n + 1, sizeof **out);
			if (!rc)
				(*out)[(*n)++] = l;
		}
		if (rc) {
			free(*out);
			*out = NULL;
			return rc;
		}
	}
	return 0;
}

static int diff_next(void *diff, const regdiff_change **out)
{
	return regdiff_diff_next(out, diff);
}

static int discard(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return 0;
}

static int diff_infos(regdiff_diff *diff, regdiff_snapshot_info *before,
		      regdiff_snapshot_info *after, regdiff_report_counts *counts)
{
	regdiff_error_clear();
	if (counts) {
		int rc = regdiff__check_version(counts->version, REGDIFF_REPORT_COUNTS_VERSION,
						"regdiff_report_counts");
		if (rc)
			return rc;
		regdiff__report_counts_reset(counts);
	}
	if (!diff)
		return regdiff__error(REGDIFF_EINVAL, "report: no diff given");
	/* The changes already handed out would be missing from the report. */
	if (regdiff__diff_started(diff))
		return regdiff__error(REGDIFF_EINVAL,
				      "report: the diff has already been advanced "
				      "(regdiff_diff_next); a report needs a new diff");
	int rc = regdiff_snapshot_get_info(before, regdiff_diff_before(diff));
	if (rc == 0)
		rc = regdiff_snapshot_get_info(after, regdiff_diff_after(diff));
	return rc;
}

int regdiff_report_write(regdiff_report_counts *counts, regdiff_diff *diff,
			 const regdiff_report_options *opts, regdiff_write_fn write, void *ctx)
{
	regdiff_snapshot_info before = REGDIFF_SNAPSHOT_INFO_INIT,
			      after = REGDIFF_SNAPSHOT_INFO_INIT;
	int rc = diff_infos(diff, &before, &after, counts);
	if (!write)
		write = discard;
	regdiff__report_logs *logs = NULL;
	size_t nlogs = 0;
	if (rc == 0)
		rc = gather_logs(diff, &logs, &nlogs);
	if (rc < 0)
		return rc;
	rc = regdiff__report_run_logs(diff_next, diff, &before, &after, logs, nlogs, opts, write,
				      ctx, counts);
	free(logs);
	return rc;
}

int regdiff_report_to_file(regdiff_report_counts *counts, regdiff_diff *diff,
			   const regdiff_report_options *opts, const char *path)
{
	regdiff_snapshot_info before = REGDIFF_SNAPSHOT_INFO_INIT,
			      after = REGDIFF_SNAPSHOT_INFO_INIT;
	int rc = diff_infos(diff, &before, &after, counts);
	regdiff__report_logs *logs = NULL;
	size_t nlogs = 0;
	if (rc == 0)
		rc = gather_logs(diff, &logs, &nlogs);
	if (rc < 0)
		return rc;
	rc = run_to_file(diff_next, diff, &before, &after, logs, nlogs, opts, path, counts);
	free(logs);
	return rc;
}

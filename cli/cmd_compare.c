/* regdiff compare: report what changed between two snapshots or sources. */
#include <errno.h>
#include <string.h>

#include "cli.h"

const char cli_compare_usage[] =
    "Usage: regdiff compare [OPTION]... BEFORE AFTER\n"
    "Report what changed from BEFORE to AFTER.\n"
    "\n"
    "BEFORE and AFTER are each a snapshot file (from 'regdiff shot') or a\n"
    "SOURCE as 'regdiff shot' takes it: a hive file, MOUNT=FILE or a live\n"
    "registry path, shot on the spot. When both are hive files without a\n"
    "MOUNT, AFTER is mounted where BEFORE is, so that their roots compare.\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT  txt (the default, Regshot's layout), jsonl or html\n"
    "  -o, --output FILE    write the report to FILE, replacing it only once the\n"
    "                       report is complete (default: standard output)\n"
    "  -c, --comment TEXT   the report's comment line\n"
    "      --crlf           txt: end lines with CR LF\n"
    "      --utf16          txt: write UTF-16LE with a byte order mark\n"
    "      --key-times      also report keys whose only change is their\n"
    "                       last-write time\n"
    "      --locations FILE also flag changes at the persistence locations\n"
    "                       listed in FILE (besides the built-in ones)\n"
    "      --full-data      html: write long binary data whole\n"
    "  -q, --quiet          show no progress\n"
    "  -h, --help           show this help and exit\n"
    "\n"
    "Exit status: 0 no differences, 1 differences, 2 trouble.\n";

enum {
	OPT_FORMAT = 1,
	OPT_OUTPUT,
	OPT_COMMENT,
	OPT_CRLF,
	OPT_UTF16,
	OPT_KEY_TIMES,
	OPT_LOCATIONS,
	OPT_FULL_DATA,
	OPT_QUIET,
	OPT_HELP
};

static const cli_option compare_options[] = {
    {"format", 'f', CLI_REQUIRED_ARG, OPT_FORMAT},
    {"output", 'o', CLI_REQUIRED_ARG, OPT_OUTPUT},
    {"comment", 'c', CLI_REQUIRED_ARG, OPT_COMMENT},
    {"crlf", 0, CLI_NO_ARG, OPT_CRLF},
    {"utf16", 0, CLI_NO_ARG, OPT_UTF16},
    {"key-times", 0, CLI_NO_ARG, OPT_KEY_TIMES},
    {"locations", 0, CLI_REQUIRED_ARG, OPT_LOCATIONS},
    {"full-data", 0, CLI_NO_ARG, OPT_FULL_DATA},
    {"quiet", 'q', CLI_NO_ARG, OPT_QUIET},
    {"help", 'h', CLI_NO_ARG, OPT_HELP},
    {NULL, 0, CLI_NO_ARG, 0},
};

/* One side of the comparison: a snapshot file, or a source shot now. */
typedef struct side {
	const char *arg;
	regdiff_source *source; /* NULL for a snapshot file */
	regdiff_snapshot *snap;
} side;

/* Opens arg as a snapshot, or failing that as a source spec. */
static int open_side(side *s, const char *arg)
{
	int rc;

	s->arg = arg;
	rc = regdiff_snapshot_open(&s->snap, arg);
	if (rc == 0)
		return CLI_EXIT_OK;
	/* A file that is no snapshot may be a hive, and a name that is no
	 * file may be MOUNT=FILE or a registry path; anything else is a
	 * snapshot we cannot read, and saying so beats a confusing "not a
	 * hive". */
	if (rc != REGDIFF_EFOREIGN && cli_is_file(arg))
		return cli_fail(rc, arg);
	rc = regdiff_source_open(&s->source, arg);
	if (rc < 0)
		return cli_fail(rc, arg);
	return CLI_EXIT_OK;
}

static bool is_bare_hive(const side *s)
{
	return s->source && strchr(s->arg, '=') == NULL &&
	       strcmp(regdiff_source_kind(s->source), "hive") == 0;
}

static int shoot_side(side *s, cli_progress *progress, const char *label)
{
	regdiff_shot_options opts = REGDIFF_SHOT_OPTIONS_INIT;
	int rc;

	if (!s->source)
		return CLI_EXIT_OK;
	opts.progress = cli_progress_update;
	opts.progress_ctx = progress;
	cli_progress_phase(progress, label, true);
	rc = regdiff_shot_take(&s->snap, &s->source, 1, &opts);
	cli_progress_end(progress);
	if (rc < 0)
		return cli_fail(rc, s->arg);
	return CLI_EXIT_OK;
}

/* The cause of a failed write to stdout (a full disk, a closed pipe),
 * which the library only learns as "the write failed". */
typedef struct stdout_sink {
	int error; /* errno, or -1 when unknown; 0 while all is well */
} stdout_sink;

static int write_stdout(void *ctx, const void *buf, size_t len)
{
	stdout_sink *sink = ctx;

	errno = 0;
	if (fwrite(buf, 1, len, stdout) == len)
		return 0;
	sink->error = errno ? errno : -1;
	return -1;
}

typedef struct compare_job {
	regdiff_report_options report;
	unsigned diff_flags;
	const char *output;    /* NULL: stdout */
	const char *locations; /* a file of persistence locations, or NULL */
} compare_job;

static int report(const compare_job *job, side *before, side *after, cli_progress *progress)
{
	regdiff_diff_options dopts = REGDIFF_DIFF_OPTIONS_INIT;
	regdiff_report_counts counts;
	stdout_sink sink = {0};
	regdiff_diff *diff = NULL;
	regdiff_locations *locations = NULL;
	int rc;

	if (job->locations) {
		rc = regdiff_locations_new(&locations, 0);
		if (rc == 0)
			rc = regdiff_locations_load(locations, job->locations);
		if (rc < 0) {
			regdiff_locations_free(locations);
			return cli_fail(rc, job->locations);
		}
		dopts.locations = locations;
	}
	dopts.flags = job->diff_flags;
	/* A report on the terminal would be written over by the progress
	 * line. */
	if (job->output || !cli_isatty(stdout)) {
		dopts.progress = cli_progress_update;
		dopts.progress_ctx = progress;
	}
	cli_progress_phase(progress, "compare", false);
	rc = regdiff_diff_new(&diff, before->snap, after->snap, &dopts);
	if (rc < 0) {
		regdiff_locations_free(locations);
		return cli_fail(rc, NULL);
	}
	if (job->output) {
		rc = regdiff_report_to_file(diff, &job->report, job->output, &counts);
	} else {
		cli_stdout_binary();
		rc = regdiff_report_write(diff, &job->report, write_stdout, &sink, &counts);
	}
	cli_progress_end(progress);
	regdiff_diff_free(diff);
	regdiff_locations_free(locations);
	if (rc < 0 && sink.error)
		return cli_error("standard output: %s",
				 sink.error > 0 ? strerror(sink.error) : "write error");
	if (rc < 0)
		return cli_fail(rc, job->output ? job->output : "standard output");
	if (!job->output && cli_finish_stdout() != CLI_EXIT_OK)
		return CLI_EXIT_TROUBLE;
	return counts.total == 0 ? CLI_EXIT_OK : CLI_EXIT_DIFFERENT;
}

static int compare(const cli_globals *g, const compare_job *job, const char *before_arg,
		   const char *after_arg)
{
	side before = {NULL, NULL, NULL};
	side after = {NULL, NULL, NULL};
	cli_progress progress;
	int status;

	cli_progress_init(&progress, g);
	status = open_side(&before, before_arg);
	if (status == CLI_EXIT_OK)
		status = open_side(&after, after_arg);
	if (status == CLI_EXIT_OK && is_bare_hive(&before) && is_bare_hive(&after)) {
		/* Two copies of one hive taken at different times often have
		 * different file names, from which different mounts would be
		 * derived and nothing would match. */
		int rc =
		    regdiff_source_set_mount(after.source, regdiff_source_mount(before.source));

		if (rc < 0)
			status = cli_fail(rc, after_arg);
	}
	if (status == CLI_EXIT_OK)
		status = shoot_side(&before, &progress, "before");
	if (status == CLI_EXIT_OK)
		status = shoot_side(&after, &progress, "after");
	if (status == CLI_EXIT_OK)
		status = report(job, &before, &after, &progress);
	regdiff_snapshot_free(before.snap);
	regdiff_snapshot_free(after.snap);
	regdiff_source_free(before.source);
	regdiff_source_free(after.source);
	return status;
}

static int parse_format(const char *name, regdiff_report_format *out)
{
	if (strcmp(name, "txt") == 0)
		*out = REGDIFF_REPORT_TXT;
	else if (strcmp(name, "jsonl") == 0)
		*out = REGDIFF_REPORT_JSONL;
	else if (strcmp(name, "html") == 0)
		*out = REGDIFF_REPORT_HTML;
	else
		return cli_usage_error("compare: unknown format '%s' (txt, jsonl or html)", name);
	return CLI_EXIT_OK;
}

int cli_cmd_compare(const cli_globals *global, int argc, char **argv)
{
	compare_job job = {REGDIFF_REPORT_OPTIONS_INIT, 0, NULL, NULL};
	cli_globals g = *global;
	cli_args a;
	int opt;

	cli_args_init(&a, argc, argv, 1);
	while ((opt = cli_args_next(&a, compare_options)) != 0) {
		switch (opt) {
		case OPT_FORMAT:
			if (parse_format(a.value, &job.report.format) != CLI_EXIT_OK)
				return CLI_EXIT_TROUBLE;
			break;
		case OPT_OUTPUT:
			job.output = strcmp(a.value, "-") == 0 ? NULL : a.value;
			break;
		case OPT_COMMENT:
			job.report.comment = a.value;
			break;
		case OPT_CRLF:
			job.report.flags |= REGDIFF_REPORT_CRLF;
			break;
		case OPT_UTF16:
			job.report.flags |= REGDIFF_REPORT_UTF16LE;
			break;
		case OPT_KEY_TIMES:
			job.diff_flags |= REGDIFF_DIFF_KEY_TIMES;
			break;
		case OPT_LOCATIONS:
			job.locations = a.value;
			break;
		case OPT_FULL_DATA:
			job.report.flags |= REGDIFF_REPORT_FULL_DATA;
			break;
		case OPT_QUIET:
			g.quiet = true;
			break;
		case OPT_HELP:
			fputs(cli_compare_usage, stdout);
			return cli_finish_stdout();
		default:
			return CLI_EXIT_TROUBLE;
		}
	}
	if (a.operands != 2)
		return cli_usage_error(a.operands < 2 ? "compare: BEFORE and AFTER are needed"
						      : "compare: too many arguments");
	if (job.output && !job.output[0])
		return cli_usage_error("compare: empty output file name");
	if (job.report.format != REGDIFF_REPORT_TXT &&
	    (job.report.flags & (REGDIFF_REPORT_CRLF | REGDIFF_REPORT_UTF16LE)))
		return cli_usage_error("compare: --crlf and --utf16 are for the txt format only");
	if (job.report.format == REGDIFF_REPORT_HTML &&
	    !(regdiff_features() & REGDIFF_FEATURE_HTML))
		return cli_error("HTML reports are not built into this copy of regdiff");
	return compare(&g, &job, argv[0], argv[1]);
}

/* The report options that compare and watch share, and the writing of the
 * report: one place, so that the two commands cannot drift apart. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const cli_option cli_report_options[] = {
    {"format", 'f', CLI_REQUIRED_ARG, CLI_OPT_FORMAT, "FORMAT",
     "txt (the default, Regshot's layout), jsonl, html, or\n"
     "reg / reg-undo (.reg scripts making after from before\n"
     "/ before from after)"},
    {"output", 'o', CLI_REQUIRED_ARG, CLI_OPT_OUTPUT, "FILE",
     "write the report to FILE, replacing it only once the\n"
     "report is complete (default: standard output)"},
    {"comment", 'c', CLI_REQUIRED_ARG, CLI_OPT_COMMENT, "TEXT", "the report's comment line"},
    {"crlf", 0, CLI_NO_ARG, CLI_OPT_CRLF, NULL, "txt: end lines with CR LF"},
    {"utf16", 0, CLI_NO_ARG, CLI_OPT_UTF16, NULL, "txt: write UTF-16LE with a byte order mark"},
    {"regshot", 0, CLI_NO_ARG, CLI_OPT_REGSHOT, NULL,
     "txt: Regshot 1.9's first line, dates and separators"},
    {"bom", 0, CLI_NO_ARG, CLI_OPT_BOM, NULL,
     "txt in UTF-8: start with a byte order mark (the\n"
     "default in a file (-o) on Windows only)"},
    {"no-bom", 0, CLI_NO_ARG, CLI_OPT_NO_BOM, NULL, "txt in UTF-8: no byte order mark"},
    {"key-times", 0, CLI_NO_ARG, CLI_OPT_KEY_TIMES, NULL,
     "also report keys whose only change is their\n"
     "last-write time"},
    {"locations", 0, CLI_REQUIRED_ARG, CLI_OPT_LOCATIONS, "FILE",
     "also flag changes at the persistence locations\n"
     "listed in FILE (besides the built-in ones)"},
    {"full-data", 0, CLI_NO_ARG, CLI_OPT_FULL_DATA, NULL, "html: write long binary data whole"},
    {"all-not-compared", 0, CLI_NO_ARG, CLI_OPT_ALL_NOT_COMPARED, NULL,
     "also list keys and values not read alike on\n"
     "both sides (by default only counted)"},
    {"exclude", 0, CLI_REQUIRED_ARG, CLI_OPT_EXCLUDE, "RULE",
     "leave out changes RULE matches (KEY[:VALUE][ KINDS],\n"
     "see 'regdiff filters --help'); never those at\n"
     "persistence locations, which stay, marked"},
    {"include", 0, CLI_REQUIRED_ARG, CLI_OPT_INCLUDE, "RULE",
     "keep changes RULE matches whatever excludes them"},
    {"filters", 0, CLI_REQUIRED_ARG, CLI_OPT_FILTERS, "FILE",
     "the rules of FILE ('exclude RULE', 'include RULE')"},
    {"noise", 0, CLI_REQUIRED_ARG, CLI_OPT_NOISE, "PROFILE",
     "default: leave out Windows' own churn (on by default\n"
     "for watch and for two live shots); none: do not"},
    {"show-filtered", 0, CLI_NO_ARG, CLI_OPT_SHOW_FILTERED, NULL,
     "also list the changes the filters left out"},
    {NULL, 0, CLI_NO_ARG, 0, NULL, NULL},
};

void cli_report_init(cli_report_opts *r, const char *command)
{
	const regdiff_report_options report = REGDIFF_REPORT_OPTIONS_INIT;

	memset(r, 0, sizeof(*r));
	r->command = command;
	r->report = report;
	r->bom = -1;
}

static int parse_format(const cli_report_opts *r, const char *name, regdiff_report_format *out)
{
	if (strcmp(name, "txt") == 0)
		*out = REGDIFF_REPORT_TXT;
	else if (strcmp(name, "jsonl") == 0)
		*out = REGDIFF_REPORT_JSONL;
	else if (strcmp(name, "html") == 0)
		*out = REGDIFF_REPORT_HTML;
	else if (strcmp(name, "reg") == 0)
		*out = REGDIFF_REPORT_REG;
	else if (strcmp(name, "reg-undo") == 0)
		*out = REGDIFF_REPORT_REG_UNDO;
	else
		return cli_usage_error(
		    "%s: unknown format '%s' (txt, jsonl, html, reg or reg-undo)", r->command,
		    name);
	return CLI_EXIT_OK;
}

int cli_report_option(cli_report_opts *r, int opt, const char *value)
{
	switch (opt) {
	case CLI_OPT_FORMAT:
		if (parse_format(r, value, &r->report.format) != CLI_EXIT_OK)
			return -1;
		break;
	case CLI_OPT_OUTPUT:
		r->output = strcmp(value, "-") == 0 ? NULL : value;
		break;
	case CLI_OPT_COMMENT:
		r->report.comment = value;
		break;
	case CLI_OPT_CRLF:
		r->report.flags |= REGDIFF_REPORT_CRLF;
		break;
	case CLI_OPT_UTF16:
		r->report.flags |= REGDIFF_REPORT_UTF16LE;
		break;
	case CLI_OPT_REGSHOT:
		r->report.flags |= REGDIFF_REPORT_REGSHOT;
		break;
	case CLI_OPT_KEY_TIMES:
		r->diff_flags |= REGDIFF_DIFF_KEY_TIMES;
		break;
	case CLI_OPT_LOCATIONS:
		r->locations_file = value;
		break;
	case CLI_OPT_FULL_DATA:
		r->report.flags |= REGDIFF_REPORT_FULL_DATA;
		break;
	case CLI_OPT_ALL_NOT_COMPARED:
		r->diff_flags |= REGDIFF_DIFF_ALL_NOT_COMPARED;
		break;
	case CLI_OPT_BOM:
	case CLI_OPT_NO_BOM:
		r->bom = opt == CLI_OPT_BOM;
		break;
	default:
		return cli_filter_option(r, opt, value);
	}
	return 1;
}

int cli_report_check(cli_report_opts *r)
{
	int rc;

	if (r->output && !r->output[0])
		return cli_usage_error("%s: empty output file name", r->command);
	if (r->report.format != REGDIFF_REPORT_TXT &&
	    ((r->report.flags &
	      (REGDIFF_REPORT_CRLF | REGDIFF_REPORT_UTF16LE | REGDIFF_REPORT_REGSHOT)) ||
	     r->bom == 1))
		return cli_usage_error(
		    "%s: --crlf, --utf16, --regshot and --bom are for the txt format only",
		    r->command);
	/* A file, not standard output: a BOM in the middle of a console or a
	 * pipe's text would be a stray character. */
	if (r->report.format == REGDIFF_REPORT_TXT &&
	    (r->bom == 1 || (r->bom == -1 && r->output && cli_bom_default())))
		r->report.flags |= REGDIFF_REPORT_BOM;
	if (r->report.format == REGDIFF_REPORT_HTML && !(regdiff_features() & REGDIFF_FEATURE_HTML))
		return cli_error("HTML reports are not built into this copy of regdiff");
	/* Before anything is shot or run: HTML loads libxml2 here. */
	rc = regdiff_report_check(&r->report, r->output);
	if (rc < 0)
		return cli_fail(rc, r->output);
	if (cli_refuse_overwrite(r->output, r->locations_file) != CLI_EXIT_OK)
		return CLI_EXIT_TROUBLE;
	for (size_t i = 0; i < r->nfilter_files; i++)
		if (cli_refuse_overwrite(r->output, r->filter_files[i]) != CLI_EXIT_OK)
			return CLI_EXIT_TROUBLE;
	if (!r->locations_file || r->locations)
		return CLI_EXIT_OK;
	rc = regdiff_locations_new(&r->locations, 0);
	if (rc == 0)
		rc = regdiff_locations_load(r->locations, r->locations_file);
	if (rc < 0) {
		regdiff_locations_free(r->locations);
		r->locations = NULL;
		return cli_fail(rc, r->locations_file);
	}
	return CLI_EXIT_OK;
}

void cli_report_free(cli_report_opts *r)
{
	regdiff_locations_free(r->locations);
	r->locations = NULL;
	regdiff_filters_free(r->rules);
	r->rules = NULL;
}

/* The cause of a failed write to stdout (a full disk, a closed pipe),
 * which the library only learns as "the write failed". */
typedef struct stdout_sink {
	int error; /* errno, or -1 when unknown; 0 while all is well */
	bool text; /* UTF-8 text, which a console is given as UTF-16 */
} stdout_sink;

static int write_stdout(void *ctx, const void *buf, size_t len)
{
	stdout_sink *sink = ctx;

	errno = 0;
	int console = sink->text ? cli_console_write(stdout, buf, len) : 0;
	if (console > 0)
		return 0;
	if (console == 0 && fwrite(buf, 1, len, stdout) == len)
		return 0;
	sink->error = errno ? errno : -1;
	return -1;
}

/* Whether some of either side could not be read: then "no differences"
 * cannot be claimed. */
static bool incomplete(const regdiff_report_counts *counts, const regdiff_snapshot *before,
		       const regdiff_snapshot *after)
{
	regdiff_snapshot_info a = REGDIFF_SNAPSHOT_INFO_INIT, b = REGDIFF_SNAPSHOT_INFO_INIT;

	if (counts->by_op[REGDIFF_NOT_COMPARED] > 0)
		return true;
	/* Unknown is not complete. */
	if (regdiff_snapshot_get_info(&a, before) < 0 || regdiff_snapshot_get_info(&b, after) < 0)
		return true;
	return a.problems > 0 || b.problems > 0;
}

int cli_report_run(const cli_report_opts *r, const regdiff_snapshot *before,
		   const regdiff_snapshot *after, cli_progress *progress)
{
	regdiff_diff_options dopts = REGDIFF_DIFF_OPTIONS_INIT;
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	stdout_sink sink = {0};
	regdiff_report_options ropts = r->report;
	regdiff_filters *filters = NULL;
	regdiff_diff *diff = NULL;
	int rc;

	if (cli_filters_make(r, before, after, &filters) != CLI_EXIT_OK)
		return CLI_EXIT_TROUBLE;
	ropts.filters = filters;
	dopts.flags = r->diff_flags;
	dopts.locations = r->locations;
	/* A report on the terminal would be written over by the progress
	 * line. */
	if (r->output || !cli_isatty(stdout)) {
		dopts.progress = cli_progress_update;
		dopts.progress_ctx = progress;
	}
	cli_progress_phase(progress, "compare", false);
	rc = regdiff_diff_new(&diff, before, after, &dopts);
	if (rc < 0) {
		regdiff_filters_free(filters);
		return cli_fail(rc, NULL);
	}
	if (r->output) {
		rc = regdiff_report_to_file(&counts, diff, &ropts, r->output);
	} else {
		cli_stdout_binary();
		/* --utf16 bytes are not UTF-8: they go to a console as they are. */
		sink.text = !(r->report.flags & REGDIFF_REPORT_UTF16LE);
		rc = regdiff_report_write(&counts, diff, &ropts, write_stdout, &sink);
	}
	cli_progress_end(progress);
	regdiff_diff_free(diff);
	regdiff_filters_free(filters);
	if (rc < 0 && sink.error)
		return cli_error("standard output: %s",
				 sink.error > 0 ? strerror(sink.error) : "write error");
	if (rc < 0)
		return cli_fail(rc, r->output ? r->output : "standard output");
	if (!r->output && cli_finish_stdout() != CLI_EXIT_OK)
		return CLI_EXIT_TROUBLE;
	if (counts.left_out > 0)
		fprintf(stderr,
			"regdiff: %" PRIu64 " changes could not be written as .reg lines "
			"and are left out (see the \"; left out\" comments)\n",
			counts.left_out);
	if (counts.total > 0)
		return CLI_EXIT_DIFFERENT; /* the report's summary says if incomplete */
	return incomplete(&counts, before, after) ? CLI_EXIT_INCOMPLETE : CLI_EXIT_OK;
}

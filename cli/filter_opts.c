/* The filter options of compare and watch (--exclude, --include,
 * --filters, --noise, --show-filtered): the rules are checked before
 * anything slow is done, the noise profile decided once the two
 * snapshots are known. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* After an error the command returns at once, without cli_report_free(). */
static int failed(cli_report_opts *r)
{
	regdiff_filters_free(r->rules);
	r->rules = NULL;
	return -1;
}

int cli_filter_option(cli_report_opts *r, int opt, const char *value)
{
	int rc = 0;

	switch (opt) {
	case CLI_OPT_EXCLUDE:
	case CLI_OPT_INCLUDE:
		if (!r->rules && regdiff_filters_new(&r->rules, 0) < 0)
			return cli_fail(REGDIFF_ENOMEM, NULL), -1;
		rc = regdiff_filters_add(r->rules,
					 opt == CLI_OPT_EXCLUDE ? REGDIFF_FILTER_EXCLUDE
								: REGDIFF_FILTER_INCLUDE,
					 value, opt == CLI_OPT_EXCLUDE ? "--exclude" : "--include");
		break;
	case CLI_OPT_FILTERS:
		/* Kept to be checked against the output, which may come later. */
		if (r->nfilter_files == sizeof r->filter_files / sizeof r->filter_files[0])
			return cli_usage_error("%s: too many --filters files", r->command),
			       failed(r);
		r->filter_files[r->nfilter_files++] = value;
		if (!r->rules && regdiff_filters_new(&r->rules, 0) < 0)
			return cli_fail(REGDIFF_ENOMEM, NULL), -1;
		rc = regdiff_filters_load(r->rules, value);
		break;
	case CLI_OPT_NOISE:
		if (strcmp(value, "default") == 0)
			r->noise = CLI_NOISE_ON;
		else if (strcmp(value, "none") == 0)
			r->noise = CLI_NOISE_OFF;
		else
			return cli_usage_error("%s: unknown noise profile '%s' (default or none)",
					       r->command, value),
			       failed(r);
		return 1;
	case CLI_OPT_SHOW_FILTERED:
		r->report.flags |= REGDIFF_REPORT_SHOW_FILTERED;
		return 1;
	default:
		return 0;
	}
	if (rc < 0) {
		cli_fail(rc, value);
		return failed(r);
	}
	return 1;
}

/* Whether every source of snap is a live registry. */
static bool all_live(const regdiff_snapshot *snap)
{
	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;

	if (regdiff_snapshot_get_info(&info, snap) < 0 || info.sources == 0)
		return false;
	for (size_t i = 0; i < info.sources; i++) {
		regdiff_snapshot_source src = REGDIFF_SNAPSHOT_SOURCE_INIT;

		if (regdiff_snapshot_get_source(&src, snap, i) < 0 || src.kind != REGDIFF_KIND_LIVE)
			return false;
	}
	return true;
}

int cli_filters_make(const cli_report_opts *r, const regdiff_snapshot *before,
		     const regdiff_snapshot *after, regdiff_filters **out)
{
	bool noise =
	    r->noise == CLI_NOISE_ON ||
	    (r->noise == CLI_NOISE_AUTO && (r->live_run || (all_live(before) && all_live(after))));

	/* No filters asked for or implied: the report is the plain one, as
	 * before filters existed (it then names no noise profile). */
	*out = NULL;
	if (!noise && r->noise == CLI_NOISE_AUTO && regdiff_filters_count(r->rules) == 0)
		return CLI_EXIT_OK;
	int rc = regdiff_filters_new(out, noise ? REGDIFF_FILTERS_NOISE : 0);

	/* The user's rules after the profile's: a removal is counted under
	 * the first exclude rule that fits, and the profile's say why. */
	for (size_t i = 0; rc == 0 && i < regdiff_filters_count(r->rules); i++) {
		const regdiff_filter_info *f = regdiff_filters_get(r->rules, i);

		rc = regdiff_filters_add(*out, f->action, f->rule, f->origin);
	}
	if (rc < 0) {
		regdiff_filters_free(*out);
		*out = NULL;
		return cli_fail(rc, NULL);
	}
	return CLI_EXIT_OK;
}

/* Reports with filters: the changes a report's filters remove are taken
 * out between the diff and the formatter, counted per rule; those at
 * persistence locations stay, marked. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

int regdiff__report_filter_init(regdiff__report_filter *rf, const regdiff_report_options *o,
				regdiff__change_next_fn next, void *next_ctx)
{
	memset(rf, 0, sizeof *rf);
	rf->filters = o->filters;
	rf->show = (o->flags & REGDIFF_REPORT_SHOW_FILTERED) != 0;
	rf->next = next;
	rf->next_ctx = next_ctx;
	rf->rule = SIZE_MAX;
	size_t n = regdiff_filters_count(o->filters);
	rf->removed = regdiff__calloc(n ? 2 * n : 1, sizeof *rf->removed);
	if (!rf->removed)
		return REGDIFF_ENOMEM;
	rf->marked = rf->removed + n;
	return 0;
}

void regdiff__report_filter_fini(regdiff__report_filter *rf)
{
	free(rf->removed);
	rf->removed = rf->marked = NULL;
}

int regdiff__report_filter_next(void *ctx, const regdiff_change **out)
{
	regdiff__report_filter *rf = ctx;
	for (;;) {
		int rc = rf->next(rf->next_ctx, out);
		if (rc < 0)
			return rc;
		size_t rule;
		rc = regdiff_filters_match(&rule, rf->filters, *out);
		if (rc < 0)
			return rc;
		rf->verdict = rc;
		rf->rule = rule;
		if (rc == REGDIFF_FILTER_KEEP_MARKED) {
			rf->marked[rule]++;
			rf->marked_total++;
		} else if (rc == REGDIFF_FILTER_REMOVE) {
			rf->removed[rule]++;
			rf->removed_total++;
			if (!rf->show)
				continue;
		}
		return 0;
	}
}

int regdiff__report_filter_state(const regdiff__report_job *job, const regdiff_filter_info **rule)
{
	const regdiff__report_filter *rf = job->filter;
	if (rule)
		*rule =
		    rf && rf->rule != SIZE_MAX ? regdiff_filters_get(rf->filters, rf->rule) : NULL;
	return rf ? rf->verdict : REGDIFF_FILTER_KEEP;
}

void regdiff__report_filter_lines(const regdiff__report_job *job, char *noise, char *filters)
{
	const regdiff__report_filter *rf = job->filter;
	const regdiff_filters *f = rf ? rf->filters : NULL;
	if (regdiff_filters_noise(f))
		snprintf(noise, REGDIFF__NOTE_MAX, "Noise profile: %s",
			 regdiff_noise_profile_version());
	else
		snprintf(noise, REGDIFF__NOTE_MAX, "Noise profile: none");
	snprintf(filters, REGDIFF__NOTE_MAX,
		 "Filters: %zu rules, %" PRIu64 " changes removed, %" PRIu64
		 " kept at persistence locations",
		 regdiff_filters_count(f), rf ? rf->removed_total : 0, rf ? rf->marked_total : 0);
}

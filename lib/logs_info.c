/* The record of a hive's log replay: kept by sources and snapshots alike,
 * and described in one place for every report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hive_log.h"

void regdiff__logs_clear(regdiff__logs *l)
{
	if (!l)
		return;
	free(l->files);
	free(l->reason);
	memset(l, 0, sizeof *l);
}

void regdiff__logs_info(const regdiff__logs *l, regdiff_logs_info *out)
{
	out->state = l->state;
	out->entries = l->entries;
	out->pages = l->pages;
	out->sequence = l->sequence;
	out->files = l->files ? l->files : "";
	out->reason = l->reason ? l->reason : "";
}

char *regdiff_logs_describe(char *buf, size_t size, const regdiff_logs_info *in)
{
	if (!buf || !size)
		return buf;
	buf[0] = '\0';
	if (!in)
		return buf;
	const char *files = in->files ? in->files : "", *reason = in->reason ? in->reason : "";
	switch (in->state) {
	case REGDIFF_LOGS_APPLIED:
		snprintf(buf, size,
			 "dirty, logs applied: %u entr%s, %u page%s from %s; sequence %u%s%s",
			 in->entries, in->entries == 1 ? "y" : "ies", in->pages,
			 in->pages == 1 ? "" : "s", files, in->sequence,
			 *reason ? "; replay stopped: " : "", reason);
		break;
	case REGDIFF_LOGS_NOT_APPLIED:
		snprintf(buf, size,
			 "dirty, logs not applied (%s): primary read as it is, sequence %u", reason,
			 in->sequence);
		break;
	case REGDIFF_LOGS_NONE:
		snprintf(buf, size, "dirty, no logs beside it: primary read as it is, sequence %u",
			 in->sequence);
		break;
	case REGDIFF_LOGS_IGNORED:
		snprintf(buf, size,
			 "dirty, log replay turned off: primary read as it is, sequence %u",
			 in->sequence);
		break;
	default:
		break;
	}
	return buf;
}

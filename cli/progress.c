/* The progress line on stderr. */
#include <inttypes.h>

#include "cli.h"

/* Redrawing more often than this costs time and shows nothing more. */
#define PROGRESS_INTERVAL_MS 100

void cli_progress_init(cli_progress *p, const cli_globals *g)
{
	p->enabled = !g->quiet && cli_isatty(stderr);
	p->label = "";
	p->with_values = false;
	p->last_ms = -1;
	p->width = 0;
}

void cli_progress_phase(cli_progress *p, const char *label, bool with_values)
{
	p->label = label;
	p->with_values = with_values;
	p->last_ms = -1;
}

int cli_progress_update(void *ctx, uint64_t keys, uint64_t values)
{
	cli_progress *p = ctx;
	int64_t now;
	int n;

	if (!p->enabled)
		return 0;
	now = cli_now_ms();
	if (p->last_ms >= 0 && now - p->last_ms < PROGRESS_INTERVAL_MS)
		return 0;
	p->last_ms = now;
	if (p->with_values)
		n = fprintf(stderr, "\r%s: %" PRIu64 " keys, %" PRIu64 " values", p->label, keys,
			    values);
	else
		n = fprintf(stderr, "\r%s: %" PRIu64 " keys", p->label, keys);
	/* Blank out what is left of a longer earlier line. */
	if (n > 0 && n - 1 < p->width)
		fprintf(stderr, "%*s", p->width - (n - 1), "");
	if (n > 0 && n - 1 > p->width)
		p->width = n - 1;
	fflush(stderr);
	return 0;
}

void cli_progress_end(cli_progress *p)
{
	if (!p->enabled || p->width == 0)
		return;
	fprintf(stderr, "\r%*s\r", p->width, "");
	fflush(stderr);
	p->width = 0;
}

/* What the reports' headers say about Windows installations, per side:
 * each user SID's name, the control set persistence flagging used, hives
 * found on that side only, and the notes on how hives were mounted. The
 * TXT, JSON lines and HTML formatters share these texts. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report_install.h"

static const regdiff_snapshot *side_snapshot(const regdiff__report_job *job, int side)
{
	if (!job->diff)
		return NULL;
	return side ? regdiff_diff_after(job->diff) : regdiff_diff_before(job->diff);
}

/* Whether mount is among snap's sources (names compared ignoring ASCII
 * case: mounts are canonical otherwise). */
static int has_mount(const regdiff_snapshot *snap, const char *mount)
{
	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
	if (regdiff_snapshot_get_info(&info, snap))
		return 0;
	size_t n = strlen(mount);
	for (size_t i = 0; i < info.sources; i++) {
		regdiff_snapshot_source src = REGDIFF_SNAPSHOT_SOURCE_INIT;
		if (regdiff_snapshot_get_source(&src, snap, i) == 0 && strlen(src.mount) == n &&
		    regdiff__ascii_caseeq(src.mount, mount, n))
			return 1;
	}
	return 0;
}

static size_t source_count(const regdiff_snapshot *snap)
{
	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
	return regdiff_snapshot_get_info(&info, snap) ? 0 : info.sources;
}

/* The user a mount HKU\<SID> (or its _Classes) belongs to, or NULL. */
static const char *mount_user(const regdiff_snapshot *snap, const char *mount)
{
	if (strncmp(mount, "HKU\\", 4) != 0 || strchr(mount + 4, '\\'))
		return NULL;
	return regdiff_snapshot_user_name(snap, mount + 4);
}

static int add_item(regdiff__buf *b, const char *sep, const char *a, const char *paren)
{
	int rc = regdiff__buf_printf(b, "%s%s", b->len ? sep : "", a);
	if (!rc && paren)
		rc = regdiff__buf_printf(b, " (%s)", paren);
	return rc;
}

int regdiff__report_install_item(const regdiff__report_job *job, int side, int kind, size_t i,
				 regdiff__install_item *out)
{
	const regdiff_snapshot *snap = side_snapshot(job, side);
	const regdiff_snapshot *other = side_snapshot(job, !side);
	memset(out, 0, sizeof *out);
	if (!snap)
		return REGDIFF_ITEROVER;
	switch (kind) {
	case REGDIFF__INSTALL_USER:
		return regdiff_snapshot_get_user(&out->a, &out->b, snap, i) ? REGDIFF_ITEROVER : 0;
	case REGDIFF__INSTALL_CONTROL_SET:
		out->number = regdiff_snapshot_control_set(snap);
		return i == 0 && out->number ? 0 : REGDIFF_ITEROVER;
	case REGDIFF__INSTALL_NOTE:
		return regdiff_snapshot_get_note(&out->a, snap, i) ? REGDIFF_ITEROVER : 0;
	case REGDIFF__INSTALL_NOT_SHOT: {
		regdiff_snapshot_exclusion e = REGDIFF_SNAPSHOT_EXCLUSION_INIT;
		if (regdiff_snapshot_get_exclusion(&e, snap, i))
			return REGDIFF_ITEROVER;
		out->a = e.rule;
		out->b = e.origin;
		out->c = e.categories;
		out->count = e.subtrees;
		out->persist = e.persistence;
		return 0;
	}
	case REGDIFF__INSTALL_ONLY: {
		/* Two single sources are the hive-to-hive compare, whose
		 * mounts are the user's own choice: nothing to say. */
		if (source_count(snap) <= 1 && source_count(other) <= 1)
			return REGDIFF_ITEROVER;
		size_t n = source_count(snap), k = 0;
		for (size_t j = 0; j < n; j++) {
			regdiff_snapshot_source src = REGDIFF_SNAPSHOT_SOURCE_INIT;
			if (regdiff_snapshot_get_source(&src, snap, j) ||
			    has_mount(other, src.mount))
				continue;
			const char *m = src.mount;
			if (k++ == i) {
				out->a = m;
				out->b = mount_user(snap, m);
				return 0;
			}
		}
		return REGDIFF_ITEROVER;
	}
	}
	return REGDIFF_ITEROVER;
}

int regdiff__report_install_text(regdiff__buf *b, const regdiff__report_job *job, int side,
				 int kind)
{
	regdiff__install_item it;
	char cs[64];
	int rc = 0;
	for (size_t i = 0; !rc && regdiff__report_install_item(job, side, kind, i, &it) == 0; i++) {
		switch (kind) {
		case REGDIFF__INSTALL_USER:
			rc = regdiff__buf_printf(b, "%s%s = %s", b->len ? "; " : "", it.a, it.b);
			break;
		case REGDIFF__INSTALL_CONTROL_SET:
			snprintf(cs, sizeof cs, "ControlSet%03u", it.number);
			rc = add_item(b, "; ", cs,
				      "Select\\Current; {CS} locations looked for there");
			break;
		case REGDIFF__INSTALL_ONLY:
			rc = add_item(b, "; ", it.a, it.b);
			break;
		case REGDIFF__INSTALL_NOT_SHOT:
			/* "RULE (ORIGIN: N subtrees not shot, M of them at
			 * persistence locations: CATEGORIES)" */
			rc = regdiff__buf_printf(b, "%s%s (%s: %" PRIu64 " %s not shot",
						 b->len ? "; " : "", it.a, it.b, it.count,
						 it.count == 1 ? "subtree" : "subtrees");
			if (!rc && it.persist)
				rc = regdiff__buf_printf(
				    b, ", %" PRIu64 " of them at persistence locations: %s",
				    it.persist, it.c);
			if (!rc)
				rc = regdiff__buf_putc(b, ')');
			break;
		default:
			rc = add_item(b, "; ", it.a, NULL);
		}
	}
	return rc;
}

const char *const regdiff__install_labels[REGDIFF__INSTALL_KINDS] = {
    "Users", "Control set", "Hives only in", "Notes", "Not shot"};

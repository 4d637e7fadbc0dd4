/* The sides of a comparison (a snapshot file or a source), the bare-hive
 * rule that lines two of them up, and a diff of two sides in one call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source_internal.h"

struct regdiff_side {
	regdiff_source *source; /* NULL for a snapshot file */
	regdiff_snapshot *snap; /* the file's, or the source's once shot */
	char *arg;
	char *note; /* what regdiff_sides_line_up did; NULL: nothing */
};

void regdiff_side_free(regdiff_side *side)
{
	if (!side)
		return;
	regdiff_snapshot_free(side->snap);
	regdiff_source_free(side->source);
	free(side->arg);
	free(side->note);
	free(side);
}

int regdiff_side_open(regdiff_side **out, const char *arg, const regdiff_source_options *opts)
{
	regdiff_error_clear();
	if (!out || !arg)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_side_open: NULL argument");
	*out = NULL;
	regdiff_side *s = regdiff__calloc(1, sizeof *s);
	if (!s)
		return REGDIFF_ENOMEM;
	s->arg = regdiff__strdup(arg);
	if (!s->arg) {
		free(s);
		return REGDIFF_ENOMEM;
	}
	int rc = regdiff_snapshot_open(&s->snap, arg);
	/* A file that is no snapshot may be a hive, and a name that is no
	 * file may be MOUNT=FILE or a registry path; a snapshot we cannot
	 * read (corrupt, of another version) is said to be one, which beats
	 * a confusing "not a hive". */
	if (rc && (rc == REGDIFF_EFOREIGN || !regdiff__is_file(arg)))
		rc = regdiff_source_open_ext(&s->source, arg, opts);
	if (rc) {
		regdiff_side_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

regdiff_source *regdiff_side_source(const regdiff_side *side)
{
	return side ? side->source : NULL;
}

const regdiff_snapshot *regdiff_side_snapshot(const regdiff_side *side)
{
	return side ? side->snap : NULL;
}

int regdiff_side_shoot(regdiff_side *side, const regdiff_shot_options *opts)
{
	regdiff_error_clear();
	if (!side)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_side_shoot: NULL argument");
	if (side->snap)
		return 0;
	return regdiff_shot_take(&side->snap, &side->source, 1, opts);
}

/* The mount of the side's one root, or NULL when it has none or several
 * or it was not derived from a file name (where that can be told). */
static int single_root(const regdiff_side *s, const char **mount, int *derived)
{
	*mount = NULL;
	*derived = 0;
	if (s->source) {
		if (s->source->ops->kind != REGDIFF_KIND_HIVE)
			return 0;
		*mount = s->source->mount;
		*derived = s->source->mount_derived;
		return 0;
	}
	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
	regdiff_snapshot_source src = REGDIFF_SNAPSHOT_SOURCE_INIT;
	int rc = regdiff_snapshot_get_info(&info, s->snap);
	if (rc || info.sources != 1)
		return rc;
	rc = regdiff_snapshot_get_source(&src, s->snap, 0);
	if (rc || src.kind != REGDIFF_KIND_HIVE)
		return rc;
	/* A snapshot does not record how its mount was chosen. */
	*mount = src.mount;
	*derived = 1;
	return 0;
}

int regdiff_sides_line_up(const char **note, regdiff_side *before, regdiff_side *after)
{
	regdiff_error_clear();
	if (note)
		*note = "";
	if (!before || !after)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_sides_line_up: NULL argument");
	const char *mb, *ma;
	int db, da;
	int rc = single_root(before, &mb, &db);
	if (!rc)
		rc = single_root(after, &ma, &da);
	/* Only a source not yet shot can be moved. */
	if (rc || !mb || !ma || !db || !da || !after->source || after->snap || strcmp(mb, ma) == 0)
		return rc;
	size_t n = strlen(after->arg) + strlen(ma) + strlen(mb) + 128;
	char *text = regdiff__malloc(n);
	if (!text)
		return REGDIFF_ENOMEM;
	snprintf(text, n,
		 "%s mounted at %s, not %s (its mount is derived from its file name): "
		 "their roots compare",
		 after->arg, mb, ma);
	rc = regdiff_source_set_mount(after->source, mb);
	if (rc) {
		free(text);
		return rc;
	}
	free(after->note);
	after->note = text;
	if (note)
		*note = text;
	return 0;
}

/* What a diff of two sides owns. */
typedef struct pair {
	regdiff_side *side[2];
} pair;

static void pair_free(void *p)
{
	pair *sides = p;
	regdiff_side_free(sides->side[0]);
	regdiff_side_free(sides->side[1]);
	free(sides);
}

int regdiff_diff_open(regdiff_diff **out, const char **note, const char *before, const char *after,
		      const regdiff_source_options *source_opts,
		      const regdiff_shot_options *shot_opts, const regdiff_diff_options *diff_opts)
{
	regdiff_error_clear();
	if (note)
		*note = "";
	if (!out)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_diff_open: NULL argument");
	*out = NULL;
	pair *p = regdiff__calloc(1, sizeof *p);
	if (!p)
		return REGDIFF_ENOMEM;
	const char *said = "";
	int rc = regdiff_sides_open(&p->side[0], &p->side[1], before, after, source_opts);
	if (!rc)
		rc = regdiff_sides_line_up(&said, p->side[0], p->side[1]);
	/* Without shot options of the caller's, a diff without key times
	 * needs no digests of child names. */
	regdiff_shot_options own = REGDIFF_SHOT_OPTIONS_INIT;
	if (!shot_opts && !(diff_opts && (diff_opts->flags & REGDIFF_DIFF_KEY_TIMES))) {
		own.flags = REGDIFF_SHOT_NO_KEY_TIMES;
		shot_opts = &own;
	}
	if (!rc)
		rc = regdiff_sides_shoot(p->side[0], p->side[1], shot_opts);
	if (!rc)
		rc = regdiff_diff_new(out, p->side[0]->snap, p->side[1]->snap, diff_opts);
	if (rc) {
		pair_free(p);
		return rc;
	}
	regdiff__diff_own(*out, pair_free, p);
	if (note)
		*note = said;
	return 0;
}

/* regdiff - the two sides of a comparison, each a snapshot file or a
 * source, and a diff of two sides in one call.
 *
 * This is what "regdiff compare BEFORE AFTER" does: each side is opened as
 * a snapshot file if it is one, else as a source spec (regdiff_source_open:
 * a hive file, MOUNT=FILE, a live registry path); sources are shot into
 * anonymous temporary files (see regdiff_shot_take), so no snapshot file
 * is needed.
 */
#ifndef REGDIFF_SIDE_H
#define REGDIFF_SIDE_H

#include "common.h"
#include "diff.h"
#include "snapshot.h"
#include "source.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct regdiff_side regdiff_side;

/* Opens arg as a snapshot file or, when it is not one, as a source spec
 * with opts (may be NULL). A file that is a damaged snapshot is refused as
 * such (REGDIFF_EFORMAT, ...), not tried as a hive. The caller owns *out
 * (regdiff_side_free()). */
REGDIFF_API int regdiff_side_open(regdiff_side **out, const char *arg,
				  const regdiff_source_options *opts);

/* Opens both sides, as regdiff_side_open() does each (opts may be NULL).
 * Two hive files are opened at the same time on two threads in POSIX
 * builds (opening one copies and checks all of it), other sides one after
 * the other. On failure *before and *after are
 * NULL, and the error is the before side's if it failed, else the after
 * side's. The caller owns both (regdiff_side_free()). */
REGDIFF_API int regdiff_sides_open(regdiff_side **before, regdiff_side **after,
				   const char *before_arg, const char *after_arg,
				   const regdiff_source_options *opts);

/* The side's source (NULL for a snapshot file), borrowed: the caller may
 * re-mount it before the shot. */
REGDIFF_API regdiff_source *regdiff_side_source(const regdiff_side *side);

/* The side's snapshot: the file's, or once regdiff_side_shoot() has run
 * the source's; NULL before. Borrowed. */
REGDIFF_API const regdiff_snapshot *regdiff_side_snapshot(const regdiff_side *side);

/* Shoots the side's source (nothing to do for a snapshot file, nor when
 * it has been shot). opts may be NULL. */
REGDIFF_API int regdiff_side_shoot(regdiff_side *side, const regdiff_shot_options *opts);

/* Shoots both sides, as regdiff_side_shoot() does each (opts may be
 * NULL). Two offline hives (or folders of them) are shot at the same time
 * on two threads in POSIX builds, so that a direct compare of two hives
 * takes about the time of the larger; other sides one after the other.
 * opts->progress sees the two shots' counts added up, from either thread
 * but never from both at once. On failure the error is the before side's
 * if it failed, else the after side's. */
REGDIFF_API int regdiff_sides_shoot(regdiff_side *before, regdiff_side *after,
				    const regdiff_shot_options *opts);

/* The bare-hive rule. Two copies of one hive taken at different times
 * often have different file names, from which different mounts would be
 * derived and nothing would match (NTUSER.DAT and NTUSER_modified.DAT). So
 * when each side holds exactly one root, the after side is a hive whose
 * mount was derived from its file name, the before side is one too or a
 * snapshot of a single hive (which does not record how its mount was
 * chosen), and the mounts differ, the after side is re-mounted where the
 * before side's root is. Call it before regdiff_side_shoot(after). *note
 * is then a sentence saying so, for the report's header
 * (regdiff_report_options.note), else "" (borrowed from after: valid
 * while it lives). */
REGDIFF_API int regdiff_sides_line_up(const char **note, regdiff_side *before, regdiff_side *after);

/* Frees the side, its snapshot and its source. Accepts NULL. */
REGDIFF_API void regdiff_side_free(regdiff_side *side);

/* The whole of it in one call: opens both sides (source_opts may be
 * NULL), lines them up, shoots them (shot_opts may be NULL: then with
 * REGDIFF_SHOT_NO_KEY_TIMES unless diff_opts has REGDIFF_DIFF_KEY_TIMES)
 * and starts the diff (diff_opts may be NULL). The diff owns the sides: they are
 * freed with it. *note is as for regdiff_sides_line_up, borrowed from the
 * diff (may be NULL). The caller owns *out (regdiff_diff_free()). */
REGDIFF_API int regdiff_diff_open(regdiff_diff **out, const char **note, const char *before,
				  const char *after, const regdiff_source_options *source_opts,
				  const regdiff_shot_options *shot_opts,
				  const regdiff_diff_options *diff_opts);

#ifdef __cplusplus
}
#endif
#endif

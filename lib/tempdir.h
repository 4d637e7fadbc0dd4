/* Private temporary folders (POSIX): where files read out of a disk image
 * are put for the hive opener, which reads them whole into memory, so the
 * folder lives only for the length of one open. Made with mkdtemp under
 * $TMPDIR (else /tmp), 0700, its files 0600. Every file and folder made in
 * it is registered before it is made, so that a caught signal can remove
 * them all (regdiff_remove_partial_outputs) with unlink and rmdir alone. */
#ifndef REGDIFF_TEMPDIR_H
#define REGDIFF_TEMPDIR_H

#include <stddef.h>

typedef struct regdiff__tempdir regdiff__tempdir;

/* Makes a new private folder. */
int regdiff__tempdir_new(regdiff__tempdir **out);

/* The folder's path. Borrowed. */
const char *regdiff__tempdir_path(const regdiff__tempdir *t);

/* Makes the folder rel (relative, '/'-separated) in t, with its parents. */
int regdiff__tempdir_mkdir(regdiff__tempdir *t, const char *rel);

/* Creates the file rel (its folder made already) for writing, 0600; *fd
 * is its descriptor, which the caller closes. */
int regdiff__tempdir_create(regdiff__tempdir *t, const char *rel, int *fd);

/* Removes everything made in t and t itself, then frees t. Accepts NULL. */
void regdiff__tempdir_free(regdiff__tempdir *t);

/* From a signal handler: removes every live folder's files and folders
 * (async-signal-safe: unlink and rmdir only). */
void regdiff__tempdir_remove_live(void);

#endif

/* Disk images through libtsk: lib/image.c opens the image and finds its
 * partitions and Windows installations, lib/image_fs.c reads files of a
 * partition's file system, lib/source_image.c makes sources of them;
 * lib/image_dl.c loads libtsk when the first image is opened. */
#ifndef REGDIFF_IMAGE_INTERNAL_H
#define REGDIFF_IMAGE_INTERNAL_H

#include "image_dl.h"

#include "internal.h"
#include "tempdir.h"

typedef struct regdiff__image_part {
	unsigned number;
	uint64_t start, size;
	TSK_FS_INFO *fs; /* NULL: no file system could be read */
	char fs_name[16];
	int windows;
	char problem[320];
} regdiff__image_part;

struct regdiff_image {
	char *path;
	uint64_t size;
	char format[16];
	char table[16];
	char md5[33], sha1[41];
	TSK_IMG_INFO *img;
	TSK_VS_INFO *vs;
	regdiff__image_part *parts;
	size_t nparts;
};

/* libtsk's message for its last error, for ours. */
const char *regdiff__tsk_error(void);

/* Looks up path ('/'-separated, from the root, names compared without
 * case) in fs; *addr is its metadata address. REGDIFF_ENOTFOUND if some
 * name is missing; REGDIFF_EHIVE with a message for a file system libtsk
 * cannot read there. dir_only: the last name must be a folder. */
int regdiff__image_lookup(TSK_FS_INFO *fs, const char *path, int dir_only, TSK_INUM_T *addr,
			  char **actual);

/* Copies the registry files of the Windows installation on fs (system
 * hives and logs, every profile's NTUSER.DAT and UsrClass.dat with their
 * logs) into t, each at its path in the volume. where names the partition
 * in messages. */
int regdiff__image_extract_install(TSK_FS_INFO *fs, regdiff__tempdir *t, const char *where);

/* Copies the file at path and its logs beside it (NAME.LOG, .LOG1, .LOG2)
 * into t at their paths in the volume; *actual is the file's path as the
 * volume spells it (the caller frees it). */
int regdiff__image_extract_hive(TSK_FS_INFO *fs, regdiff__tempdir *t, const char *path,
				const char *where, char **actual);

/* Fills im's md5 and sha1 from an E01 image's stored hashes, where the
 * build has libewf (lib/image_ewf.c); leaves them "" otherwise. */
void regdiff__image_ewf_hashes(regdiff_image *im);

/* 1 if the file at path is a disk or volume image libtsk reads (and not a
 * hive), 0 if not. */
int regdiff__image_detect(const char *path);

#endif

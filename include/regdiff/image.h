/* regdiff - disk images: raw (single or split), E01, VMDK, VHD, read with
 * The Sleuth Kit (REGDIFF_FEATURE_IMAGES), read-only.
 *
 * A source "IMAGE", "IMAGE@N" or "IMAGE@N:/path/in/image" given to
 * regdiff_source_open() reads the Windows installation of the image (of
 * its partition N), or the one hive at that path. These calls show what an
 * image holds: its partitions, their file systems and which hold Windows
 * (a Windows/System32/config folder, names compared without case).
 */
#ifndef REGDIFF_IMAGE_H
#define REGDIFF_IMAGE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct regdiff_image regdiff_image;

/* Opens the disk or volume image at path and looks at each partition.
 * REGDIFF_EFOREIGN when the file is no image libtsk knows (neither a
 * partition table nor a file system in it), REGDIFF_EUNSUPPORTED in a
 * build without libtsk. *out is NULL after a failure. The caller owns
 * *out (regdiff_image_free()). */
REGDIFF_API int regdiff_image_open(regdiff_image **out, const char *path);

#define REGDIFF_IMAGE_INFO_VERSION 1
typedef struct regdiff_image_info {
	unsigned version;   /* REGDIFF_IMAGE_INFO_VERSION */
	const char *format; /* libtsk's name of the container: "raw", "ewf", "vmdk", "vhd" */
	uint64_t size;	    /* bytes of the disk or volume the image holds */
	const char *table;  /* the partition table ("dos", "gpt"), "" for a volume image */
	size_t partitions;  /* as numbered for IMAGE@N: 1 to partitions */
	const char *md5;    /* acquisition hashes the format stores (E01), hex; "" if none */
	const char *sha1;
} regdiff_image_info;
#define REGDIFF_IMAGE_INFO_INIT                                                                    \
	{                                                                                          \
		REGDIFF_IMAGE_INFO_VERSION, NULL, 0, NULL, 0, NULL, NULL                           \
	}

/* The image's description. Strings are borrowed from img. */
REGDIFF_API int regdiff_image_get_info(regdiff_image_info *out, const regdiff_image *img);

#define REGDIFF_IMAGE_PART_VERSION 1
typedef struct regdiff_image_part {
	unsigned version;    /* REGDIFF_IMAGE_PART_VERSION */
	unsigned number;     /* N of IMAGE@N */
	uint64_t start;	     /* offset in the image, bytes */
	uint64_t size;	     /* bytes */
	const char *fs;	     /* "ntfs", "fat32", ... or "" when none could be read */
	int windows;	     /* 1 if it holds Windows/System32/config */
	const char *problem; /* why it could not be read ("BitLocker-encrypted volume",
			      * "damaged file system (...)"), "" if none */
} regdiff_image_part;
#define REGDIFF_IMAGE_PART_INIT                                                                    \
	{                                                                                          \
		REGDIFF_IMAGE_PART_VERSION, 0, 0, 0, NULL, 0, NULL                                 \
	}

/* Partition number (1 to regdiff_image_info.partitions). Strings are
 * borrowed from img. REGDIFF_EINVAL for a number out of range. */
REGDIFF_API int regdiff_image_get_part(regdiff_image_part *out, const regdiff_image *img,
				       unsigned number);

/* A disk image a snapshot's sources were read from, as the snapshot
 * records it (regdiff_snapshot_get_image). */
#define REGDIFF_SNAPSHOT_IMAGE_VERSION 1
typedef struct regdiff_snapshot_image {
	unsigned version;   /* REGDIFF_SNAPSHOT_IMAGE_VERSION */
	const char *path;   /* the image file as it was named */
	const char *format; /* as regdiff_image_info.format */
	uint64_t size;
	unsigned partition; /* N of IMAGE@N */
	const char *md5;    /* acquisition hashes the image stores (E01), "" if none */
	const char *sha1;
} regdiff_snapshot_image;
#define REGDIFF_SNAPSHOT_IMAGE_INIT                                                                \
	{                                                                                          \
		REGDIFF_SNAPSHOT_IMAGE_VERSION, NULL, NULL, 0, 0, NULL, NULL                       \
	}

struct regdiff_snapshot;
/* Disk image i (from 0) of the snapshot; REGDIFF_ITEROVER past the last.
 * The sources' locations ("IMAGE@N:/Windows/System32/config/SYSTEM") say
 * which hive came from where in it. Strings are borrowed from snap. */
REGDIFF_API int regdiff_snapshot_get_image(regdiff_snapshot_image *out,
					   const struct regdiff_snapshot *snap, size_t i);

/* Closes the image. Accepts NULL. */
REGDIFF_API void regdiff_image_free(regdiff_image *img);

#ifdef __cplusplus
}
#endif
#endif

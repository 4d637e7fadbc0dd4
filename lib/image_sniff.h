#ifndef REGDIFF_IMAGE_SNIFF_H
#define REGDIFF_IMAGE_SNIFF_H

/* The container a disk image file is in, by its signature: what libtsk is
 * told to open it as (lib/image.c), so that its detection does not try
 * every format library in turn. */
typedef enum regdiff__image_container {
	REGDIFF__IMAGE_RAW, /* a disk or volume as it is, or no image */
	REGDIFF__IMAGE_EWF,
	REGDIFF__IMAGE_VMDK,
	REGDIFF__IMAGE_VHD, /* VHD and VHDX (libvhdi reads both) */
	REGDIFF__IMAGE_AFF,
} regdiff__image_container;

/* What the first sectors (and, for a fixed VHD, the last) of the file at
 * path say it is ("an E01 image", "a disk image"), NULL if no disk image or
 * unreadable; *container (may be NULL) is its container. One table serves
 * both the build without libtsk, which refuses images by it, and image.c,
 * which opens them by it, so the two never disagree on what an image is. */
const char *regdiff__image_sniff(const char *path, regdiff__image_container *container);

#endif

#ifndef REGDIFF_IMAGE_SNIFF_H
#define REGDIFF_IMAGE_SNIFF_H

/* What the first sectors of the file at path say it is ("an E01 image",
 * "a disk image"), NULL if no disk image or unreadable. */
const char *regdiff__image_sniff(const char *path);

#endif

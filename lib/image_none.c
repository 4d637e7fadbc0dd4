/* Disk images in a build without libtsk: recognised by their first bytes
 * and refused with one clear line, not taken for damaged hives. */
#include <stdio.h>
#include <string.h>

#include "source_internal.h"

/* What the first sectors say the file is, NULL if no disk image. */
static const char *sniff(const char *path)
{
	unsigned char b[1024] = {0};
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t n = fread(b, 1, sizeof b, f);
	fclose(f);
	if (n >= 8 && memcmp(b, "EVF\x09\x0d\x0a\xff\x00", 8) == 0)
		return "an E01 image";
	if (n >= 4 && (memcmp(b, "KDMV", 4) == 0 || memcmp(b, "# Disk DescriptorFile", 4) == 0))
		return "a VMDK image";
	if (n >= 8 && memcmp(b, "conectix", 8) == 0)
		return "a VHD image";
	if (n >= 520 && memcmp(b + 512, "EFI PART", 8) == 0)
		return "a GPT disk image";
	if (n >= 11 && (memcmp(b + 3, "NTFS    ", 8) == 0 || memcmp(b + 3, "-FVE-FS-", 8) == 0))
		return "an NTFS volume image";
	if (n >= 512 && b[510] == 0x55 && b[511] == 0xaa)
		return memcmp(b + 0x52, "FAT32", 5) == 0 ? "a FAT volume image" : "a disk image";
	return NULL;
}

int regdiff__source_open_image(regdiff_source **out, const char *s,
			       const regdiff_source_options *opts, int *handled)
{
	(void)opts;
	*out = NULL;
	const char *what = sniff(s);
	*handled = what != NULL;
	if (!what)
		return 0;
	return regdiff__error(REGDIFF_EUNSUPPORTED,
			      "%s: %s, and this build reads no disk images (no libtsk)", s, what);
}

int regdiff_image_open(regdiff_image **out, const char *path)
{
	regdiff_error_clear();
	if (out)
		*out = NULL;
	if (!path)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_image_open: NULL argument");
	const char *what = sniff(path);
	if (!what)
		return regdiff__error(REGDIFF_EFOREIGN, "%s: not a disk image", path);
	return regdiff__error(REGDIFF_EUNSUPPORTED,
			      "%s: %s, and this build reads no disk images (no libtsk)", path,
			      what);
}

int regdiff_image_get_info(regdiff_image_info *out, const regdiff_image *img)
{
	regdiff_error_clear();
	(void)out;
	(void)img;
	return regdiff__error(REGDIFF_EUNSUPPORTED, "this build reads no disk images (no libtsk)");
}

int regdiff_image_get_part(regdiff_image_part *out, const regdiff_image *img, unsigned number)
{
	regdiff_error_clear();
	(void)out;
	(void)img;
	(void)number;
	return regdiff__error(REGDIFF_EUNSUPPORTED, "this build reads no disk images (no libtsk)");
}

void regdiff_image_free(regdiff_image *img)
{
	(void)img;
}

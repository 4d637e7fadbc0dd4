/* Disk images known by their first sectors, without libtsk: in a build
 * without it (lib/image_none.c), and where it cannot be loaded
 * (lib/image.c), an image is refused as one, not taken for a damaged
 * hive. */
#include <stdio.h>
#include <string.h>

#include "image_sniff.h"

const char *regdiff__image_sniff(const char *path)
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

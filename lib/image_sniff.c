/* Disk images known by their first sectors, without libtsk: in a build
 * without it (lib/image_none.c), and where it cannot be loaded
 * (lib/image.c), an image is refused as one, not taken for a damaged
 * hive; where it can, the container found here is what libtsk opens. */
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "image_sniff.h"

#define HEAD_SIZE 1024u
#define SECTOR 512u

/* A signature: bytes at an offset of the head, or of the last sector. */
typedef struct signature {
	const char *bytes;
	size_t len;
	size_t offset;
	int in_tail;
	const char *what;
	regdiff__image_container container;
} signature;

#define SIG(s, off, tail, what, c)                                                                 \
	{                                                                                          \
		s, sizeof s - 1, off, tail, what, c                                                \
	}

/* Containers first: a VMDK's or VHD's first sector may well hold an MBR
 * too. A fixed VHD is the raw disk followed by a footer in its last
 * sector; AFF is for libtsk only (it never has libaff support compiled
 * out of Debian's, but says so itself if it has). */
static const signature signatures[] = {
    SIG("EVF\x09\x0d\x0a\xff\x00", 0, 0, "an E01 image", REGDIFF__IMAGE_EWF),
    SIG("KDMV", 0, 0, "a VMDK image", REGDIFF__IMAGE_VMDK),
    SIG("# Disk DescriptorFile", 0, 0, "a VMDK image", REGDIFF__IMAGE_VMDK),
    SIG("conectix", 0, 0, "a VHD image", REGDIFF__IMAGE_VHD),
    SIG("vhdxfile", 0, 0, "a VHDX image", REGDIFF__IMAGE_VHD),
    SIG("conectix", 0, 1, "a VHD image", REGDIFF__IMAGE_VHD),
    SIG("AFF10\r\n\0", 0, 0, "an AFF image", REGDIFF__IMAGE_AFF),
    SIG("EFI PART", 512, 0, "a GPT disk image", REGDIFF__IMAGE_RAW),
    SIG("NTFS    ", 3, 0, "an NTFS volume image", REGDIFF__IMAGE_RAW),
    SIG("-FVE-FS-", 3, 0, "an NTFS volume image", REGDIFF__IMAGE_RAW),
};

static int matches(const signature *s, const unsigned char *head, size_t nhead,
		   const unsigned char *tail, size_t ntail)
{
	const unsigned char *b = s->in_tail ? tail : head;
	size_t n = s->in_tail ? ntail : nhead;
	return s->offset + s->len <= n && memcmp(b + s->offset, s->bytes, s->len) == 0;
}

const char *regdiff__image_sniff(const char *path, regdiff__image_container *container)
{
	unsigned char head[HEAD_SIZE] = {0}, tail[SECTOR] = {0};
	if (container)
		*container = REGDIFF__IMAGE_RAW;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t nhead = fread(head, 1, sizeof head, f), ntail = 0;
	if (fseeko(f, 0, SEEK_END) == 0) {
		off_t size = ftello(f);
		if (size >= (off_t)(2 * SECTOR) && fseeko(f, size - (off_t)SECTOR, SEEK_SET) == 0)
			ntail = fread(tail, 1, sizeof tail, f);
	}
	fclose(f);
	for (size_t i = 0; i < sizeof signatures / sizeof signatures[0]; i++)
		if (matches(&signatures[i], head, nhead, tail, ntail)) {
			if (container)
				*container = signatures[i].container;
			return signatures[i].what;
		}
	/* Any other first sector with the boot signature: a FAT32 volume, a
	 * partitioned disk (MBR) or a volume libtsk may know. */
	if (nhead >= SECTOR && head[510] == 0x55 && head[511] == 0xaa)
		return memcmp(head + 0x52, "FAT32", 5) == 0 ? "a FAT volume image" : "a disk image";
	return NULL;
}

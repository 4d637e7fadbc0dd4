/* Disk images: the container (raw, split raw, E01, VMDK, VHD), its
 * partition table, and which of its partitions hold Windows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image_internal.h"
#include "image_sniff.h"

const char *regdiff__tsk_error(void)
{
	const char *e = tsk_error_get();
	if (!e || !*e)
		return "unknown error";
	/* libtsk's messages span lines: ours are one line. */
	static _Thread_local char line[256];
	size_t n = 0;
	for (; e[n] && n < sizeof line - 1; n++)
		line[n] = e[n] == '\n' || e[n] == '\r' || e[n] == '\t' ? ' ' : e[n];
	while (n > 0 && line[n - 1] == ' ')
		n--;
	line[n] = '\0';
	return line;
}

/* What a volume's boot sector says it is: a BitLocker volume, or a file
 * system libtsk should have been able to open (so, when it could not, a
 * damaged one). */
static const char *boot_sector_kind(const uint8_t *b, size_t n)
{
	if (n < 512)
		return NULL;
	if (memcmp(b + 3, "-FVE-FS-", 8) == 0)
		return "bitlocker";
	if (memcmp(b + 3, "NTFS    ", 8) == 0)
		return "ntfs";
	if (b[510] == 0x55 && b[511] == 0xaa &&
	    (memcmp(b + 0x52, "FAT32", 5) == 0 || memcmp(b + 0x36, "FAT", 3) == 0))
		return "fat";
	return NULL;
}

/* Looks at the volume at start: its file system and whether it holds
 * Windows. */
static void probe_part(regdiff_image *im, regdiff__image_part *p, const TSK_VS_PART_INFO *vp)
{
	uint8_t boot[512];
	ssize_t got = vp ? tsk_vs_part_read(vp, 0, (char *)boot, sizeof boot)
			 : tsk_img_read(im->img, 0, (char *)boot, sizeof boot);
	const char *kind = got == (ssize_t)sizeof boot ? boot_sector_kind(boot, sizeof boot) : NULL;
	if (kind && strcmp(kind, "bitlocker") == 0) {
		snprintf(p->problem, sizeof p->problem,
			 "BitLocker-encrypted volume (-FVE-FS-): its files cannot be read");
		return;
	}
	tsk_error_reset();
	p->fs = vp ? tsk_fs_open_vol(vp, TSK_FS_TYPE_DETECT)
		   : tsk_fs_open_img(im->img, 0, TSK_FS_TYPE_DETECT);
	if (!p->fs) {
		if (kind)
			snprintf(p->problem, sizeof p->problem, "damaged file system (%s: %s)",
				 kind, regdiff__tsk_error());
		tsk_error_reset();
		return;
	}
	snprintf(p->fs_name, sizeof p->fs_name, "%s", tsk_fs_type_toname(p->fs->ftype));
	TSK_INUM_T addr;
	int rc = regdiff__image_lookup(p->fs, "Windows/System32/config", 1, &addr, NULL);
	if (rc == 0)
		p->windows = 1;
	else if (rc != REGDIFF_ENOTFOUND)
		snprintf(p->problem, sizeof p->problem, "damaged file system (%s)",
			 regdiff_error_message());
}

static int add_part(regdiff_image *im, uint64_t start, uint64_t size, const TSK_VS_PART_INFO *vp)
{
	regdiff__image_part *q = regdiff__realloc(im->parts, (im->nparts + 1) * sizeof *q);
	if (!q)
		return REGDIFF_ENOMEM;
	im->parts = q;
	regdiff__image_part *p = &q[im->nparts++];
	memset(p, 0, sizeof *p);
	p->number = (unsigned)im->nparts;
	p->start = start;
	p->size = size;
	probe_part(im, p, vp);
	return 0;
}

/* A table whose one partition starts at sector 0 is a volume's boot
 * sector read as a partition table: a real table lies outside its
 * partitions. */
static int starts_at_zero(const TSK_VS_INFO *vs)
{
	for (TSK_PNUM_T i = 0; i < vs->part_count; i++) {
		const TSK_VS_PART_INFO *vp = tsk_vs_part_get(vs, i);
		if (vp && (vp->flags & TSK_VS_PART_FLAG_ALLOC) && vp->start == 0)
			return 1;
	}
	return 0;
}

static int find_parts(regdiff_image *im)
{
	/* A volume image first: libtsk may read a FAT boot sector as a DOS
	 * partition table of one partition at 0. */
	tsk_error_reset();
	TSK_FS_INFO *whole = tsk_fs_open_img(im->img, 0, TSK_FS_TYPE_DETECT);
	if (whole)
		tsk_fs_close(whole);
	tsk_error_reset();
	im->vs = whole ? NULL : tsk_vs_open(im->img, 0, TSK_VS_TYPE_DETECT);
	if (im->vs && starts_at_zero(im->vs)) {
		/* ... and it does so for a damaged one too. */
		tsk_vs_close(im->vs);
		im->vs = NULL;
	}
	if (!im->vs) {
		/* No partition table: a volume image, or no image at all. */
		tsk_error_reset();
		int rc = add_part(im, 0, im->size, NULL);
		if (!rc && !im->parts[0].fs && !im->parts[0].problem[0] &&
		    strcmp(im->format, "raw") == 0)
			rc = regdiff__error(REGDIFF_EFOREIGN,
					    "%s: not a disk image (no partition table or file "
					    "system libtsk knows)",
					    im->path);
		return rc;
	}
	snprintf(im->table, sizeof im->table, "%s", tsk_vs_type_toname(im->vs->vstype));
	uint64_t block = im->vs->block_size;
	for (TSK_PNUM_T i = 0; i < im->vs->part_count; i++) {
		const TSK_VS_PART_INFO *vp = tsk_vs_part_get(im->vs, i);
		if (!vp || !(vp->flags & TSK_VS_PART_FLAG_ALLOC))
			continue;
		int rc = add_part(im, vp->start * block, vp->len * block, vp);
		if (rc)
			return rc;
	}
	return 0;
}

/* libtsk's type for a container (lib/image_sniff.c finds it), so that
 * libtsk opens the image as that format only: its own detection tries
 * libvmdk, libvhdi and libewf in turn, and they leak a handle each time a
 * file is not theirs. Anything else is tried as raw (a disk or volume;
 * find_parts says when it is neither). */
static TSK_IMG_TYPE_ENUM tsk_type(regdiff__image_container c)
{
	switch (c) {
	case REGDIFF__IMAGE_EWF:
		return TSK_IMG_TYPE_EWF_EWF;
	case REGDIFF__IMAGE_VMDK:
		return TSK_IMG_TYPE_VMDK_VMDK;
	case REGDIFF__IMAGE_VHD:
		return TSK_IMG_TYPE_VHD_VHD;
	case REGDIFF__IMAGE_AFF:
		return TSK_IMG_TYPE_AFF_AFF;
	case REGDIFF__IMAGE_RAW:
		break;
	}
	return TSK_IMG_TYPE_RAW;
}

int regdiff_image_open(regdiff_image **out, const char *path)
{
	regdiff_error_clear();
	if (!out || !path)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_image_open: NULL argument");
	*out = NULL;
	struct stat st;
	if (stat(path, &st) != 0)
		return regdiff__error(REGDIFF_ENOTFOUND, "%s: no such file", path);
	if (S_ISDIR(st.st_mode))
		return regdiff__error(REGDIFF_EFOREIGN, "%s: a folder, not a disk image", path);
	/* A file that is no image by its first sectors needs no libtsk to
	 * say so: hive and snapshot errors never depend on it. */
	regdiff__image_container container;
	const char *what = regdiff__image_sniff(path, &container);
	if (regdiff__image_load(path) != 0)
		return what ? REGDIFF_EUNSUPPORTED
			    : regdiff__error(REGDIFF_EFOREIGN, "%s: not a disk image", path);
	regdiff_image *im = regdiff__calloc(1, sizeof *im);
	if (!im || !(im->path = regdiff__strdup(path))) {
		free(im);
		return REGDIFF_ENOMEM;
	}
	tsk_error_reset();
	im->img = tsk_img_open_utf8_sing(path, tsk_type(container), 0);
	int rc = 0;
	if (!im->img)
		rc = regdiff__error(REGDIFF_EFOREIGN, "%s: not a disk image libtsk can open (%s)",
				    path, regdiff__tsk_error());
	if (!rc) {
		im->size = (uint64_t)im->img->size;
		snprintf(im->format, sizeof im->format, "%s", tsk_img_type_toname(im->img->itype));
		rc = find_parts(im);
	}
#ifdef REGDIFF_HAVE_EWF
	if (!rc && strcmp(im->format, "ewf") == 0)
		regdiff__image_ewf_hashes(im);
#endif
	if (rc) {
		regdiff_image_free(im);
		return rc;
	}
	*out = im;
	return 0;
}

int regdiff_image_get_info(regdiff_image_info *out, const regdiff_image *img)
{
	regdiff_error_clear();
	if (!out || !img || out->version != REGDIFF_IMAGE_INFO_VERSION)
		return regdiff__error(REGDIFF_EINVAL,
				      "regdiff_image_get_info: NULL argument or bad version");
	out->format = img->format;
	out->size = img->size;
	out->table = img->table;
	out->partitions = img->nparts;
	out->md5 = img->md5;
	out->sha1 = img->sha1;
	return 0;
}

int regdiff_image_get_part(regdiff_image_part *out, const regdiff_image *img, unsigned number)
{
	regdiff_error_clear();
	if (!out || !img || out->version != REGDIFF_IMAGE_PART_VERSION)
		return regdiff__error(REGDIFF_EINVAL,
				      "regdiff_image_get_part: NULL argument or bad version");
	if (number < 1 || number > img->nparts)
		return regdiff__error(REGDIFF_EINVAL, "%s: no partition %u (it has %zu)", img->path,
				      number, img->nparts);
	const regdiff__image_part *p = &img->parts[number - 1];
	out->number = p->number;
	out->start = p->start;
	out->size = p->size;
	out->fs = p->fs_name;
	out->windows = p->windows;
	out->problem = p->problem;
	return 0;
}

void regdiff_image_free(regdiff_image *img)
{
	if (!img)
		return;
	for (size_t i = 0; i < img->nparts; i++)
		if (img->parts[i].fs)
			tsk_fs_close(img->parts[i].fs);
	free(img->parts);
	if (img->vs)
		tsk_vs_close(img->vs);
	if (img->img)
		tsk_img_close(img->img);
	free(img->path);
	free(img);
}

int regdiff__image_detect(const char *path)
{
	int fd = -1;
	char magic[4] = {0};
	FILE *f = fopen(path, "rb");
	if (f) {
		fd = (int)fread(magic, 1, sizeof magic, f);
		fclose(f);
	}
	/* A hive stays a hive, and an empty or unreadable file is for the
	 * hive opener to name. */
	if (fd < 4 || memcmp(magic, "regf", 4) == 0)
		return 0;
	regdiff_image *im;
	int rc = regdiff_image_open(&im, path);
	regdiff_image_free(im);
	/* An image without the libraries to read it: opening it again says
	 * why, rather than the hive opener calling it a damaged hive. */
	return rc == 0 || rc == REGDIFF_EUNSUPPORTED;
}

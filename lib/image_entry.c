/* A disk image's entry in a snapshot's footer (RDS_TLV_IMAGE): made when a
 * source is read out of an image, read back by any build. */
#include <string.h>

#include "snapshot_format.h"
#include "snapshot_priv.h"

int regdiff__image_entry_make(regdiff__buf *b, const char *path, const char *format, uint64_t size,
			      unsigned partition, const char *md5, const char *sha1)
{
	uint8_t fixed[RDS_TLV_IMAGE_FIXED];
	regdiff__put_u64(fixed, size);
	regdiff__put_u32(fixed + 8, partition);
	b->len = 0;
	int rc = regdiff__buf_append(b, fixed, sizeof fixed);
	return rc ? rc
		  : regdiff__buf_printf(b, "%s%c%s%c%s%c%s%c", path, 0, format, 0, md5, 0, sha1, 0);
}

int regdiff__image_entry_check(const uint8_t *p, size_t n)
{
	size_t nuls = 0;
	if (n < RDS_TLV_IMAGE_FIXED + 4 || n > 4 * RDS_META_MAX || p[n - 1] != 0)
		return -1;
	for (size_t i = RDS_TLV_IMAGE_FIXED; i < n; i++)
		nuls += p[i] == 0;
	return nuls == 4 ? 0 : -1;
}

void regdiff__image_entry_read(const uint8_t *p, size_t n, regdiff_snapshot_image *out)
{
	(void)n;
	out->size = regdiff__get_u64(p);
	out->partition = regdiff__get_u32(p + 8);
	const char *s = (const char *)p + RDS_TLV_IMAGE_FIXED;
	out->path = s;
	out->format = s += strlen(s) + 1;
	out->md5 = s += strlen(s) + 1;
	out->sha1 = s + strlen(s) + 1;
}

int regdiff_snapshot_get_image(regdiff_snapshot_image *out, const regdiff_snapshot *snap, size_t i)
{
	regdiff_error_clear();
	if (!out || !snap || out->version != REGDIFF_SNAPSHOT_IMAGE_VERSION)
		return regdiff__error(REGDIFF_EINVAL,
				      "regdiff_snapshot_get_image: NULL argument or bad version");
	if (i >= snap->nimages)
		return REGDIFF_ITEROVER;
	regdiff__image_entry_read(snap->images[i].data, snap->images[i].len, out);
	return 0;
}

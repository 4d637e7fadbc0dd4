/* Disk images in a build without libtsk: recognised by their first bytes
 * and refused with one clear line, not taken for damaged hives. */
#include "image_sniff.h"
#include "source_internal.h"

int regdiff__source_open_image(regdiff_source **out, const char *s,
			       const regdiff_source_options *opts, int *handled)
{
	(void)opts;
	*out = NULL;
	const char *what = regdiff__image_sniff(s, NULL);
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
	const char *what = regdiff__image_sniff(path, NULL);
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

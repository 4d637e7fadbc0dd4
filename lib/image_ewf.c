/* The acquisition hashes an E01 image stores (MD5, SHA1), read with
 * libewf: libtsk reads them too but does not expose them. */
#include <string.h>

#include "image_internal.h"

static void hash(libewf_handle_t *h, const char *id, char *out, size_t size)
{
	libewf_error_t *err = NULL;
	out[0] = '\0';
	if (libewf_handle_get_utf8_hash_value(h, (const uint8_t *)id, strlen(id), (uint8_t *)out,
					      size, &err) != 1)
		out[0] = '\0';
	if (err)
		libewf_error_free(&err);
}

void regdiff__image_ewf_hashes(regdiff_image *im)
{
	libewf_error_t *err = NULL;
	libewf_handle_t *h = NULL;
	char **names = NULL;
	int n = 0;
	/* Without them the image is read all the same: nothing to say. */
	if (libewf_glob(im->path, strlen(im->path), LIBEWF_FORMAT_UNKNOWN, &names, &n, &err) == 1 &&
	    libewf_handle_initialize(&h, &err) == 1 &&
	    libewf_handle_open(h, names, n, libewf_get_access_flags_read(), &err) == 1) {
		hash(h, "MD5", im->md5, sizeof im->md5);
		hash(h, "SHA1", im->sha1, sizeof im->sha1);
		libewf_handle_close(h, NULL);
	}
	if (h)
		libewf_handle_free(&h, NULL);
	if (names)
		libewf_glob_free(names, n, NULL);
	if (err)
		libewf_error_free(&err);
}

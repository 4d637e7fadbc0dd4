/* BLAKE2b through libgcrypt; see hash.h for why. */
#include <gcrypt.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "internal.h"

/* The context is the gcry handle itself; the struct type only hides
 * gcrypt.h from the files that hash. */
struct regdiff__hash {
	gcry_md_hd_t md;
};

/* libgcrypt must have been initialised (by the application or by us)
 * before any other call; gcry_check_version is that initialisation and
 * is harmless when the application did it already. */
static int ensure_init(void)
{
	if (!gcry_control(GCRYCTL_ANY_INITIALIZATION_P) && !gcry_check_version(NULL))
		return regdiff__error(REGDIFF_EUNSUPPORTED, "libgcrypt could not be initialised");
	return 0;
}

int regdiff__hash_new(regdiff__hash **out)
{
	*out = NULL;
	int rc = ensure_init();
	if (rc)
		return rc;
	regdiff__hash *h = regdiff__malloc(sizeof *h);
	if (!h)
		return REGDIFF_ENOMEM;
	gcry_error_t e = gcry_md_open(&h->md, GCRY_MD_BLAKE2B_256, 0);
	if (e) {
		free(h);
		return regdiff__error(REGDIFF_EUNSUPPORTED, "BLAKE2b-256 unavailable in libgcrypt: %s",
				      gcry_strerror(e));
	}
	*out = h;
	return 0;
}

void regdiff__hash_update(regdiff__hash *h, const void *p, size_t n)
{
	if (n)
		gcry_md_write(h->md, p, n);
}

void regdiff__hash_final(regdiff__hash *h, uint8_t out[REGDIFF__DIGEST_SIZE])
{
	/* Kept to 16 bytes: second preimages (what forging the after state
	 * needs) stay 2^128 work, and records stay small. */
	memcpy(out, gcry_md_read(h->md, GCRY_MD_BLAKE2B_256), REGDIFF__DIGEST_SIZE);
	gcry_md_reset(h->md);
}

void regdiff__hash_reset(regdiff__hash *h)
{
	gcry_md_reset(h->md);
}

void regdiff__hash_free(regdiff__hash *h)
{
	if (!h)
		return;
	gcry_md_close(h->md);
	free(h);
}

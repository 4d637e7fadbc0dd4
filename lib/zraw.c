/* Raw deflate streams of snapshot blocks: see zraw.h. Blocks are made
 * with zlib and, where the build has it, inflated with libdeflate: a
 * block is always inflated whole, into a buffer of the size its header
 * gives, which is what libdeflate does, at twice zlib's speed (the record
 * blocks of a snapshot of SYSTEM_WIN_10_1709: 11 ms against 25). */
#include <stdlib.h>
#include <zlib.h>
#ifdef REGDIFF_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#include "zraw.h"

#ifdef REGDIFF_HAVE_LIBDEFLATE
struct regdiff__inflater {
	struct libdeflate_decompressor *d;
};

int regdiff__inflater_new(regdiff__inflater **out)
{
	*out = NULL;
	regdiff__inflater *z = regdiff__calloc(1, sizeof *z);
	if (!z)
		return REGDIFF_ENOMEM;
	if (!(z->d = libdeflate_alloc_decompressor())) {
		free(z);
		return regdiff__error(REGDIFF_ENOMEM, "out of memory");
	}
	*out = z;
	return 0;
}

int regdiff__inflater_run(regdiff__inflater *z, uint8_t *dst, size_t dlen, const uint8_t *src,
			  size_t slen)
{
	size_t in = 0, out = 0;
	if (dlen > 0xffffffffu || slen > 0xffffffffu)
		return 1;
	enum libdeflate_result r =
	    libdeflate_deflate_decompress_ex(z->d, src, slen, dst, dlen, &in, &out);
	/* As with zlib below: the stream ends, fills the block exactly and
	 * uses every byte. */
	return r == LIBDEFLATE_SUCCESS && in == slen && out == dlen ? 0 : 1;
}

void regdiff__inflater_free(regdiff__inflater *z)
{
	if (!z)
		return;
	libdeflate_free_decompressor(z->d);
	free(z);
}
#else
struct regdiff__inflater {
	z_stream z;
};

int regdiff__inflater_new(regdiff__inflater **out)
{
	*out = NULL;
	regdiff__inflater *z = regdiff__calloc(1, sizeof *z);
	if (!z)
		return REGDIFF_ENOMEM;
	if (inflateInit2(&z->z, REGDIFF__RAW_WINDOW) != Z_OK) {
		free(z);
		return regdiff__error(REGDIFF_ENOMEM, "out of memory");
	}
	*out = z;
	return 0;
}

int regdiff__inflater_run(regdiff__inflater *z, uint8_t *dst, size_t dlen, const uint8_t *src,
			  size_t slen)
{
	static uint8_t none[1]; /* zlib wants a pointer even for 0 bytes */
	if (dlen > 0xffffffffu || slen > 0xffffffffu || inflateReset(&z->z) != Z_OK)
		return 1;
	z->z.next_in = (Bytef *)(slen ? src : none);
	z->z.avail_in = (uInt)slen;
	z->z.next_out = dlen ? dst : none;
	z->z.avail_out = (uInt)dlen;
	int zrc = inflate(&z->z, Z_FINISH);
	if (zrc == Z_MEM_ERROR)
		return regdiff__error(REGDIFF_ENOMEM, "out of memory");
	/* The stream must end, fill the block exactly and use every byte:
	 * what follows it is not covered by anything but the checksum. */
	return zrc == Z_STREAM_END && z->z.avail_out == 0 && z->z.avail_in == 0 ? 0 : 1;
}

void regdiff__inflater_free(regdiff__inflater *z)
{
	if (!z)
		return;
	inflateEnd(&z->z);
	free(z);
}
#endif

int regdiff__deflate_raw(regdiff__buf *out, const uint8_t *src, size_t len, int level)
{
	static const uint8_t none[1];
	z_stream s = {0};
	if (len > 0xffffffffu ||
	    deflateInit2(&s, level, Z_DEFLATED, REGDIFF__RAW_WINDOW, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return regdiff__error(REGDIFF_ENOMEM, "out of memory");
	uLong bound = deflateBound(&s, (uLong)len);
	int rc = regdiff__buf_reserve(out, bound);
	if (rc) {
		deflateEnd(&s);
		return rc;
	}
	s.next_in = (Bytef *)(len ? src : none);
	s.avail_in = (uInt)len;
	s.next_out = out->data + out->len;
	s.avail_out = (uInt)bound;
	int zrc = deflate(&s, Z_FINISH);
	if (zrc == Z_STREAM_END)
		out->len += s.total_out;
	deflateEnd(&s);
	return zrc == Z_STREAM_END ? 0 : regdiff__error(REGDIFF_EIO, "compression failed");
}

/* Raw deflate streams of snapshot blocks: see zraw.h. Where the build has
 * libdeflate, blocks are made and inflated with it, zlib elsewhere (the
 * Windows build). A block is always compressed and inflated whole, into
 * a buffer of a size known before, which is what libdeflate does, faster
 * than zlib both ways: inflating the record blocks of a snapshot of
 * SYSTEM_WIN_10_1709 takes 11 ms against 25; compressing its hive in
 * 32 KiB blocks at level 1, 52 ms against 135, and a little smaller. */
#include <stdlib.h>
#include <string.h>
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

/* A stored block (RFC 1951 3.2.4) that begins on a byte: a byte holding
 * BFINAL and BTYPE 00 (its other five bits are padding, which readers
 * skip), LEN and its one's complement NLEN, then LEN bytes. A stream of
 * nothing else has every block begin on a byte. */
#define STORED_HEADER 5u

int regdiff__stored_inflate_in_place(uint8_t *buf, size_t slen, size_t dlen)
{
	/* Checked whole before anything moves, so that a stream of another
	 * kind is left as it was for the inflater. */
	size_t at = 0, total = 0;
	for (int last = 0; !last;) {
		if (slen - at < STORED_HEADER || (buf[at] & 0x06) != 0)
			return 1;
		last = buf[at] & 1;
		size_t len = regdiff__get_u16(buf + at + 1);
		if ((len ^ regdiff__get_u16(buf + at + 3)) != 0xffffu ||
		    len > slen - at - STORED_HEADER)
			return 1;
		at += STORED_HEADER + len;
		total += len;
	}
	if (at != slen || total != dlen)
		return 1;
	size_t to = 0;
	for (at = 0; at < slen;) {
		size_t len = regdiff__get_u16(buf + at + 1);
		memmove(buf + to, buf + at + STORED_HEADER, len);
		to += len;
		at += STORED_HEADER + len;
	}
	return 0;
}

/* Deflates src (slen bytes) whole into dst (cap bytes, both under 4 GiB)
 * with s, a stream fresh or just reset: zlib's status, Z_STREAM_END when
 * done (s->total_out bytes then). */
static int zlib_deflate_all(z_stream *s, uint8_t *dst, size_t cap, const uint8_t *src, size_t slen)
{
	static const uint8_t none[1]; /* zlib wants a pointer even for 0 bytes */
	s->next_in = (Bytef *)(slen ? src : none);
	s->avail_in = (uInt)slen;
	s->next_out = dst;
	s->avail_out = (uInt)cap;
	return deflate(s, Z_FINISH);
}

#ifdef REGDIFF_HAVE_LIBDEFLATE
/* One compressor per level used: libdeflate's level is fixed when it is
 * made. */
struct regdiff__compressor {
	struct libdeflate_compressor *level;
	struct libdeflate_compressor *stored;
};

int regdiff__compressor_new(regdiff__compressor **out, int level)
{
	*out = NULL;
	regdiff__compressor *c = regdiff__calloc(1, sizeof *c);
	if (!c)
		return REGDIFF_ENOMEM;
	c->level = libdeflate_alloc_compressor(level);
	c->stored = level == 0 ? c->level : libdeflate_alloc_compressor(0);
	if (!c->level || !c->stored) {
		regdiff__compressor_free(c);
		return regdiff__error(REGDIFF_ENOMEM, "out of memory");
	}
	*out = c;
	return 0;
}

size_t regdiff__compressor_bound(const regdiff__compressor *c, size_t len)
{
	(void)c;
	return libdeflate_deflate_compress_bound(NULL, len); /* any level */
}

int regdiff__compressor_run(regdiff__compressor *c, uint8_t *dst, size_t cap, size_t *dlen,
			    const uint8_t *src, size_t slen, int stored)
{
	*dlen = libdeflate_deflate_compress(stored ? c->stored : c->level, src, slen, dst, cap);
	return *dlen ? 0 : REGDIFF_EIO;
}

void regdiff__compressor_free(regdiff__compressor *c)
{
	if (!c)
		return;
	if (c->stored != c->level)
		libdeflate_free_compressor(c->stored);
	libdeflate_free_compressor(c->level);
	free(c);
}
#else
/* One stream reused: a fresh one per block would clear its window each
 * time. */
struct regdiff__compressor {
	z_stream z;
	int level;   /* asked for */
	int z_level; /* the stream's, now */
};

int regdiff__compressor_new(regdiff__compressor **out, int level)
{
	*out = NULL;
	regdiff__compressor *c = regdiff__calloc(1, sizeof *c);
	if (!c)
		return REGDIFF_ENOMEM;
	if (deflateInit2(&c->z, level, Z_DEFLATED, REGDIFF__RAW_WINDOW, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK) {
		free(c);
		return regdiff__error(REGDIFF_ENOMEM, "out of memory");
	}
	c->level = c->z_level = level;
	*out = c;
	return 0;
}

size_t regdiff__compressor_bound(const regdiff__compressor *c, size_t len)
{
	(void)c;
	/* compress2's bound at any level, zlib's header and adler32
	 * included: more than a raw stream needs. */
	return compressBound((uLong)len);
}

int regdiff__compressor_run(regdiff__compressor *c, uint8_t *dst, size_t cap, size_t *dlen,
			    const uint8_t *src, size_t slen, int stored)
{
	*dlen = 0;
	if (slen > 0xffffffffu || cap > 0xffffffffu)
		return REGDIFF_EIO;
	deflateReset(&c->z);
	/* Right after a reset, with no input yet, deflateParams only
	 * changes the level. */
	int level = stored ? 0 : c->level;
	if (level != c->z_level && deflateParams(&c->z, level, Z_DEFAULT_STRATEGY) == Z_OK)
		c->z_level = level;
	int zrc = zlib_deflate_all(&c->z, dst, cap, src, slen);
	if (zrc != Z_STREAM_END)
		return zrc == Z_MEM_ERROR ? REGDIFF_ENOMEM : REGDIFF_EIO;
	*dlen = c->z.total_out;
	return 0;
}

void regdiff__compressor_free(regdiff__compressor *c)
{
	if (!c)
		return;
	deflateEnd(&c->z);
	free(c);
}
#endif

int regdiff__deflate_raw(regdiff__buf *out, const uint8_t *src, size_t len, int level)
{
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
	int zrc = zlib_deflate_all(&s, out->data + out->len, bound, src, len);
	if (zrc == Z_STREAM_END)
		out->len += s.total_out;
	deflateEnd(&s);
	return zrc == Z_STREAM_END ? 0 : regdiff__error(REGDIFF_EIO, "compression failed");
}

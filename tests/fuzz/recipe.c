/* Snapshot recipes: see recipe.h and docs/snapshot-format.md. */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include "internal.h"
#include "recipe.h"
#include "snapshot_format.h"
#include "zraw.h"

typedef struct block {
	uint32_t kind;
	uint64_t offset;
	uint32_t records;
	uint32_t csize;
	uint64_t hash;
} block;

static int put_block(regdiff__buf *file, uint32_t kind, uint32_t records, const uint8_t *raw,
		     size_t len, block *b)
{
	size_t start = file->len;
	int rc = regdiff__buf_reserve(file, RDS_BLOCK_HEADER_SIZE);
	if (rc)
		return rc;
	file->len += RDS_BLOCK_HEADER_SIZE;
	if ((rc = regdiff__deflate_raw(file, raw, len, 1)))
		return rc;
	uint8_t *h = file->data + start;
	size_t clen = file->len - start - RDS_BLOCK_HEADER_SIZE;
	file->len = start;
	memset(h, 0, RDS_BLOCK_HEADER_SIZE);
	regdiff__put_u32(h, RDS_BLOCK_MAGIC);
	regdiff__put_u32(h + 4, kind);
	regdiff__put_u32(h + 8, (uint32_t)clen);
	regdiff__put_u32(h + 12, (uint32_t)len);
	regdiff__put_u32(h + 16, records);
	XXH3_state_t *st = XXH3_createState();
	if (!st)
		return REGDIFF_ENOMEM;
	XXH3_64bits_reset(st);
	XXH3_64bits_update(st, h, 24);
	XXH3_64bits_update(st, h + RDS_BLOCK_HEADER_SIZE, clen);
	b->hash = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	regdiff__put_u64(h + 24, b->hash);
	b->kind = kind;
	b->offset = file->len;
	b->records = records;
	b->csize = (uint32_t)clen;
	file->len += RDS_BLOCK_HEADER_SIZE + clen;
	return 0;
}

/* The footer with its index made to match blocks[0..n). */
static int fix_footer(regdiff__buf *out, const uint8_t *f, size_t len, const block *blocks,
		      size_t n)
{
	uint64_t records = 0;
	for (size_t i = 0; i < n; i++)
		if (blocks[i].kind != RDS_BLOCK_TABLES)
			records += blocks[i].records;
	size_t pos = 0;
	int rc = 0;
	while (!rc && pos < len) {
		if (len - pos < 6 || regdiff__get_u32(f + pos + 2) > len - pos - 6) {
			rc = regdiff__buf_append(out, f + pos, len - pos);
			break;
		}
		uint16_t tag = regdiff__get_u16(f + pos);
		size_t tlv = 6 + (size_t)regdiff__get_u32(f + pos + 2);
		if (tag != RDS_TLV_BLOCK && tag != RDS_TLV_TABLE_BLOCK)
			rc = regdiff__buf_append(out, f + pos, tlv);
		if (!rc && tag == RDS_TLV_COUNTS && tlv == 6 + 40)
			regdiff__put_u64(out->data + out->len - 8, records);
		pos += tlv;
	}
	uint64_t first = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		if (blocks[i].kind == RDS_BLOCK_TABLES) {
			/* A chunk of child tables: its own index entry. */
			uint8_t e[6 + RDS_TLV_TABLE_BLOCK_SIZE];
			regdiff__put_u16(e, RDS_TLV_TABLE_BLOCK);
			regdiff__put_u32(e + 2, RDS_TLV_TABLE_BLOCK_SIZE);
			regdiff__put_u64(e + 6, blocks[i].offset);
			regdiff__put_u32(e + 14, blocks[i].csize);
			regdiff__put_u32(e + 18, blocks[i].records);
			regdiff__put_u64(e + 22, blocks[i].hash);
			rc = regdiff__buf_append(out, e, sizeof e);
			continue;
		}
		uint8_t e[6 + RDS_TLV_BLOCK_SIZE];
		regdiff__put_u16(e, RDS_TLV_BLOCK);
		regdiff__put_u32(e + 2, RDS_TLV_BLOCK_SIZE);
		regdiff__put_u64(e + 6, blocks[i].offset);
		regdiff__put_u64(e + 14, first);
		regdiff__put_u32(e + 22, blocks[i].records);
		regdiff__put_u32(e + 26, blocks[i].csize);
		regdiff__put_u64(e + 30, blocks[i].hash);
		rc = regdiff__buf_append(out, e, sizeof e);
		first += blocks[i].records;
	}
	return rc;
}

typedef struct chunk {
	uint32_t kind, records;
	const uint8_t *data;
	size_t len;
} chunk;

static size_t read_chunks(const uint8_t *p, size_t n, chunk *chunks)
{
	size_t count = 0, pos = 0;
	while (n - pos >= 9) {
		chunk c = {p[pos], regdiff__get_u32(p + pos + 1), p + pos + 9,
			   regdiff__get_u32(p + pos + 5)};
		pos += 9;
		if (c.len > n - pos)
			c.len = n - pos;
		pos += c.len;
		if (chunks)
			chunks[count] = c;
		count++;
	}
	return count;
}

int recipe_build(const uint8_t *recipe, size_t n, uint8_t **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (n < 2 || recipe[0] != RECIPE_MAGIC)
		return regdiff__error(REGDIFF_EINVAL, "not a recipe");
	unsigned flags = recipe[1];
	size_t count = read_chunks(recipe + 2, n - 2, NULL);
	chunk *chunks = regdiff__calloc(count + 1, sizeof *chunks);
	block *blocks = regdiff__calloc(count + 1, sizeof *blocks);
	regdiff__buf file = {0}, footer = {0};
	int rc = chunks && blocks ? 0 : REGDIFF_ENOMEM;
	if (!rc) {
		read_chunks(recipe + 2, n - 2, chunks);
		rc = regdiff__buf_reserve(&file, RDS_HEADER_SIZE);
	}
	if (!rc) {
		uint8_t *h = file.data;
		memset(h, 0, RDS_HEADER_SIZE);
		memcpy(h, RDS_MAGIC, RDS_MAGIC_LEN);
		regdiff__put_u32(h + 8, RDS_FORMAT_VERSION);
		regdiff__put_u32(h + 12, RDS_HEADER_SIZE);
		regdiff__put_u64(h + 56, XXH3_64bits(h, 56));
		file.len = RDS_HEADER_SIZE;
	}
	size_t nblocks = count ? count - 1 : 0;
	for (size_t i = 0; !rc && i < nblocks; i++)
		rc = put_block(&file, chunks[i].kind, chunks[i].records, chunks[i].data,
			       chunks[i].len, &blocks[i]);
	uint64_t footer_offset = file.len;
	if (!rc && count) {
		const chunk *f = &chunks[count - 1];
		if (flags & RECIPE_KEEP_INDEX)
			rc = regdiff__buf_append(&footer, f->data, f->len);
		else
			rc = fix_footer(&footer, f->data, f->len, blocks, nblocks);
		/* regdiff__buf leaves data NULL when nothing was appended. */
		static const uint8_t none[1];
		if (!rc)
			rc = put_block(&file, f->kind, f->records, footer.data ? footer.data : none,
				       footer.len, &blocks[count - 1]);
	}
	if (!rc)
		rc = regdiff__buf_reserve(&file, RDS_TRAILER_SIZE);
	if (!rc) {
		uint8_t *t = file.data + file.len;
		memset(t, 0, RDS_TRAILER_SIZE);
		memcpy(t, RDS_TRAILER_MAGIC, 8);
		regdiff__put_u64(t + 8, footer_offset);
		regdiff__put_u64(t + 16, file.len + RDS_TRAILER_SIZE);
		size_t nrecord_blocks = 0;
		for (size_t i = 0; i < nblocks; i++)
			nrecord_blocks += blocks[i].kind != RDS_BLOCK_TABLES;
		regdiff__put_u64(t + 24, nrecord_blocks);
		regdiff__put_u64(t + 40, XXH3_64bits(t, 40));
		file.len += RDS_TRAILER_SIZE;
	}
	free(chunks);
	free(blocks);
	regdiff__buf_free(&footer);
	if (rc) {
		regdiff__buf_free(&file);
		return rc;
	}
	*out = file.data;
	*out_len = file.len;
	return 0;
}

int recipe_of(const uint8_t *file, size_t n, uint8_t **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (n < RDS_HEADER_SIZE + RDS_TRAILER_SIZE || memcmp(file, RDS_MAGIC, RDS_MAGIC_LEN) != 0)
		return regdiff__error(REGDIFF_EFOREIGN, "not a snapshot");
	regdiff__buf r = {0}, raw = {0};
	regdiff__inflater *inf = NULL;
	int rc = regdiff__inflater_new(&inf);
	if (!rc)
		rc = regdiff__buf_append(&r, "R", 2); /* magic, flags 0 */
	size_t pos = RDS_HEADER_SIZE, end = n - RDS_TRAILER_SIZE;
	while (!rc && pos < end) {
		if (end - pos < RDS_BLOCK_HEADER_SIZE) {
			rc = regdiff__error(REGDIFF_EFORMAT, "block header cut short");
			break;
		}
		const uint8_t *h = file + pos;
		uint32_t csize = regdiff__get_u32(h + 8), usize = regdiff__get_u32(h + 12);
		if (csize > end - pos - RDS_BLOCK_HEADER_SIZE) {
			rc = regdiff__error(REGDIFF_EFORMAT, "block cut short");
			break;
		}
		raw.len = 0;
		rc = regdiff__buf_reserve(&raw, usize ? usize : 1);
		if (!rc &&
		    regdiff__inflater_run(inf, raw.data, usize, h + RDS_BLOCK_HEADER_SIZE, csize))
			rc = regdiff__error(REGDIFF_EFORMAT, "block does not inflate");
		uint8_t c[9];
		c[0] = (uint8_t)regdiff__get_u32(h + 4);
		regdiff__put_u32(c + 1, regdiff__get_u32(h + 16));
		regdiff__put_u32(c + 5, usize);
		if (!rc)
			rc = regdiff__buf_append(&r, c, sizeof c);
		if (!rc && usize)
			rc = regdiff__buf_append(&r, raw.data, usize);
		pos += RDS_BLOCK_HEADER_SIZE + csize;
	}
	regdiff__buf_free(&raw);
	regdiff__inflater_free(inf);
	if (rc) {
		regdiff__buf_free(&r);
		return rc;
	}
	*out = r.data;
	*out_len = r.len;
	return 0;
}

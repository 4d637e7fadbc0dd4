/* Opening snapshots: header, trailer and footer checked before anything in
 * them is trusted; metadata accessors. */
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>
#include <zlib.h>
#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

#include "osfile.h"
#include "snapshot_format.h"
#include "exclusion.h"
#include "snapshot_priv.h"
#include "tempsnap.h"
#include "zraw.h"

static int corrupt(const regdiff_snapshot *s, const char *what)
{
	return regdiff__error(REGDIFF_EFORMAT, "%s: corrupt snapshot (%s)", s->name, what);
}

int regdiff__snapshot_pread(const regdiff_snapshot *s, void *buf, size_t len, uint64_t off)
{
	if (off > s->size || len > s->size - off)
		return regdiff__error(REGDIFF_EFORMAT, "%s: truncated snapshot", s->name);
	if (len == 0) /* buf may be an empty buffer's NULL */
		return 0;
	if (s->fd < 0) {
		memcpy(buf, s->mem + off, len);
		return 0;
	}
	return regdiff__os_pread_all(s->fd, buf, len, off, s->name);
}

/* Checks a block header h found at off against the format's limits. */
static int check_header(const regdiff_snapshot *s, uint64_t off, uint32_t kind, const uint8_t *h,
			uint32_t *csize, uint32_t *usize, uint32_t *records, uint64_t *hash)
{
	if (regdiff__get_u32(h) != RDS_BLOCK_MAGIC || regdiff__get_u32(h + 4) != kind)
		return corrupt(s, "bad block header");
	*csize = regdiff__get_u32(h + 8);
	*usize = regdiff__get_u32(h + 12);
	*records = regdiff__get_u32(h + 16);
	*hash = regdiff__get_u64(h + 24);
	if (off + RDS_BLOCK_HEADER_SIZE > s->size || *csize > s->size - off - RDS_BLOCK_HEADER_SIZE)
		return corrupt(s, "block runs past the end of the file");
	/* Sizes no writer makes are refused before anything is allocated for
	 * them: this bounds a reader's memory whatever the file claims. */
	uint32_t max = kind == RDS_BLOCK_FOOTER ? RDS_FOOTER_MAX : RDS_BLOCK_MAX_UNCOMPRESSED;
	if (*usize > max)
		return regdiff__error(
		    REGDIFF_EFORMAT,
		    "%s: corrupt snapshot (block at offset %llu claims %lu bytes, "
		    "over the format's limit of %lu)",
		    s->name, (unsigned long long)off, (unsigned long)*usize, (unsigned long)max);
	if ((uint64_t)*usize > (uint64_t)*csize * RDS_ZLIB_MAX_RATIO + 64 ||
	    *csize > compressBound(*usize))
		return regdiff__error(
		    REGDIFF_EFORMAT,
		    "%s: corrupt snapshot (block at offset %llu: %lu bytes cannot "
		    "inflate to the %lu it claims)",
		    s->name, (unsigned long long)off, (unsigned long)*csize, (unsigned long)*usize);
	return 0;
}

/* Checks the hash of the block at off: header h, compressed bytes z. */
static int check_hash(const regdiff_snapshot *s, uint64_t off, const uint8_t *h, const uint8_t *z,
		      uint32_t csize, uint64_t hash)
{
	XXH3_state_t *st = XXH3_createState();
	if (!st)
		return regdiff__error(REGDIFF_ENOMEM, "out of memory");
	XXH3_64bits_reset(st);
	XXH3_64bits_update(st, h, 24);
	XXH3_64bits_update(st, z, csize);
	uint64_t actual = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	if (actual != hash)
		return regdiff__error(
		    REGDIFF_EFORMAT,
		    "%s: corrupt snapshot (checksum mismatch in block at offset %llu)", s->name,
		    (unsigned long long)off);
	return 0;
}

/* Checks a block header at off against what the index (or the trailer)
 * says and the hash of its compressed bytes, *z: in place in a snapshot
 * in memory, else read into zbuf. */
static int load_block_at(const regdiff_snapshot *s, uint64_t off, uint32_t kind, regdiff__buf *zbuf,
			 const uint8_t **z, uint32_t *csize, uint32_t *usize, uint32_t *records,
			 uint64_t *hash)
{
	uint8_t h[RDS_BLOCK_HEADER_SIZE];
	int rc = regdiff__snapshot_pread(s, h, sizeof h, off);
	if (!rc)
		rc = check_header(s, off, kind, h, csize, usize, records, hash);
	if (rc)
		return rc;
	if (s->fd < 0) {
		*z = s->mem + off + RDS_BLOCK_HEADER_SIZE; /* check_header bounded it */
	} else {
		zbuf->len = 0;
		if ((rc = regdiff__buf_reserve(zbuf, *csize)) ||
		    (rc = regdiff__snapshot_pread(s, zbuf->data, *csize,
						  off + RDS_BLOCK_HEADER_SIZE)))
			return rc;
		zbuf->len = *csize;
		*z = zbuf->data;
	}
	return s->temp ? 0 : check_hash(s, off, h, *z, *csize, *hash);
}

static int match_index(const regdiff_snapshot *s, const regdiff__block_entry *e, uint32_t csize,
		       uint32_t records, uint64_t hash)
{
	if (csize != e->csize || records != e->records || hash != e->hash)
		return corrupt(s, "block does not match the index");
	return 0;
}

static int load_listed(const regdiff_snapshot *s, const regdiff__block_entry *e, uint32_t kind,
		       regdiff__buf *zbuf, const uint8_t **z, uint32_t *usize)
{
	uint32_t csize = 0, records = 0;
	uint64_t hash = 0;
	int rc = load_block_at(s, e->offset, kind, zbuf, z, &csize, usize, &records, &hash);
	return rc ? rc : match_index(s, e, csize, records, hash);
}

int regdiff__snapshot_block_bytes(const regdiff_snapshot *s, size_t i, regdiff__buf *zbuf,
				  const uint8_t **z, uint32_t *csize, uint32_t *usize)
{
	*csize = s->blocks[i].csize;
	return load_listed(s, &s->blocks[i], RDS_BLOCK_RECORDS, zbuf, z, usize);
}

/* A block's bytes in zbuf, copied there from a snapshot in memory. */
static int load_copy(const regdiff_snapshot *s, const regdiff__block_entry *e, uint32_t kind,
		     regdiff__buf *zbuf, uint32_t *usize)
{
	const uint8_t *z;
	int rc = load_listed(s, e, kind, zbuf, &z, usize);
	if (rc || z == zbuf->data)
		return rc;
	zbuf->len = 0;
	return regdiff__buf_append(zbuf, z, e->csize);
}

int regdiff__snapshot_load_tables(const regdiff_snapshot *s, size_t i, regdiff__buf *zbuf,
				  uint32_t *usize)
{
	return load_copy(s, &s->tblocks[i], RDS_BLOCK_TABLES, zbuf, usize);
}

/* Blocks are read this many bytes at a time to check them all on open:
 * one read per block would cost more in system calls than the hashing,
 * and a larger window more in fresh pages than the reads it saves (a page
 * first touched costs as much as copying 20 KiB on a virtual machine). */
#define CHECK_WINDOW (64u << 10)

/* Every record block's header and checksum, against the index (which
 * tiles the file, as check_index made sure), without inflating any; win
 * is the caller's scratch buffer. */
static int check_blocks(const regdiff_snapshot *s, const regdiff__block_entry *list, size_t n,
			uint32_t kind, regdiff__buf *win_buf)
{
	regdiff__buf win = *win_buf;
	uint64_t win_off = 0, win_len = 0;
	int rc = 0;
	uint64_t end = n ? list[n - 1].offset + RDS_BLOCK_HEADER_SIZE + list[n - 1].csize : 0;
	for (size_t i = 0; !rc && i < n; i++) {
		const regdiff__block_entry *e = &list[i];
		uint64_t need = RDS_BLOCK_HEADER_SIZE + (uint64_t)e->csize;
		if (s->fd >= 0 && need > CHECK_WINDOW) {
			uint32_t usize; /* a block of one large value: by itself */
			const uint8_t *z;
			rc = load_listed(s, e, kind, &win, &z, &usize);
			win_len = 0;
			continue;
		}
		const uint8_t *h = s->mem + e->offset;
		if (s->fd >= 0) {
			if (e->offset < win_off || e->offset + need > win_off + win_len) {
				win_off = e->offset;
				win_len =
				    end - win_off < CHECK_WINDOW ? end - win_off : CHECK_WINDOW;
				win.len = 0;
				if ((rc = regdiff__buf_reserve(&win, (size_t)win_len)) ||
				    (rc = regdiff__snapshot_pread(s, win.data, (size_t)win_len,
								  win_off)))
					break;
			}
			h = win.data + (e->offset - win_off);
		}
		uint32_t csize = 0, usize = 0, records = 0;
		uint64_t hash = 0;
		rc = check_header(s, e->offset, kind, h, &csize, &usize, &records, &hash);
		if (!rc)
			rc = match_index(s, e, csize, records, hash);
		if (!rc)
			rc = check_hash(s, e->offset, h, h + RDS_BLOCK_HEADER_SIZE, csize, hash);
	}
	*win_buf = win;
	return rc;
}

/* Copies a metadata string, replacing control characters and bytes that
 * are not UTF-8 with '?', so a crafted file cannot put escapes on a
 * terminal through `info`. */
static char *clean_string(const uint8_t *p, size_t n)
{
	char *out = regdiff__malloc(n + 1);
	if (!out)
		return NULL;
	size_t i = 0;
	while (i < n) {
		uint8_t c = p[i];
		size_t len = c < 0x80		  ? 1
			     : (c & 0xe0) == 0xc0 ? 2
			     : (c & 0xf0) == 0xe0 ? 3
			     : (c & 0xf8) == 0xf0 ? 4
						  : 0;
		int ok = len > 0 && i + len <= n && !(len == 2 && c < 0xc2);
		for (size_t k = 1; ok && k < len; k++)
			ok = (p[i + k] & 0xc0) == 0x80;
		if (!ok || (len == 1 && (c < 0x20 || c == 0x7f))) {
			out[i] = '?';
			i++;
			continue;
		}
		memcpy(out + i, p + i, len);
		i += len;
	}
	out[n] = '\0';
	return out;
}

static int split3(regdiff_snapshot *s, const uint8_t *p, size_t n, char **a, char **b, char **c)
{
	const uint8_t *z1 = memchr(p, 0, n);
	const uint8_t *z2 = z1 ? memchr(z1 + 1, 0, n - (size_t)(z1 + 1 - p)) : NULL;
	if (!z1 || (c && !z2))
		return corrupt(s, "bad metadata string");
	*a = clean_string(p, (size_t)(z1 - p));
	if (c) {
		*b = clean_string(z1 + 1, (size_t)(z2 - z1 - 1));
		*c = clean_string(z2 + 1, n - (size_t)(z2 + 1 - p));
	} else {
		*b = clean_string(z1 + 1, n - (size_t)(z1 + 1 - p));
	}
	if (!*a || !*b || (c && !*c))
		return REGDIFF_ENOMEM;
	return 0;
}

static int grow(void *pp, size_t n, size_t size)
{
	/* Arrays grow by doubling: n is the current count. */
	void **p = pp;
	if (n & (n - 1))
		return 0;
	void *q = regdiff__realloc(*p, (n ? n * 2 : 1) * size);
	if (!q)
		return REGDIFF_ENOMEM;
	*p = q;
	return 0;
}

/* Source logs entries come after the sources they describe. */
static int parse_logs(regdiff_snapshot *s, const uint8_t *p, size_t len)
{
	if (len < RDS_TLV_LOGS_FIXED + 1 || len > RDS_TLV_LOGS_FIXED + 2 * RDS_PROBLEM_WHAT_MAX + 1)
		return corrupt(s, "bad log replay entry");
	uint32_t i = regdiff__get_u32(p);
	if (i >= s->nsources || p[4] < REGDIFF_LOGS_APPLIED || p[4] > REGDIFF_LOGS_IGNORED)
		return corrupt(s, "bad log replay entry");
	if (s->nlogs < s->nsources) {
		regdiff__logs *q = regdiff__realloc(s->logs, s->nsources * sizeof *q);
		if (!q)
			return REGDIFF_ENOMEM;
		memset(q + s->nlogs, 0, (s->nsources - s->nlogs) * sizeof *q);
		s->logs = q;
		s->nlogs = s->nsources;
	}
	regdiff__logs *l = &s->logs[i];
	if (l->state)
		return corrupt(s, "two log replay entries for one source");
	l->state = p[4];
	l->entries = regdiff__get_u32(p + 5);
	l->pages = regdiff__get_u32(p + 9);
	l->sequence = regdiff__get_u32(p + 13);
	return split3(s, p + RDS_TLV_LOGS_FIXED, len - RDS_TLV_LOGS_FIXED, &l->files, &l->reason,
		      NULL);
}

/* A key index entry: a key record whole, as the writer makes them. */
static int parse_key_entry(regdiff_snapshot *s, const uint8_t *p, size_t len)
{
	static const uint8_t zero[RDS_KEY_FIXED - RDS_KEY_END];
	if (len < 8 + RDS_KEY_FIXED || p[8] != RDS_REC_KEY ||
	    len != 8 + RDS_KEY_FIXED + 2 * (size_t)regdiff__get_u16(p + 8 + 4))
		return corrupt(s, "bad key index entry");
	/* Its subtree end and digests are the late summary's alone: an entry
	 * carrying any of its own is refused, so no digest in the index can
	 * stand in for the one the records were hashed into. */
	if (memcmp(p + 8 + RDS_KEY_END, zero, sizeof zero) != 0)
		return corrupt(s, "key index entry holds a summary");
	if (s->nkey_index == s->cap.key_index)
		return corrupt(s, "bad key index entry");
	regdiff__key_entry *e = &s->key_index[s->nkey_index++];
	e->ordinal = regdiff__get_u64(p);
	e->offset = (size_t)(p + 8 - s->footer.data);
	e->len = len - 8;
	return 0;
}

/* The footer's index arrays are allocated once, at the size its entries
 * of each kind give (grown by doubling, they were copied and their pages
 * touched twice over, and a fresh page costs more than the copy). Only
 * entries of the size each must have are counted, so a crafted footer
 * cannot make them larger than itself; parse_footer refuses the others. */
static int size_index(regdiff_snapshot *s, const uint8_t *f, size_t n)
{
	size_t pos = 0;
	regdiff__index_cap *c = &s->cap;
	while (n - pos >= 6) {
		uint16_t tag = regdiff__get_u16(f + pos);
		uint32_t len = regdiff__get_u32(f + pos + 2);
		pos += 6;
		if (len > n - pos)
			break;
		pos += len;
		c->blocks += tag == RDS_TLV_BLOCK && len == RDS_TLV_BLOCK_SIZE;
		c->late += tag == RDS_TLV_LATE && len == RDS_TLV_LATE_SIZE;
		c->key_index += tag == RDS_TLV_KEY && len >= 8 + RDS_KEY_FIXED;
		c->tblocks += tag == RDS_TLV_TABLE_BLOCK && len == RDS_TLV_TABLE_BLOCK_SIZE;
		c->children += tag == RDS_TLV_CHILDREN && len == RDS_TLV_CHILDREN_SIZE;
	}
	if ((c->blocks && !(s->blocks = regdiff__malloc(c->blocks * sizeof *s->blocks))) ||
	    (c->late && !(s->late = regdiff__malloc(c->late * sizeof *s->late))) ||
	    (c->key_index &&
	     !(s->key_index = regdiff__malloc(c->key_index * sizeof *s->key_index))) ||
	    (c->tblocks && !(s->tblocks = regdiff__malloc(c->tblocks * sizeof *s->tblocks))) ||
	    (c->children && !(s->children = regdiff__malloc(c->children * sizeof *s->children))))
		return REGDIFF_ENOMEM;
	return 0;
}

static int parse_footer(regdiff_snapshot *s, const uint8_t *f, size_t n)
{
	int have_counts = 0, rc = 0;
	size_t pos = 0, problem_bytes = 0;
	while (pos < n) {
		if (n - pos < 6)
			return corrupt(s, "footer entry truncated");
		uint16_t tag = regdiff__get_u16(f + pos);
		uint32_t len = regdiff__get_u32(f + pos + 2);
		pos += 6;
		if (len > n - pos)
			return corrupt(s, "footer entry truncated");
		const uint8_t *p = f + pos;
		pos += len;
		switch (tag) {
		case RDS_TLV_PRODUCER:
		case RDS_TLV_COMPUTER:
		case RDS_TLV_USER:
		case RDS_TLV_SYSTEM: {
			if (len > RDS_META_MAX)
				return corrupt(s, "metadata string too long");
			char **dst = tag == RDS_TLV_PRODUCER   ? &s->producer
				     : tag == RDS_TLV_COMPUTER ? &s->computer
				     : tag == RDS_TLV_USER     ? &s->user
							       : &s->system;
			free(*dst);
			if (!(*dst = clean_string(p, len)))
				return REGDIFF_ENOMEM;
			break;
		}
		case RDS_TLV_ELEVATED:
			if (len != 1 || p[0] > 1)
				return corrupt(s, "bad elevation entry");
			s->elevated = p[0];
			break;
		case RDS_TLV_TIME:
			if (len != 8)
				return corrupt(s, "bad time entry");
			s->time = (int64_t)regdiff__get_u64(p);
			break;
		case RDS_TLV_COUNTS:
			if (len != 40)
				return corrupt(s, "bad counts entry");
			s->keys = regdiff__get_u64(p);
			s->values = regdiff__get_u64(p + 8);
			s->value_bytes = regdiff__get_u64(p + 16);
			s->problems = regdiff__get_u64(p + 24);
			s->records = regdiff__get_u64(p + 32);
			have_counts = 1;
			break;
		case RDS_TLV_SOURCE:
			if (s->nsources >= RDS_SOURCES_MAX)
				return corrupt(s, "too many sources");
			if (len > 3 * RDS_META_MAX + 2)
				return corrupt(s, "source entry too long");
			if ((rc = grow(&s->mounts, s->nsources, sizeof(char *))) ||
			    (rc = grow(&s->kinds, s->nsources, sizeof(char *))) ||
			    (rc = grow(&s->locations, s->nsources, sizeof(char *))))
				return rc;
			s->mounts[s->nsources] = s->kinds[s->nsources] = s->locations[s->nsources] =
			    NULL;
			s->nsources++;
			rc = split3(s, p, len, &s->mounts[s->nsources - 1],
				    &s->kinds[s->nsources - 1], &s->locations[s->nsources - 1]);
			if (rc)
				return rc;
			break;
		case RDS_TLV_LOGS:
			if ((rc = parse_logs(s, p, len)))
				return rc;
			break;
		case RDS_TLV_USER_SID:
			if (s->nusers >= RDS_SOURCES_MAX || len > 2 * RDS_META_MAX + 1)
				return corrupt(s, "bad user entry");
			if ((rc = grow(&s->user_sids, s->nusers, sizeof(char *))) ||
			    (rc = grow(&s->user_names, s->nusers, sizeof(char *))))
				return rc;
			s->user_sids[s->nusers] = s->user_names[s->nusers] = NULL;
			s->nusers++;
			if ((rc = split3(s, p, len, &s->user_sids[s->nusers - 1],
					 &s->user_names[s->nusers - 1], NULL)))
				return rc;
			break;
		case RDS_TLV_NOTE:
			if (s->nnotes >= RDS_SOURCES_MAX || len > RDS_META_MAX)
				return corrupt(s, "bad note entry");
			if ((rc = grow(&s->notes, s->nnotes, sizeof(char *))))
				return rc;
			if (!(s->notes[s->nnotes++] = clean_string(p, len)))
				return REGDIFF_ENOMEM;
			break;
		case RDS_TLV_IMAGE:
			if (s->nimages >= RDS_SOURCES_MAX || regdiff__image_entry_check(p, len))
				return corrupt(s, "bad disk image entry");
			if ((rc = grow(&s->images, s->nimages, sizeof *s->images)))
				return rc;
			memset(&s->images[s->nimages], 0, sizeof *s->images);
			if ((rc = regdiff__buf_append(&s->images[s->nimages++], p, len)))
				return rc;
			break;
		case RDS_TLV_CONTROL_SET:
			if (len != 4 || regdiff__get_u32(p) == 0 || regdiff__get_u32(p) > 999)
				return corrupt(s, "bad control set entry");
			s->control_set = regdiff__get_u32(p);
			break;
		case RDS_TLV_PROBLEM:
			if (s->nkept >= RDS_PROBLEMS_KEPT)
				return corrupt(s, "too many problem entries");
			if (len > RDS_PROBLEM_PATH_MAX + 1 + RDS_PROBLEM_WHAT_MAX ||
			    (problem_bytes += 6 + len) > RDS_PROBLEM_BYTES_MAX)
				return corrupt(s, "problem entry too long");
			if ((rc = grow(&s->problem_paths, s->nkept, sizeof(char *))) ||
			    (rc = grow(&s->problem_whats, s->nkept, sizeof(char *))))
				return rc;
			s->problem_paths[s->nkept] = s->problem_whats[s->nkept] = NULL;
			s->nkept++;
			rc = split3(s, p, len, &s->problem_paths[s->nkept - 1],
				    &s->problem_whats[s->nkept - 1], NULL);
			if (rc)
				return rc;
			break;
		case RDS_TLV_BLOCK: {
			if (len != RDS_TLV_BLOCK_SIZE)
				return corrupt(s, "bad index entry");
			if (s->nblocks >= s->trailer_blocks)
				return corrupt(s, "index does not match the trailer");
			if (s->nblocks == s->cap.blocks) /* counted by size_index */
				return corrupt(s, "bad index");
			regdiff__block_entry *e = &s->blocks[s->nblocks++];
			e->offset = regdiff__get_u64(p);
			e->first = regdiff__get_u64(p + 8);
			e->records = regdiff__get_u32(p + 16);
			e->csize = regdiff__get_u32(p + 20);
			e->hash = regdiff__get_u64(p + 24);
			break;
		}
		case RDS_TLV_LATE: {
			if (len != RDS_TLV_LATE_SIZE)
				return corrupt(s, "bad summary entry");
			if (s->nlate == s->cap.late) /* counted by size_index */
				return corrupt(s, "bad index");
			regdiff__late_entry *e = &s->late[s->nlate++];
			e->ordinal = regdiff__get_u64(p);
			memcpy(e->subtree_hash.b, p + 8, RDS_DIGEST_SIZE);
			memcpy(e->times_hash.b, p + 8 + RDS_DIGEST_SIZE, RDS_DIGEST_SIZE);
			memcpy(e->names_hash.b, p + 8 + 2 * RDS_DIGEST_SIZE, RDS_DIGEST_SIZE);
			e->end = regdiff__get_u64(p + 8 + 3 * RDS_DIGEST_SIZE);
			e->flags = p[16 + 3 * RDS_DIGEST_SIZE];
			break;
		}
		case RDS_TLV_EXCLUSION:
			if ((rc = regdiff__snap_excl_read(&s->excl, s->name, p, len)))
				return rc;
			break;
		case RDS_TLV_KEY:
			if ((rc = parse_key_entry(s, p, len)))
				return rc;
			break;
		case RDS_TLV_TABLE_BLOCK: {
			if (s->version < 4)
				break; /* not version 3's: its digests are not these */
			if (len != RDS_TLV_TABLE_BLOCK_SIZE)
				return corrupt(s, "bad table block entry");
			if (s->ntblocks >= s->size / (RDS_BLOCK_HEADER_SIZE + 1))
				return corrupt(s, "more table blocks than the file can hold");
			if (s->ntblocks == s->cap.tblocks) /* counted by size_index */
				return corrupt(s, "bad index");
			regdiff__block_entry *e = &s->tblocks[s->ntblocks++];
			e->offset = regdiff__get_u64(p);
			e->first = 0;
			e->csize = regdiff__get_u32(p + 8);
			e->records = regdiff__get_u32(p + 12);
			e->hash = regdiff__get_u64(p + 16);
			break;
		}
		case RDS_TLV_CHILDREN: {
			if (s->version < 4)
				break;
			if (len != RDS_TLV_CHILDREN_SIZE)
				return corrupt(s, "bad child table entry");
			if (s->nchildren == s->cap.children) /* counted by size_index */
				return corrupt(s, "bad index");
			regdiff__children_ref *e = &s->children[s->nchildren++];
			e->ordinal = regdiff__get_u64(p);
			e->block = regdiff__get_u32(p + 8);
			e->offset = regdiff__get_u32(p + 12);
			e->count = regdiff__get_u32(p + 16);
			break;
		}
		default:
			break; /* added by a later minor revision: skip */
		}
	}
	if (!have_counts || !s->producer)
		return corrupt(s, "footer lacks metadata");
	if (s->problems < s->nkept)
		return corrupt(s, "problem count");
	return 0;
}

/* The index must tile the file from the header to the footer, and the
 * records must number exactly what the counts say. */
static int check_index(regdiff_snapshot *s, uint64_t footer_offset, uint64_t nblocks)
{
	if (s->nblocks != nblocks)
		return corrupt(s, "index does not match the trailer");
	uint64_t off = RDS_HEADER_SIZE, first = 0;
	/* Record blocks and table blocks, each list in file order, tile the
	 * file together. */
	size_t t = 0;
	for (size_t i = 0; i < s->nblocks || t < s->ntblocks;) {
		if (t < s->ntblocks && s->tblocks[t].offset == off) {
			if (s->tblocks[t].records == 0)
				return corrupt(s, "index out of order");
			off += RDS_BLOCK_HEADER_SIZE + (uint64_t)s->tblocks[t++].csize;
			continue;
		}
		if (i == s->nblocks)
			return corrupt(s, "index out of order");
		const regdiff__block_entry *e = &s->blocks[i++];
		if (e->offset != off || e->first != first || e->records == 0)
			return corrupt(s, "index out of order");
		off += RDS_BLOCK_HEADER_SIZE + (uint64_t)e->csize;
		first += e->records;
	}
	if (off != footer_offset || first != s->records)
		return corrupt(s, "index does not cover the file");
	/* Each table stands for an indexed key: the compare reaches it
	 * without its block. Its size is checked when it is loaded. */
	for (size_t i = 0; i < s->nchildren; i++) {
		const regdiff__children_ref *e = &s->children[i];
		if ((i > 0 && e->ordinal <= s->children[i - 1].ordinal) ||
		    !regdiff__snapshot_late(s, e->ordinal) || e->block >= s->ntblocks ||
		    e->count == 0 || e->count > RDS_CHILDREN_MAX)
			return corrupt(s, "bad child table index");
	}
	for (size_t i = 0; i < s->nlate; i++) {
		const regdiff__late_entry *e = &s->late[i];
		if ((i > 0 && e->ordinal <= s->late[i - 1].ordinal) || e->end <= e->ordinal ||
		    e->end > s->records || (e->flags & ~RDS_KEY_FLAGS_KNOWN))
			return corrupt(s, "bad summary table");
	}
	/* Each entry stands for a key whose summary is late (the writer makes
	 * no others): so a reader finds its digests either way. */
	for (size_t i = 0; i < s->nkey_index; i++) {
		const regdiff__key_entry *e = &s->key_index[i];
		if ((i > 0 && e->ordinal <= s->key_index[i - 1].ordinal) ||
		    !regdiff__snapshot_late(s, e->ordinal))
			return corrupt(s, "bad key index");
	}
	return 0;
}

/* The entry of ordinal among n entries of size bytes sorted by ordinal,
 * or NULL: the key index, the child tables and the late summaries are
 * such arrays, each entry beginning with its u64 ordinal. */
static const void *find_ordinal(const void *entries, size_t n, size_t size, uint64_t ordinal)
{
	const char *base = entries;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const uint64_t *o = (const void *)(base + mid * size);
		if (*o == ordinal)
			return o;
		if (*o < ordinal)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
_Static_assert(offsetof(regdiff__key_entry, ordinal) == 0, "find_ordinal reads it first");
_Static_assert(offsetof(regdiff__children_ref, ordinal) == 0, "find_ordinal reads it first");
_Static_assert(offsetof(regdiff__late_entry, ordinal) == 0, "find_ordinal reads it first");

const uint8_t *regdiff__snapshot_key_entry(const regdiff_snapshot *s, uint64_t ordinal, size_t *len)
{
	const regdiff__key_entry *e =
	    find_ordinal(s->key_index, s->nkey_index, sizeof *s->key_index, ordinal);
	if (!e)
		return NULL;
	*len = e->len;
	return s->footer.data + e->offset;
}

const regdiff__children_ref *regdiff__snapshot_children_ref(const regdiff_snapshot *s,
							    uint64_t ordinal)
{
	return find_ordinal(s->children, s->nchildren, sizeof *s->children, ordinal);
}

const regdiff__late_entry *regdiff__snapshot_late(const regdiff_snapshot *s, uint64_t ordinal)
{
	return find_ordinal(s->late, s->nlate, sizeof *s->late, ordinal);
}

static int inflate_footer(regdiff_snapshot *s, const uint8_t *zf, uint32_t csize, uint32_t usize)
{
	regdiff__inflater *inf = NULL;
	int rc = regdiff__buf_reserve(&s->footer, usize);
	if (!rc)
		rc = regdiff__inflater_new(&inf);
	if (!rc && (rc = regdiff__inflater_run(inf, s->footer.data, usize, zf, csize)) > 0)
		rc = corrupt(s, "footer does not inflate");
	regdiff__inflater_free(inf);
	return rc;
}

static int load(regdiff_snapshot *s)
{
	uint8_t h[RDS_HEADER_SIZE];
	if (s->size < RDS_MAGIC_LEN)
		return regdiff__error(REGDIFF_EFOREIGN, "%s: not a regdiff snapshot", s->name);
	int rc = regdiff__snapshot_pread(s, h, RDS_MAGIC_LEN, 0);
	if (rc)
		return rc;
	if (memcmp(h, RDS_MAGIC, RDS_MAGIC_LEN) != 0)
		return regdiff__error(REGDIFF_EFOREIGN, "%s: not a regdiff snapshot", s->name);
	if (s->size < RDS_HEADER_SIZE + RDS_TRAILER_SIZE)
		return regdiff__error(REGDIFF_EFORMAT, "%s: truncated snapshot (%llu bytes)",
				      s->name, (unsigned long long)s->size);
	if ((rc = regdiff__snapshot_pread(s, h, sizeof h, 0)))
		return rc;
	if (XXH3_64bits(h, 56) != regdiff__get_u64(h + 56))
		return corrupt(s, "header checksum mismatch");
	s->version = regdiff__get_u32(h + 8);
	if (s->version == 1)
		return regdiff__error(REGDIFF_EVERSION,
				      "%s: snapshot from an older regdiff (format version 1, whose "
				      "hashes can be forged): shoot it again with this version",
				      s->name);
	if (s->version == 2)
		return regdiff__error(REGDIFF_EVERSION,
				      "%s: snapshot from an older regdiff (format version 2, "
				      "before the key index): shoot it again with this version",
				      s->name);
	if (s->version < RDS_FORMAT_VERSION_MIN || s->version > RDS_FORMAT_VERSION)
		return regdiff__error(
		    REGDIFF_EVERSION,
		    "%s: snapshot format version %u is not supported (this is %u)", s->name,
		    s->version, RDS_FORMAT_VERSION);
	if (regdiff__get_u32(h + 12) != RDS_HEADER_SIZE)
		return corrupt(s, "bad header size");

	uint8_t t[RDS_TRAILER_SIZE];
	if ((rc = regdiff__snapshot_pread(s, t, sizeof t, s->size - RDS_TRAILER_SIZE)))
		return rc;
	if (memcmp(t, RDS_TRAILER_MAGIC, 8) != 0 || XXH3_64bits(t, 40) != regdiff__get_u64(t + 40))
		return regdiff__error(REGDIFF_EFORMAT,
				      "%s: truncated or corrupt snapshot (no valid trailer)",
				      s->name);
	uint64_t footer_offset = regdiff__get_u64(t + 8);
	if (regdiff__get_u64(t + 16) != s->size)
		return regdiff__error(
		    REGDIFF_EFORMAT,
		    "%s: truncated or extended snapshot (%llu bytes, expected %llu)", s->name,
		    (unsigned long long)s->size, (unsigned long long)regdiff__get_u64(t + 16));
	if (footer_offset < RDS_HEADER_SIZE || footer_offset > s->size - RDS_TRAILER_SIZE)
		return corrupt(s, "bad footer offset");
	/* Each block takes at least its header and one byte. */
	s->trailer_blocks = regdiff__get_u64(t + 24);
	if (s->trailer_blocks > (footer_offset - RDS_HEADER_SIZE) / (RDS_BLOCK_HEADER_SIZE + 1))
		return corrupt(s, "more blocks than the file can hold");

	/* One scratch buffer serves for the footer's compressed bytes and then
	 * (unless it became the footer) as the window of blocks being
	 * checked: fewer fresh pages. */
	regdiff__buf z = {0};
	uint32_t csize = 0, usize = 0, records = 0;
	uint64_t hash = 0;
	const uint8_t *zf = NULL;
	rc = load_block_at(s, footer_offset, RDS_BLOCK_FOOTER, &z, &zf, &csize, &usize, &records,
			   &hash);
	if (!rc && footer_offset + RDS_BLOCK_HEADER_SIZE + csize != s->size - RDS_TRAILER_SIZE)
		rc = corrupt(s, "footer does not end at the trailer");
	/* A footer written stored, as regdiff writes them, is read where it
	 * lies rather than copied into a second buffer of its size (1.1 MB,
	 * 275 pages to fault in, for a snapshot of a 216,000-key hive). */
	if (!rc && zf == z.data && regdiff__stored_inflate_in_place(z.data, csize, usize) == 0) {
		s->footer = z;
		z = (regdiff__buf){0};
	} else if (!rc) {
		rc = inflate_footer(s, zf, csize, usize);
	}
	if (!rc) {
		s->footer.len = usize;
		rc = size_index(s, s->footer.data, usize);
	}
	if (!rc)
		rc = parse_footer(s, s->footer.data, usize);
	if (!rc)
		rc = check_index(s, footer_offset, s->trailer_blocks);
	/* Every block's checksum, over its compressed bytes (cheap: nothing
	 * is inflated), before any of it is used: a report streamed from the
	 * snapshot must not begin and then find a damaged block. Not for the
	 * bytes this process has just written itself: reading them all once
	 * more cost a direct compare a tenth of its time. */
	if (!rc && !s->temp)
		rc = check_blocks(s, s->blocks, s->nblocks, RDS_BLOCK_RECORDS, &z);
	if (!rc && !s->temp)
		rc = check_blocks(s, s->tblocks, s->ntblocks, RDS_BLOCK_TABLES, &z);
	regdiff__buf_free(&z);
	return rc;
}

static int open_common(regdiff_snapshot **out, regdiff_snapshot *s)
{
	int rc = load(s);
	if (rc) {
		regdiff_snapshot_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static regdiff_snapshot *new_snapshot(const char *name)
{
	regdiff_snapshot *s = regdiff__calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->fd = -1;
	s->elevated = -1;
	s->name = regdiff__strdup(name);
	if (!s->name) {
		free(s);
		return NULL;
	}
	return s;
}

int regdiff_snapshot_open(regdiff_snapshot **out, const char *path)
{
	regdiff_error_clear();
	if (!out || !path)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_snapshot_open: NULL argument");
	*out = NULL;
	regdiff_snapshot *s = new_snapshot(path);
	if (!s)
		return REGDIFF_ENOMEM;
	int rc = regdiff__os_open_read(path, &s->fd);
	if (!rc)
		rc = regdiff__os_file_size(s->fd, &s->size, path);
	if (rc) {
		regdiff_snapshot_free(s);
		return rc;
	}
	return open_common(out, s);
}

int regdiff__snapshot_open_temp(regdiff_snapshot **out, regdiff__tempsnap *t, const char *name)
{
	*out = NULL;
	regdiff_snapshot *s = new_snapshot(name);
	if (!s) {
		regdiff__tempsnap_free(t);
		return REGDIFF_ENOMEM;
	}
	s->temp = t;
	regdiff__tempsnap_bytes(t, &s->fd, &s->mem, &s->size);
	return open_common(out, s);
}

int regdiff_snapshot_open_memory(regdiff_snapshot **out, const void *buf, size_t len)
{
	regdiff_error_clear();
	if (!out || (!buf && len))
		return regdiff__error(REGDIFF_EINVAL,
				      "regdiff_snapshot_open_memory: NULL argument");
	*out = NULL;
	regdiff_snapshot *s = new_snapshot("(memory)");
	if (!s)
		return REGDIFF_ENOMEM;
	s->mem = buf;
	s->size = len;
	return open_common(out, s);
}

void regdiff__snapshot_mark_undigested(regdiff_snapshot *s, int nameless)
{
	s->undigested = 1;
	s->nameless = nameless;
}

int regdiff__snapshot_has_names(const regdiff_snapshot *s)
{
	return !s->nameless;
}

int regdiff__snapshot_digests_comparable(const regdiff_snapshot *a, const regdiff_snapshot *b)
{
	return !a->undigested && !b->undigested &&
	       regdiff__subtree_alg(a->version) == regdiff__subtree_alg(b->version);
}

int regdiff_snapshot_verify(const regdiff_snapshot *s)
{
	regdiff_error_clear();
	if (!s)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_snapshot_verify: NULL argument");
	regdiff__reader *r;
	int rc = regdiff__reader_new(&r, s);
	if (rc)
		return rc;
	const regdiff__record *rec;
	uint64_t keys = 0, values = 0, bytes = 0;
	while ((rc = regdiff__reader_next(r, &rec)) == 0) {
		if (rec->tag == RDS_REC_KEY) {
			keys += !(rec->flags & RDS_KEY_SYNTHETIC);
		} else {
			values++;
			bytes += rec->size;
		}
	}
	regdiff__reader_free(r);
	if (rc != REGDIFF_ITEROVER)
		return rc;
	if (keys != s->keys || values != s->values || bytes != s->value_bytes)
		return corrupt(s, "counts do not match the records");
	return 0;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void regdiff_snapshot_free(regdiff_snapshot *s)
{
	if (!s)
		return;
	if (s->fd >= 0 && !s->temp)
		close(s->fd);
	regdiff__tempsnap_free(s->temp);
	free(s->name);
	free(s->producer);
	free(s->computer);
	free(s->user);
	free(s->system);
	free_strings(s->mounts, s->nsources);
	free_strings(s->kinds, s->nsources);
	free_strings(s->locations, s->nsources);
	for (size_t i = 0; i < s->nlogs; i++)
		regdiff__logs_clear(&s->logs[i]);
	free(s->logs);
	free_strings(s->user_sids, s->nusers);
	free_strings(s->user_names, s->nusers);
	free_strings(s->notes, s->nnotes);
	for (size_t i = 0; i < s->nimages; i++)
		regdiff__buf_free(&s->images[i]);
	free(s->images);
	regdiff__snap_excl_free(s->excl);
	free_strings(s->problem_paths, s->nkept);
	free_strings(s->problem_whats, s->nkept);
	free(s->blocks);
	free(s->late);
	free(s->key_index);
	free(s->tblocks);
	free(s->children);
	regdiff__buf_free(&s->footer);
	free(s);
}

const char *regdiff__snapshot_name(const regdiff_snapshot *s)
{
	return s->name;
}

int regdiff_snapshot_get_info(regdiff_snapshot_info *o, const regdiff_snapshot *s)
{
	regdiff_error_clear();
	if (!s || !o)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_snapshot_get_info: NULL argument");
	int rc = regdiff__check_version(o->version, REGDIFF_SNAPSHOT_INFO_VERSION,
					"regdiff_snapshot_info");
	if (rc)
		return rc;
	o->format_version = s->version;
	o->producer = s->producer;
	o->time = s->time;
	o->computer = s->computer ? s->computer : "";
	o->user = s->user ? s->user : "";
	o->keys = s->keys;
	o->values = s->values;
	o->value_bytes = s->value_bytes;
	o->problems = s->problems;
	o->sources = s->nsources;
	o->system = s->system ? s->system : "";
	o->elevated = s->elevated;
	return 0;
}

int regdiff_snapshot_get_source(regdiff_snapshot_source *out, const regdiff_snapshot *s, size_t i)
{
	regdiff_error_clear();
	if (!s || !out || i >= s->nsources)
		return regdiff__error(REGDIFF_EINVAL, "no source %zu", i);
	int rc = regdiff__check_version(out->version, REGDIFF_SNAPSHOT_SOURCE_VERSION,
					"regdiff_snapshot_source");
	if (rc)
		return rc;
	out->mount = s->mounts[i];
	out->kind_name = s->kinds[i];
	out->kind = REGDIFF_KIND_UNKNOWN;
	for (regdiff_kind k = REGDIFF_KIND_HIVE; k <= REGDIFF_KIND_INSTALL; k++)
		if (strcmp(s->kinds[i], regdiff_kind_name(k)) == 0)
			out->kind = k;
	out->location = s->locations[i];
	return 0;
}

int regdiff_snapshot_get_source_logs(regdiff_logs_info *out, const regdiff_snapshot *s, size_t i)
{
	regdiff_error_clear();
	if (!s || !out || i >= s->nsources)
		return regdiff__error(REGDIFF_EINVAL, "no source %zu", i);
	int rc =
	    regdiff__check_version(out->version, REGDIFF_LOGS_INFO_VERSION, "regdiff_logs_info");
	if (rc)
		return rc;
	static const regdiff__logs clean = {0};
	regdiff__logs_info(i < s->nlogs ? &s->logs[i] : &clean, out);
	return 0;
}

size_t regdiff_snapshot_problems_kept(const regdiff_snapshot *s)
{
	return s ? s->nkept : 0;
}

int regdiff_snapshot_get_problem(const char **path, const char **what, const regdiff_snapshot *s,
				 size_t i)
{
	regdiff_error_clear();
	if (path)
		*path = NULL;
	if (what)
		*what = NULL;
	if (!s || i >= s->nkept)
		return regdiff__error(REGDIFF_EINVAL, "no problem %zu", i);
	if (path)
		*path = s->problem_paths[i];
	if (what)
		*what = s->problem_whats[i];
	return 0;
}

char *regdiff_time_format(char buf[20], int64_t filetime)
{
	/* FILETIME counts 100 ns from 1601; days-from-civil avoids gmtime's
	 * range and time_t width differences between platforms. */
	int64_t secs = filetime / 10000000 - INT64_C(11644473600);
	if (filetime < 0)
		secs = -INT64_C(11644473600);
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	unsigned f[6] = {
	    (unsigned)(y % 10000),     (unsigned)m,	    (unsigned)d, (unsigned)(rem / 3600),
	    (unsigned)(rem / 60 % 60), (unsigned)(rem % 60)};
	static const char sep[] = "-- ::";
	char *p = buf;
	for (int i = 0; i < 6; i++) {
		unsigned width = i == 0 ? 4 : 2, v = f[i];
		for (unsigned k = width; k-- > 0; v /= 10)
			p[k] = (char)('0' + v % 10);
		p += width;
		if (i < 5)
			*p++ = sep[i];
	}
	*p = '\0';
	return buf;
}

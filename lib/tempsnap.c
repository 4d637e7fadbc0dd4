/* Temporary snapshots: memory first, then an anonymous temporary file. */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE, MAP_ANONYMOUS */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <io.h>
#else
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "osfile.h"
#include "snapshot_priv.h"
#include "source_internal.h"
#include "tempsnap.h"

/* Transparent huge pages come in this size on x86-64 and arm64. */
#define HUGE ((size_t)2 << 20)

struct regdiff__tempsnap {
	uint8_t *mem; /* the bytes, while they fit; NULL once spilled */
	size_t len, cap;
	void *map; /* the mapping mem lies in, and its size */
	size_t map_len;
	int file;	/* the anonymous temporary file */
	int fd;		/* file once spilled, -1 until then */
	uint64_t total; /* bytes written */
};

/* Memory for cap bytes, reserved at once: pages are touched only as they
 * are written, and each fresh page costs a fault (about 14 us on the
 * virtual machines regdiff is measured on). Aligned to a huge page and
 * advised so, most of it comes in 2 MiB pages: a handful of faults where
 * 4 KiB pages took thousands. Where that cannot be had (Windows, no
 * mmap), the snapshot goes to a file from the start, as it always did. */
static void reserve(regdiff__tempsnap *t, size_t cap)
{
#if defined(_WIN32) || !defined(MADV_HUGEPAGE)
	(void)t;
	(void)cap;
#else
	if (!cap)
		return;
	size_t len = cap + HUGE;
	void *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return;
	uint8_t *mem = (uint8_t *)(((uintptr_t)map + HUGE - 1) & ~(uintptr_t)(HUGE - 1));
	/* Refused where the kernel has no huge pages: there the file is
	 * used, as faulting in 4 KiB pages one by one (2,800 for a snapshot
	 * of SYSTEM_WIN_10_1709, 40 ms) would cost more than it saves. */
	if (madvise(mem, cap, MADV_HUGEPAGE) != 0) {
		munmap(map, len);
		return;
	}
	t->map = map;
	t->map_len = len;
	t->mem = mem;
	t->cap = cap;
#endif
}

/* Larger inputs go to the file from the start rather than spilling there
 * on the way: two sides spilling at once held both their memory and the
 * hives', and a compare of the 410 MB hive with itself peaked 19 MiB
 * higher. */
size_t regdiff__tempsnap_limit(regdiff_source *const *sources, size_t n)
{
#if defined(_WIN32) || !defined(MADV_HUGEPAGE)
	(void)sources;
	(void)n;
	return 0;
#else
	uint64_t total = 0;
	for (size_t i = 0; sources && i < n; i++) {
		struct stat st;
		const regdiff_source *src = sources[i];
		if (!src || src->ops->kind != REGDIFF_KIND_HIVE || src->image.len ||
		    stat(src->location, &st) != 0 || !S_ISREG(st.st_mode))
			return 0;
		total += (uint64_t)st.st_size;
	}
	return n && total <= REGDIFF__TEMPSNAP_MEM_LIMIT ? REGDIFF__TEMPSNAP_MEM_LIMIT : 0;
#endif
}

static void release(regdiff__tempsnap *t)
{
#if !defined(_WIN32) && defined(MADV_HUGEPAGE)
	if (t->map)
		munmap(t->map, t->map_len);
#endif
	t->map = NULL;
	t->mem = NULL;
	t->len = t->cap = 0;
}

int regdiff__tempsnap_new(regdiff__tempsnap **out, size_t mem_limit)
{
	*out = regdiff__calloc(1, sizeof **out);
	if (!*out)
		return REGDIFF_ENOMEM;
	(*out)->fd = -1;
	/* The file is made now, used or not, so that a $TMPDIR where none
	 * can be made is refused whatever the registry's size (an open and
	 * an unlink: 0.1 ms). */
	int rc = regdiff__os_anon_tempfile(&(*out)->file);
	if (rc) {
		free(*out);
		*out = NULL;
		return rc;
	}
	reserve(*out, mem_limit);
	return 0;
}

static int file_write(regdiff__tempsnap *t, const void *p, size_t n)
{
	int rc = regdiff__os_write_all(t->fd, p, n);
	return rc ? regdiff__error_prefix(rc, "temporary snapshot") : 0;
}

/* Moves what memory holds to a new file and frees the memory: past the
 * bound, memory must not grow with the registry. */
static int spill(regdiff__tempsnap *t)
{
	t->fd = t->file;
	int rc = file_write(t, t->mem, t->len);
	release(t);
	return rc;
}

int regdiff__tempsnap_write(void *ctx, const void *p, size_t n)
{
	regdiff__tempsnap *t = ctx;
	t->total += n;
	if (t->mem && n <= t->cap - t->len) {
		memcpy(t->mem + t->len, p, n);
		t->len += n;
		return 0;
	}
	int rc = t->fd < 0 ? spill(t) : 0;
	return rc ? rc : file_write(t, p, n);
}

size_t regdiff__tempsnap_in_memory(const regdiff__tempsnap *t)
{
	return t->len;
}

bool regdiff__tempsnap_spilled(const regdiff__tempsnap *t)
{
	return t->fd >= 0;
}

void regdiff__tempsnap_bytes(const regdiff__tempsnap *t, int *fd, const uint8_t **mem,
			     uint64_t *size)
{
	*fd = t->fd;
	*mem = t->mem;
	*size = t->total;
}

void regdiff__tempsnap_free(regdiff__tempsnap *t)
{
	if (!t)
		return;
	release(t);
	close(t->file);
	free(t);
}

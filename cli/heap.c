/* The tool's heap, made cheap to touch where pages are dear.
 *
 * A compare of snapshots touches a megabyte or two of memory, and the
 * first touch of each 4 KiB page costs a page fault: about 15 us on the
 * virtual machines regdiff is measured on, where 400 of them were half of
 * a compare in one subtree. One 2 MiB transparent huge page costs about
 * as much as 15 small ones. So, with glibc on Linux, the heap is grown by
 * 16 MiB at a time, the whole 2 MiB pieces of its first 16 MiB (which the
 * kernel may back with huge pages: MADV_HUGEPAGE) are where allocations
 * begin, and buffers up to 32 MiB come from the heap instead of mmap, so
 * they land there too and are reused when freed (glibc's own limits once
 * its threshold has grown; set, they are fixed from the start). A compare
 * of two snapshots of a 216,000-key hive touches about 8 MiB: 1,060 page
 * faults and 30 ms when the heap grew by 4 MiB with its first 2 MiB
 * advised, 105 and 15 ms now; the shot's peak RSS did not move (its
 * large buffers are libhivex's maps and its threads' own arenas), a
 * small compare's stays at 5 MiB. The library changes none of this:
 * a process's heap is its owner's to tune. Elsewhere, or under another
 * allocator (a sanitizer, valgrind), nothing is done. */
#ifdef __linux__
#define _GNU_SOURCE /* sbrk */
#endif
#include <stdint.h>
#include <stdlib.h>

#include "cli.h"

#if defined(__linux__) && defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define TOP_PAD (16 << 20)

/* The heap below the first huge page: allocated once, never touched. */
static void *volatile skipped; /* volatile: kept, though never read */

void cli_heap_init(void)
{
	if (!mallopt(M_MMAP_THRESHOLD, 32 << 20) || !mallopt(M_TRIM_THRESHOLD, 64 << 20) ||
	    !mallopt(M_TOP_PAD, TOP_PAD))
		return;
	/* More than the heap has left, so that it grows by TOP_PAD: past at
	 * least one whole huge page. */
	size_t size = 256 << 10;
	void *probe = malloc(size);
	uintptr_t end = (uintptr_t)sbrk(0);
	uintptr_t at = (uintptr_t)probe;
	free(probe);
	/* Above the heap's top, whose header malloc has written: a huge page
	 * is made only where no small page was touched yet. */
	uintptr_t first = (at + size + 64 + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t last = end & ~(HUGE_PAGE - 1);
	/* Only where malloc's heap is this brk heap. */
	if (!probe || end == (uintptr_t)-1 || at >= end || end - at > 2 * TOP_PAD || last <= first)
		return;
	if (madvise((void *)first, last - first, MADV_HUGEPAGE) != 0)
		return;
	/* The freed probe is the top of the heap: this block takes it up to
	 * the huge page, where the next allocation begins. */
	skipped = malloc(first - at);
}
#else
void cli_heap_init(void)
{
}
#endif

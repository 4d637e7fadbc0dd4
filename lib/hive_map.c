/* Finding libhivex's own mapping of our private copy of a hive, so that
 * the hive is mapped once: libhivex maps the file it opens, and a second
 * map of ours for names and data lists would count the hive twice in the
 * process's resident memory (each page is mapped, and counted, twice). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "hive_map.h"

const uint8_t *regdiff__hive_find_map(int fd, size_t size, const void *other)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return NULL;
	FILE *f = fopen("/proc/self/maps", "re");
	if (!f)
		return NULL;
	char line[512];
	const uint8_t *found = NULL;
	while (!found && fgets(line, sizeof line, f)) {
		uintmax_t start, end, offset, ino;
		unsigned maj, min;
		char perms[8];
		if (sscanf(line, "%jx-%jx %7s %jx %x:%x %ju", &start, &end, perms, &offset, &maj,
			   &min, &ino) != 7)
			continue;
		/* A readable map of the whole file from its start, not ours. */
		if (perms[0] == 'r' && offset == 0 && end - start >= size && ino == st.st_ino &&
		    maj == major(st.st_dev) && min == minor(st.st_dev) &&
		    (const void *)(uintptr_t)start != other)
			found = (const uint8_t *)(uintptr_t)start;
	}
	fclose(f);
	return found;
}

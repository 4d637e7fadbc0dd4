/* libhivex's mapping of a hive file (see hive_map.c). */
#ifndef REGDIFF_HIVE_MAP_H
#define REGDIFF_HIVE_MAP_H

#include <stddef.h>
#include <stdint.h>

/* The start of a readable mapping of the whole file open at fd (size
 * bytes from offset 0) other than other, or NULL if there is none (a
 * libhivex that reads the file into memory instead). The mapping belongs
 * to whoever made it: valid only until it is unmapped (hivex_close). */
const uint8_t *regdiff__hive_find_map(int fd, size_t size, const void *other);

#endif

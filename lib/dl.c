/* See lib/dl.h. */
#include <dlfcn.h>
#include <stdio.h>

#include "dl.h"

/* The linker defines it in every dynamically linked program and shared
 * library; only a fully static program leaves the weak reference 0, and
 * glibc's dlopen there would load a second C library beside the static
 * one. */
extern const char _DYNAMIC[] __attribute__((weak));

int regdiff__dl_open(void **h, const char *soname, char *why, size_t size)
{
	if (!_DYNAMIC) {
		snprintf(why, size,
			 "cannot load %s (a statically linked program loads no libraries)", soname);
		return -1;
	}
	*h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!*h) {
		const char *e = dlerror();
		snprintf(why, size, "cannot load %s (%s)", soname, e ? e : "unknown error");
		return -1;
	}
	return 0;
}

int regdiff__dl_sym(void **fn, void *h, const char *soname, const char *name, char *why,
		    size_t size)
{
	dlerror();
	*fn = dlsym(h, name);
	if (!*fn) {
		const char *e = dlerror();
		snprintf(why, size, "cannot load %s (%s)", soname, e ? e : "no symbol");
		return -1;
	}
	return 0;
}

/* dlopen and dlsym for the libraries loaded on first use rather than by
 * the dynamic loader at start-up (lib/image_dl.c, lib/html_dl.c), with
 * their failures said in one form: "cannot load SONAME (REASON)". */
#ifndef REGDIFF_DL_H
#define REGDIFF_DL_H

#include <stddef.h>

/* Opens soname for the life of the process (never closed: what it loads
 * may be used again, and libraries keep per-thread state that outlives
 * their handles). 0, or -1 with why. */
int regdiff__dl_open(void **h, const char *soname, char *why, size_t size);

/* *fn = the function name in h (opened from soname). 0, or -1 with why. */
int regdiff__dl_sym(void **fn, void *h, const char *soname, const char *name, char *why,
		    size_t size);

#endif

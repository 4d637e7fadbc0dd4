/* Loads libtsk (and libewf) on first use: see lib/image_dl.h for why. The
 * sonames are those of the libraries found at configure time
 * (lib/CMakeLists.txt reads them from the files), so that the version the
 * code was compiled against is the one loaded. */
#define REGDIFF__IMAGE_DL_LOADER
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "image_dl.h"
#include "internal.h"

regdiff__image_api regdiff__image_fn;

/* The linker defines it in every dynamically linked program and shared
 * library; only a fully static program leaves the weak reference 0, and
 * glibc's dlopen there would load a second C library beside the static
 * one. */
extern const char _DYNAMIC[] __attribute__((weak));

static int open_lib(void **h, const char *soname, char *why, size_t size)
{
	if (!_DYNAMIC) {
		snprintf(why, size,
			 "cannot load %s (a statically linked program loads no libraries)", soname);
		return -1;
	}
	/* Never closed: images may be opened again, and libtsk keeps
	 * per-thread state that outlives its handles. */
	*h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!*h) {
		const char *e = dlerror();
		snprintf(why, size, "cannot load %s (%s)", soname, e ? e : "unknown error");
		return -1;
	}
	return 0;
}

static int find(void *h, const char *soname, const char *name, void **fn, char *why, size_t size)
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

/* POSIX's way to store dlsym's object pointer as a function pointer. */
#define FIND(f)                                                                                    \
	if (find(h, soname, #f, (void **)&api->f, why, size))                                      \
		return -1;

static int load_tsk(regdiff__image_api *api, const char *soname, char *why, size_t size)
{
	void *h;
	if (open_lib(&h, soname, why, size))
		return -1;
	REGDIFF__TSK_FUNCS(FIND)
	return 0;
}

static int load_ewf(regdiff__image_api *api, const char *soname, char *why, size_t size)
{
	void *h;
	if (!soname)
		return 0;
	if (open_lib(&h, soname, why, size))
		return -1;
	REGDIFF__EWF_FUNCS(FIND)
	return 0;
}

/* Fills *api from tsk_soname and ewf_soname (NULL: none): 0, or -1 with
 * why ("cannot load LIB (REASON)"). The handles are kept for the life of
 * the process. */
static int open_all(regdiff__image_api *api, const char *tsk_soname, const char *ewf_soname,
		    char *why, size_t size)
{
	memset(api, 0, sizeof *api);
	if (load_tsk(api, tsk_soname, why, size) || load_ewf(api, ewf_soname, why, size)) {
		memset(api, 0, sizeof *api);
		return -1;
	}
	return 0;
}

#ifdef REGDIFF_HAVE_EWF
#define EWF_SONAME REGDIFF_EWF_SONAME
#else
#define EWF_SONAME NULL
#endif

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char failure[512];

static void load(void)
{
	loaded = open_all(&regdiff__image_fn, REGDIFF_TSK_SONAME, EWF_SONAME, failure,
			  sizeof failure) == 0;
}

int regdiff__image_load(const char *image)
{
	pthread_once(&once, load);
	if (loaded)
		return 0;
	return regdiff__error(REGDIFF_EUNSUPPORTED, "%s: disk images need The Sleuth Kit: %s",
			      image, failure);
}

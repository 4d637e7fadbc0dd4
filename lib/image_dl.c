/* Loads libtsk (and libewf) on first use: see lib/image_dl.h for why. The
 * sonames are those of the libraries found at configure time
 * (lib/CMakeLists.txt reads them from the files), so that the version the
 * code was compiled against is the one loaded. */
#define REGDIFF__IMAGE_DL_LOADER
#include <pthread.h>
#include <string.h>

#include "dl.h"
#include "image_dl.h"
#include "internal.h"

regdiff__image_api regdiff__image_fn;

/* POSIX's way to store dlsym's object pointer as a function pointer. */
#define FIND(f)                                                                                    \
	if (regdiff__dl_sym((void **)&api->f, h, soname, #f, why, size))                           \
		return -1;

static int load_tsk(regdiff__image_api *api, const char *soname, char *why, size_t size)
{
	void *h;
	if (regdiff__dl_open(&h, soname, why, size))
		return -1;
	REGDIFF__TSK_FUNCS(FIND)
	return 0;
}

static int load_ewf(regdiff__image_api *api, const char *soname, char *why, size_t size)
{
	void *h;
	if (!soname)
		return 0;
	if (regdiff__dl_open(&h, soname, why, size))
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

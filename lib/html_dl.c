/* Loads libxml2 when the first HTML report is made: see lib/html_dl.h for
 * why. The soname is that of the library found at configure time
 * (lib/CMakeLists.txt reads it from the file), so that the version the
 * code was compiled against is the one loaded. */
#define REGDIFF__HTML_DL_LOADER
#include "html_dl.h"
#include "internal.h"
#include "report_internal.h"

#ifdef _WIN32
/* Linked as before, and called directly: Debian's mingw has no libxml2
 * to build against today, so a LoadLibrary path could not be tested. */
int regdiff__html_load(const char *output)
{
	(void)output;
	return 0;
}
#else
#include <pthread.h>

#include "dl.h"

regdiff__html_api regdiff__html_fn;

/* POSIX's way to store dlsym's object pointer as a function pointer. */
#define FIND(f)                                                                                    \
	if (regdiff__dl_sym((void **)&api->f, h, REGDIFF_LIBXML2_SONAME, #f, why, size))           \
		return -1;

static int open_xml(regdiff__html_api *api, char *why, size_t size)
{
	void *h;
	if (regdiff__dl_open(&h, REGDIFF_LIBXML2_SONAME, why, size))
		return -1;
	REGDIFF__XML_FUNCS(FIND)
	return 0;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char failure[512];

/* libxml2 sets up its globals (their locks among them) on first use,
 * which is not safe when threads use it first at the same time: two HTML
 * reports begun at once raced there and lost a lock (test_html_threads,
 * under LeakSanitizer, failed 12 runs in 200). Its documentation asks a
 * threaded program to call xmlInitParser once before: here, under the
 * once. It does nothing when the application has called it already. */
static void load(void)
{
	loaded = open_xml(&regdiff__html_fn, failure, sizeof failure) == 0;
	if (loaded)
		regdiff__html_fn.xmlInitParser();
}

int regdiff__html_load(const char *output)
{
	pthread_once(&once, load);
	if (loaded)
		return 0;
	if (output)
		return regdiff__error(REGDIFF_EUNSUPPORTED, "%s: HTML reports need libxml2: %s",
				      output, failure);
	return regdiff__error(REGDIFF_EUNSUPPORTED, "HTML reports need libxml2: %s", failure);
}
#endif

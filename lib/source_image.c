/* Sources read out of disk images: "IMAGE" (its one Windows installation),
 * "IMAGE@N" (the installation on partition N) and "IMAGE@N:/path" (one
 * hive). The registry files are copied through libtsk into a private
 * temporary folder, opened from there (which reads each hive whole into
 * memory) and the folder is removed at once: nothing stays on disk, and
 * the image is only read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image_internal.h"
#include "source_internal.h"
#if __has_include("install.h")
#include "install.h"
#define HAVE_INSTALL 1
#endif

typedef struct spec {
	char *image;	  /* the image file */
	unsigned part;	  /* N, 0 if not given */
	const char *path; /* in the image, NULL if not given (points into the spec) */
} spec;

static int is_regular(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Splits s into image, @N and :/path. 0 when s names no image: a file
 * that is not one (a hive), or no file at all. */
static int parse(const char *s, spec *sp, int *err)
{
	memset(sp, 0, sizeof *sp);
	*err = 0;
	if (is_regular(s)) {
		if (!regdiff__image_detect(s))
			return 0;
		if (!(sp->image = regdiff__strdup(s)))
			*err = REGDIFF_ENOMEM;
		return 1;
	}
	/* The last '@' whose left part is a file: image names may hold '@'. */
	for (size_t k = strlen(s); k-- > 0;) {
		if (s[k] != '@')
			continue;
		const char *at = s + k, *p = at + 1;
		unsigned long n = 0;
		while (*p >= '0' && *p <= '9' && n < 100000)
			n = n * 10 + (unsigned long)(*p++ - '0');
		if (p == at + 1 || !(*p == '\0' || (p[0] == ':' && p[1] == '/')))
			continue;
		char *image = regdiff__malloc((size_t)(at - s) + 1);
		if (!image) {
			*err = REGDIFF_ENOMEM;
			return 1;
		}
		memcpy(image, s, (size_t)(at - s));
		image[at - s] = '\0';
		if (!is_regular(image)) {
			free(image);
			continue;
		}
		sp->image = image;
		sp->part = n ? (unsigned)n : 0;
		sp->path = *p ? p + 1 : NULL;
		if (!n)
			*err = regdiff__error(
			    REGDIFF_EINVAL,
			    "%s: partitions are numbered from 1 (see regdiff info %s)", s, image);
		else if (!regdiff__image_detect(image))
			*err = regdiff__error(REGDIFF_EFOREIGN,
					      "%s: not a disk image (no partition table or file "
					      "system libtsk knows)",
					      image);
		return 1;
	}
	return 0;
}

/* Messages of the hive opener name the temporary copy: name the image's
 * file instead. */
static int rename_in_error(int rc, const char *tmp, const char *origin)
{
	const char *msg = regdiff_error_message();
	const char *hit = strstr(msg, tmp);
	if (!hit || rc == REGDIFF_ENOMEM)
		return rc;
	char copy[1024];
	snprintf(copy, sizeof copy, "%.*s%s%s", (int)(hit - msg), msg, origin, hit + strlen(tmp));
	return regdiff__error(rc, "%s", copy);
}

/* The partition to read: the one asked for, else the one holding
 * Windows. */
static int choose(const regdiff_image *im, const spec *sp, const regdiff__image_part **out)
{
	*out = NULL;
	if (sp->part) {
		if (sp->part > im->nparts)
			return regdiff__error(REGDIFF_ENOTFOUND,
					      "%s@%u: no such partition (the image has %zu)",
					      im->path, sp->part, im->nparts);
		const regdiff__image_part *p = &im->parts[sp->part - 1];
		if (p->problem[0])
			return regdiff__error(REGDIFF_EHIVE, "%s@%u: %s", im->path, p->number,
					      p->problem);
		if (!p->fs)
			return regdiff__error(REGDIFF_EHIVE,
					      "%s@%u: no file system libtsk can read", im->path,
					      p->number);
		if (!sp->path && !p->windows)
			return regdiff__error(REGDIFF_ENOTFOUND,
					      "%s@%u: no Windows installation (no "
					      "Windows/System32/config folder on this %s volume)",
					      im->path, p->number, p->fs_name);
		*out = p;
		return 0;
	}
	regdiff__buf list = {0}, searched = {0};
	size_t found = 0;
	int rc = 0;
	for (size_t i = 0; !rc && i < im->nparts; i++) {
		const regdiff__image_part *p = &im->parts[i];
		if (p->windows) {
			rc = regdiff__buf_printf(&list, "%s %s@%u", found ? "," : "", im->path,
						 p->number);
			if (!found++)
				*out = p;
		}
		/* What was searched, then what could not be. */
		if (!rc && !p->problem[0])
			rc = regdiff__buf_printf(&searched, "%s%u (%s)",
						 searched.len ? ", "
							      : "no Windows/System32/config "
								"folder on partition ",
						 p->number, p->fs ? p->fs_name : "no file system");
	}
	for (size_t i = 0; !rc && i < im->nparts; i++)
		if (im->parts[i].problem[0])
			rc = regdiff__buf_printf(&searched, "%spartition %u: %s",
						 searched.len ? "; " : "", im->parts[i].number,
						 im->parts[i].problem);
	if (!rc)
		rc = regdiff__buf_putc(&list, 0);
	if (!rc)
		rc = regdiff__buf_putc(&searched, 0);
	if (!rc && found > 1)
		rc = regdiff__error(REGDIFF_EINVAL,
				    "%s: %zu Windows installations, name one as IMAGE@N:%s",
				    im->path, found, (char *)list.data);
	else if (!rc && !found)
		rc = regdiff__error(REGDIFF_ENOTFOUND, "%s: no Windows installation found (%s)",
				    im->path, (char *)searched.data);
	regdiff__buf_free(&list);
	regdiff__buf_free(&searched);
	if (rc)
		*out = NULL;
	return rc;
}

static int open_one_hive(regdiff_source **out, const regdiff__image_part *p, regdiff__tempdir *t,
			 const char *path, const char *origin, const regdiff_source_options *opts)
{
	char *actual = NULL, *file = NULL, *location = NULL;
	int rc = regdiff__image_extract_hive(p->fs, t, path, origin, &actual);
	size_t nf = rc ? 0 : strlen(regdiff__tempdir_path(t)) + strlen(actual) + 1;
	size_t nl = rc ? 0 : strlen(origin) + strlen(actual) + 1;
	if (!rc && (!(file = regdiff__malloc(nf)) || !(location = regdiff__malloc(nl))))
		rc = REGDIFF_ENOMEM;
	if (!rc) {
		snprintf(file, nf, "%s%s", regdiff__tempdir_path(t), actual);
		snprintf(location, nl, "%s%s", origin, actual);
		rc = regdiff_source_open_hive_ext(out, file, NULL, opts);
		if (rc)
			rc = rename_in_error(rc, regdiff__tempdir_path(t), origin);
	}
	if (!rc) {
		/* The source says where in the image its hive was. */
		free((*out)->location);
		(*out)->location = location;
		location = NULL;
	}
	free(actual);
	free(file);
	free(location);
	return rc;
}

static int open_install(regdiff_source **out, const regdiff__image_part *p, regdiff__tempdir *t,
			const char *origin, int logs)
{
	int rc = regdiff__image_extract_install(p->fs, t, origin);
#ifdef HAVE_INSTALL
	if (!rc) {
		rc = regdiff__source_open_install(out, regdiff__tempdir_path(t), origin, logs);
		if (rc)
			rc = rename_in_error(rc, regdiff__tempdir_path(t), origin);
	}
#else
	(void)out;
	(void)logs;
	if (!rc)
		rc =
		    regdiff__error(REGDIFF_EUNSUPPORTED,
				   "%.*s: this build reads single hives of an image only: name one "
				   "as %s/Windows/System32/config/SYSTEM",
				   (int)strlen(origin) - 1, origin, origin);
#endif
	return rc;
}

int regdiff__source_open_image(regdiff_source **out, const char *s,
			       const regdiff_source_options *opts, int *handled)
{
	*out = NULL;
	spec sp;
	int rc;
	*handled = parse(s, &sp, &rc);
	if (!*handled || rc) {
		free(sp.image);
		return rc;
	}
	regdiff_image *im = NULL;
	const regdiff__image_part *p = NULL;
	regdiff__tempdir *t = NULL;
	rc = regdiff_image_open(&im, sp.image);
	if (!rc)
		rc = choose(im, &sp, &p);
	if (!rc)
		rc = regdiff__tempdir_new(&t);
	size_t norigin = strlen(sp.image) + 16;
	char *origin = rc ? NULL : regdiff__malloc(norigin);
	if (!rc && !origin)
		rc = REGDIFF_ENOMEM;
	if (!rc) {
		snprintf(origin, norigin, "%s@%u:", sp.image, p->number);
		rc = sp.path
			 ? open_one_hive(out, p, t, sp.path, origin, opts)
			 : open_install(out, p, t, origin, opts ? opts->logs : REGDIFF_LOGS_AUTO);
	}
	if (!rc && (rc = regdiff__image_entry_make(&(*out)->image, im->path, im->format, im->size,
						   p->number, im->md5, im->sha1))) {
		regdiff_source_free(*out);
		*out = NULL;
	}
	/* Every hive is in memory now: the copies go at once. */
	regdiff__tempdir_free(t);
	regdiff_image_free(im);
	free(origin);
	free(sp.image);
	return rc;
}

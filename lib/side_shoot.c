/* Opening and shooting both sides of a comparison at once: a direct
 * compare of two hives is two private copies, two libhivex opens and two
 * walks that share nothing, so on two threads it takes about the time of
 * the longer side. Windows builds do one side after the other, as they
 * compress blocks (deflater.c): no winpthreads DLL to ship for it. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#endif

#include "hash.h"
#include "source_internal.h"

typedef struct open_job {
	regdiff_side **out;
	const char *arg;
	const regdiff_source_options *opts;
	int rc;
	char message[1024]; /* the error, carried over from the job's thread */
} open_job;

static void *run_open(void *arg)
{
	open_job *j = arg;
	j->rc = regdiff_side_open(j->out, j->arg, j->opts);
	if (j->rc)
		snprintf(j->message, sizeof j->message, "%s", regdiff_error_message());
	return NULL;
}

#ifndef _WIN32
/* Whether arg is a file that begins as a hive does. Opening one reads the
 * whole file into a private copy and libhivex's handle, state of its own
 * (15 ms for SYSTEM_WIN_10_1709), so two open side by side. Anything else
 * is opened on the caller's thread: a snapshot opens in a millisecond,
 * less than a thread costs, and a disk image's libraries are not known
 * to keep their state per handle; a folder of hives, MOUNT=FILE and a
 * live path are opened one after the other too. */
static int is_hive_file(const char *arg)
{
	int fd = open(arg, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char magic[4];
	int hive = pread(fd, magic, sizeof magic, 0) == (ssize_t)sizeof magic &&
		   memcmp(magic, "regf", 4) == 0;
	close(fd);
	return hive;
}
#endif

int regdiff_sides_open(regdiff_side **before, regdiff_side **after, const char *before_arg,
		       const char *after_arg, const regdiff_source_options *opts)
{
	regdiff_error_clear();
	if (!before || !after || !before_arg || !after_arg)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_sides_open: NULL argument");
	*before = *after = NULL;
	open_job jobs[2] = {{.out = before, .arg = before_arg, .opts = opts},
			    {.out = after, .arg = after_arg, .opts = opts}};
	int threaded = 0;
#ifndef _WIN32
	pthread_t thread;
	if (is_hive_file(before_arg) && is_hive_file(after_arg))
		threaded = pthread_create(&thread, NULL, run_open, &jobs[1]) == 0;
#endif
	run_open(&jobs[0]);
#ifndef _WIN32
	if (threaded)
		pthread_join(thread, NULL);
#endif
	/* One after the other, the after side is not opened once the before
	 * side failed. */
	if (!threaded && !jobs[0].rc)
		run_open(&jobs[1]);
	if (jobs[0].rc || jobs[1].rc) {
		regdiff_side_free(*before);
		regdiff_side_free(*after);
		*before = *after = NULL;
	}
	for (int i = 0; i < 2; i++)
		if (jobs[i].rc && jobs[i].message[0])
			return regdiff__error(jobs[i].rc, "%s", jobs[i].message);
		else if (jobs[i].rc)
			return regdiff__error(jobs[i].rc, "%s: %s", jobs[i].arg,
					      regdiff_strerror(jobs[i].rc));
	return 0;
}

/* The two shots' progress added up, for the caller's one callback. */
typedef struct shared_progress {
	const regdiff_shot_options *opts;
	uint64_t keys[2], values[2];
	int stop; /* the callback asked to stop: both shots stop */
#ifndef _WIN32
	pthread_mutex_t lock;
#endif
} shared_progress;

typedef struct shot_job {
	regdiff_side *side;
	shared_progress *shared;
	int idx;
	regdiff_shot_options opts;
	int rc;
	char message[1024]; /* the error, carried over from the job's thread */
} shot_job;

static int progress_sum(void *ctx, uint64_t keys, uint64_t values)
{
	shot_job *j = ctx;
	shared_progress *s = j->shared;
#ifndef _WIN32
	pthread_mutex_lock(&s->lock);
#endif
	s->keys[j->idx] = keys;
	s->values[j->idx] = values;
	if (!s->stop && s->opts->progress(s->opts->progress_ctx, s->keys[0] + s->keys[1],
					  s->values[0] + s->values[1]))
		s->stop = 1;
	int stop = s->stop;
#ifndef _WIN32
	pthread_mutex_unlock(&s->lock);
#endif
	return stop;
}

static void *run_job(void *arg)
{
	shot_job *j = arg;
	j->rc = regdiff_side_shoot(j->side, &j->opts);
	const regdiff_source *src = regdiff_side_source(j->side);
	if (j->rc && *regdiff_error_message())
		snprintf(j->message, sizeof j->message, "%s", regdiff_error_message());
	else if (j->rc)
		snprintf(j->message, sizeof j->message, "%s: %s", src ? src->location : "?",
			 regdiff_strerror(j->rc));
	return NULL;
}

#ifndef _WIN32
/* Sources safe to walk beside another: offline hives and folders of
 * them. Disk images are read one at a time (their libraries' state is
 * not known to be per handle), live keys on the caller's thread. */
static int can_thread(const regdiff_side *s)
{
	const regdiff_source *src = regdiff_side_source(s);
	if (!src || regdiff_side_snapshot(s) || src->image.len)
		return 0;
	return src->ops->kind == REGDIFF_KIND_HIVE || src->ops->kind == REGDIFF_KIND_INSTALL;
}
#endif

int regdiff_sides_shoot(regdiff_side *before, regdiff_side *after, const regdiff_shot_options *opts)
{
	regdiff_error_clear();
	if (!before || !after)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_sides_shoot: NULL argument");
	if (opts && (opts->version < 1 || opts->version > REGDIFF_SHOT_OPTIONS_VERSION))
		return regdiff__error(REGDIFF_EINVAL, "shot options of unknown version %u",
				      opts->version);
	/* Only the fields of the caller's version: an older caller's struct
	 * is shorter (shot.c reads it field by field the same way). */
	regdiff_shot_options base = REGDIFF_SHOT_OPTIONS_INIT;
	if (opts) {
		memcpy(&base, opts,
		       opts->version >= 3   ? sizeof base
		       : opts->version == 2 ? offsetof(regdiff_shot_options, exclude)
					    : offsetof(regdiff_shot_options, flags));
	}
	shared_progress shared = {.opts = &base};
	shot_job jobs[2] = {{.side = before, .shared = &shared, .idx = 0, .opts = base},
			    {.side = after, .shared = &shared, .idx = 1, .opts = base}};
	for (int i = 0; i < 2 && base.progress; i++) {
		jobs[i].opts.progress = progress_sum;
		jobs[i].opts.progress_ctx = &jobs[i];
	}
	int threaded = 0;
#ifndef _WIN32
	pthread_t thread;
	/* libgcrypt is set up here, once: two threads doing it at once
	 * would race. */
	if (can_thread(before) && can_thread(after) && regdiff__hash_setup() == 0 &&
	    pthread_mutex_init(&shared.lock, NULL) == 0) {
		threaded = pthread_create(&thread, NULL, run_job, &jobs[1]) == 0;
		if (!threaded)
			pthread_mutex_destroy(&shared.lock);
	}
#endif
	run_job(&jobs[0]);
#ifndef _WIN32
	if (threaded) {
		pthread_join(thread, NULL);
		pthread_mutex_destroy(&shared.lock);
	}
#endif
	/* Sequential, the after side is not shot once the before side
	 * failed. */
	if (!threaded && !jobs[0].rc)
		run_job(&jobs[1]);
	for (int i = 0; i < 2; i++)
		if (jobs[i].rc)
			return regdiff__error(jobs[i].rc, "%s", jobs[i].message);
	return 0;
}

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

/* How a job on either side ended: its message is carried over from the
 * job's thread (messages are per thread), and always says something. */
typedef struct job_status {
	int rc;
	char message[1024];
} job_status;

static void set_status(job_status *st, int rc, const char *what)
{
	st->rc = rc;
	if (rc && *regdiff_error_message())
		snprintf(st->message, sizeof st->message, "%s", regdiff_error_message());
	else if (rc)
		snprintf(st->message, sizeof st->message, "%s: %s", what, regdiff_strerror(rc));
}

/* Runs fn on the before job a here and on the after job b: on a second
 * thread at the same time when together is set and one can be had (POSIX
 * builds), else after a, and only if a succeeded. The error is a's if it
 * failed, else b's. */
static int run_pair(void *(*fn)(void *), void *a, const job_status *sa, void *b,
		    const job_status *sb, int together)
{
	int threaded = 0;
#ifndef _WIN32
	pthread_t thread;
	if (together)
		threaded = pthread_create(&thread, NULL, fn, b) == 0;
#else
	(void)together;
#endif
	fn(a);
#ifndef _WIN32
	if (threaded)
		pthread_join(thread, NULL);
#endif
	if (!threaded && !sa->rc)
		fn(b);
	const job_status *failed = sa->rc ? sa : sb->rc ? sb : NULL;
	return failed ? regdiff__error(failed->rc, "%s", failed->message) : 0;
}

typedef struct open_job {
	regdiff_side **out;
	const char *arg;
	const regdiff_source_options *opts;
	job_status st;
} open_job;

static void *run_open(void *arg)
{
	open_job *j = arg;
	set_status(&j->st, regdiff_side_open(j->out, j->arg, j->opts), j->arg);
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
	int together = 0;
#ifndef _WIN32
	together = is_hive_file(before_arg) && is_hive_file(after_arg);
#endif
	int rc = run_pair(run_open, &jobs[0], &jobs[0].st, &jobs[1], &jobs[1].st, together);
	if (rc) {
		regdiff_side_free(*before);
		regdiff_side_free(*after);
		*before = *after = NULL;
	}
	return rc;
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
	job_status st;
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
	int rc = regdiff_side_shoot(j->side, &j->opts);
	const regdiff_source *src = regdiff_side_source(j->side);
	set_status(&j->st, rc, src ? src->location : "?");
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
	/* The lock is set up whether the shots run at once or not: the
	 * progress callback takes it either way. */
	shared_progress shared = {
	    .opts = &base,
#ifndef _WIN32
	    .lock = PTHREAD_MUTEX_INITIALIZER,
#endif
	};
	shot_job jobs[2] = {{.side = before, .shared = &shared, .idx = 0, .opts = base},
			    {.side = after, .shared = &shared, .idx = 1, .opts = base}};
	for (int i = 0; i < 2 && base.progress; i++) {
		jobs[i].opts.progress = progress_sum;
		jobs[i].opts.progress_ctx = &jobs[i];
	}
	int together = 0;
#ifndef _WIN32
	/* libgcrypt is set up here, once: two threads doing it at once
	 * would race. */
	together = can_thread(before) && can_thread(after) && regdiff__hash_setup() == 0;
#endif
	int rc = run_pair(run_job, &jobs[0], &jobs[0].st, &jobs[1], &jobs[1].st, together);
#ifndef _WIN32
	pthread_mutex_destroy(&shared.lock);
#endif
	return rc;
}

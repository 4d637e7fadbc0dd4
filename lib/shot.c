/* Taking snapshots: sources sorted by mount, parents of mounts written as
 * synthetic keys, each source walked into the writer, metadata last. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _WIN32
#include <io.h>
#include <windows.h>
#else
#include <unistd.h>
#endif

#include "name_internal.h"
#include "osfile.h"
#include "snapshot_format.h"
#include "source_internal.h"

typedef struct mounted {
	regdiff_source *src;
	size_t n;	  /* components */
	uint16_t **units; /* each component in UTF-16 */
	size_t *len;
} mounted;

static void mounted_free(mounted *m, size_t count)
{
	for (size_t i = 0; m && i < count; i++) {
		for (size_t j = 0; j < m[i].n; j++)
			free(m[i].units[j]);
		free(m[i].units);
		free(m[i].len);
	}
	free(m);
}

static int component_cmp(const mounted *a, size_t i, const mounted *b, size_t j)
{
	return regdiff_name_compare((regdiff_name){a->units[i], a->len[i]},
				    (regdiff_name){b->units[j], b->len[j]});
}

static int cmp_mounted(const void *pa, const void *pb)
{
	const mounted *a = pa, *b = pb;
	for (size_t i = 0; i < a->n && i < b->n; i++) {
		int c = component_cmp(a, i, b, i);
		if (c)
			return c;
	}
	return a->n < b->n ? -1 : a->n > b->n;
}

/* Leading components a and b share. */
static size_t common_prefix(const mounted *a, const mounted *b)
{
	size_t k = 0;
	while (k < a->n && k < b->n && component_cmp(a, k, b, k) == 0)
		k++;
	return k;
}

static int prepare(regdiff_source *const *sources, size_t count, mounted **out)
{
	mounted *m = regdiff__calloc(count, sizeof *m);
	if (!m)
		return REGDIFF_ENOMEM;
	int rc = 0;
	for (size_t i = 0; i < count && !rc; i++) {
		char **parts;
		size_t n;
		m[i].src = sources[i];
		if ((rc = regdiff__path_split(sources[i]->mount, &parts, &n)))
			break;
		m[i].units = regdiff__calloc(n, sizeof *m[i].units);
		m[i].len = regdiff__calloc(n, sizeof *m[i].len);
		if (!m[i].units || !m[i].len)
			rc = REGDIFF_ENOMEM;
		else
			m[i].n = n;
		for (size_t j = 0; j < n && !rc; j++)
			rc = regdiff_name_from_utf8(&m[i].units[j], &m[i].len[j], parts[j],
						    strlen(parts[j]));
		regdiff__path_parts_free(parts, n);
	}
	if (!rc && count > 1)
		qsort(m, count, sizeof *m, cmp_mounted);
	for (size_t i = 1; i < count && !rc; i++) {
		size_t k = common_prefix(&m[i - 1], &m[i]);
		if (k == m[i - 1].n)
			rc = regdiff__error(REGDIFF_EINVAL, "mounts overlap: %s and %s",
					    m[i - 1].src->mount, m[i].src->mount);
	}
	if (rc) {
		mounted_free(m, count);
		return rc;
	}
	*out = m;
	return 0;
}

/* Distinct components at depth d among the mounts that share mount i's
 * first d components: the subkeys of a synthetic key. */
static uint32_t synthetic_children(const mounted *m, size_t count, size_t i, size_t d)
{
	uint32_t n = 0;
	for (size_t j = i; j < count; j++) {
		if (common_prefix(&m[i], &m[j]) < d)
			break;
		if (j == i || common_prefix(&m[j - 1], &m[j]) <= d)
			n++;
	}
	return n;
}

static int64_t now_filetime(void)
{
#ifdef _WIN32
	/* msvcrt has no timespec_get; Windows keeps FILETIMEs anyway. */
	FILETIME ft;
	GetSystemTimeAsFileTime(&ft);
	return (int64_t)(((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime);
#else
	struct timespec ts;
	if (timespec_get(&ts, TIME_UTC) != TIME_UTC)
		return 0;
	return ((int64_t)ts.tv_sec + INT64_C(11644473600)) * 10000000 + ts.tv_nsec / 100;
#endif
}

static int write_all_sources(regdiff__writer *w, mounted *m, size_t count,
			     const regdiff_shot_options *o)
{
	regdiff__walk_progress progress = {o ? o->progress : NULL, o ? o->progress_ctx : NULL, 0,
					   0};
	size_t open = 0; /* synthetic keys open: the first `open` components of m[i-1] */
	int rc = 0;
	for (size_t i = 0; i < count && !rc; i++) {
		size_t keep = i ? common_prefix(&m[i - 1], &m[i]) : 0;
		for (; open > keep && !rc; open--)
			rc = regdiff__writer_key_end(w);
		for (; open < m[i].n - 1 && !rc; open++)
			rc = regdiff__writer_key_begin(w, m[i].units[open], m[i].len[open], 0, 0,
						       synthetic_children(m, count, i, open + 1),
						       RDS_KEY_SYNTHETIC);
		if (!rc)
			rc = regdiff__walk(w, m[i].src, m[i].units[m[i].n - 1],
					   m[i].len[m[i].n - 1], (unsigned)(m[i].n - 1), &progress);
	}
	for (; open > 0 && !rc; open--)
		rc = regdiff__writer_key_end(w);
	if (!rc && progress.fn && progress.fn(progress.ctx, progress.keys, progress.values))
		rc = regdiff__error(REGDIFF_ECANCELED, "canceled");
	return rc;
}

/* Computer and user: given, or what the sources know (a user only when
 * the sources that name one all name the same). */
static int gather_meta(mounted *m, size_t count, const regdiff_shot_options *o, char **computer,
		       char **user)
{
	int users = 0;
	for (size_t i = 0; i < count; i++) {
		const regdiff__source_ops *ops = m[i].src->ops;
		char *c = NULL, *u = NULL;
		if (ops->meta) {
			int rc = ops->meta(m[i].src->impl, &c, &u);
			if (rc)
				return rc;
		}
		if (c && !*computer)
			*computer = c;
		else
			free(c);
		/* Live sources all name the account the shot runs as: one
		 * user, however many sources say so. */
		if (u && *user && strcmp(u, *user) == 0) {
			free(u);
		} else if (u) {
			users++;
			free(*user);
			*user = users == 1 ? u : NULL;
			if (users > 1)
				free(u);
		}
	}
	if (o && o->computer) {
		free(*computer);
		if (!(*computer = regdiff__strdup(o->computer)))
			return REGDIFF_ENOMEM;
	}
	if (o && o->user) {
		free(*user);
		if (!(*user = regdiff__strdup(o->user)))
			return REGDIFF_ENOMEM;
	}
	return 0;
}

#ifdef _WIN32
static int has_live(const mounted *m, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (m[i].src->ops->kind == REGDIFF_KIND_LIVE)
			return 1;
	return 0;
}
#endif

static int shoot(regdiff_shot_stats *stats, regdiff_write_fn sink, void *ctx, const char *name,
		 regdiff_source *const *sources, size_t count, const regdiff_shot_options *o)
{
	if (!sources || count == 0)
		return regdiff__error(REGDIFF_EINVAL, "a snapshot needs at least one source");
	if (o && o->version != REGDIFF_SHOT_OPTIONS_VERSION)
		return regdiff__error(REGDIFF_EINVAL, "shot options of unknown version %u",
				      o->version);
	mounted *m;
	int rc = prepare(sources, count, &m);
	if (rc)
		return rc;
	int64_t started = now_filetime();
	regdiff__writer *w = NULL;
	char *computer = NULL, *user = NULL;
	const char **mounts = regdiff__calloc(count, sizeof *mounts);
	const char **kinds = regdiff__calloc(count, sizeof *kinds);
	const char **locations = regdiff__calloc(count, sizeof *locations);
	const regdiff__logs **logs = regdiff__calloc(count, sizeof *logs);
	if (!mounts || !kinds || !locations || !logs)
		rc = REGDIFF_ENOMEM;
	if (!rc)
		rc = regdiff__writer_new(&w, sink, ctx, name, o ? o->compression_level : 0);
	if (!rc)
		rc = write_all_sources(w, m, count, o);
	if (!rc)
		rc = gather_meta(m, count, o, &computer, &user);
	if (!rc) {
		for (size_t i = 0; i < count; i++) {
			mounts[i] = m[i].src->mount;
			kinds[i] = regdiff_kind_name(m[i].src->ops->kind);
			locations[i] = m[i].src->location;
			logs[i] = &m[i].src->logs;
		}
		char producer[64];
		const char *system = NULL;
		int elevated = -1;
#ifdef _WIN32
		snprintf(producer, sizeof producer, "regdiff %s (windows)", REGDIFF_VERSION_STRING);
		/* Only a live shot reads this system's registry: hive files come
		 * from elsewhere. */
		char host[128];
		if (has_live(m, count) && regdiff__win32_host(host, sizeof host, &elevated) == 0)
			system = host;
#else
		snprintf(producer, sizeof producer, "regdiff %s (linux)", REGDIFF_VERSION_STRING);
#endif
		regdiff__meta meta = {producer, started, computer, user,      system, elevated,
				      count,	mounts,	 kinds,	   locations, logs};
		rc = regdiff__writer_finish(w, &meta);
	}
	if (!rc && stats)
		regdiff__writer_stats(w, stats);
	regdiff__writer_free(w);
	free(computer);
	free(user);
	free(mounts);
	free(kinds);
	free(locations);
	free(logs);
	mounted_free(m, count);
	return rc;
}

int regdiff_shot_to_file(regdiff_shot_stats *stats, const char *path,
			 regdiff_source *const *sources, size_t n, const regdiff_shot_options *opts)
{
	regdiff_error_clear();
	if (!path)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_shot_to_file: NULL path");
	int rc = stats ? regdiff__check_version(stats->version, REGDIFF_SHOT_STATS_VERSION,
						"regdiff_shot_stats")
		       : 0;
	if (rc)
		return rc;
	regdiff__outfile *f;
	rc = regdiff__outfile_open(&f, path);
	if (rc)
		return rc;
	rc = shoot(stats, regdiff__outfile_write, f, path, sources, n, opts);
	if (rc) {
		regdiff__outfile_abort(f);
		return rc;
	}
	return regdiff__outfile_commit(f);
}

static int buf_sink(void *ctx, const void *p, size_t n)
{
	return regdiff__buf_append(ctx, p, n);
}

int regdiff_shot_to_memory(void **buf, size_t *len, regdiff_source *const *sources, size_t n,
			   const regdiff_shot_options *opts)
{
	regdiff_error_clear();
	if (!buf || !len)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_shot_to_memory: NULL argument");
	*buf = NULL;
	*len = 0;
	regdiff__buf b = {0};
	int rc = shoot(NULL, buf_sink, &b, "(memory)", sources, n, opts);
	if (rc) {
		regdiff__buf_free(&b);
		return rc;
	}
	*buf = b.data;
	*len = b.len;
	return 0;
}

static int fd_sink(void *ctx, const void *p, size_t n)
{
	int rc = regdiff__os_write_all(*(int *)ctx, p, n);
	return rc ? regdiff__error_prefix(rc, "temporary snapshot") : 0;
}

int regdiff__snapshot_open_fd(regdiff_snapshot **out, int fd, const char *name);

int regdiff_shot_take(regdiff_snapshot **out, regdiff_source *const *sources, size_t n,
		      const regdiff_shot_options *opts)
{
	regdiff_error_clear();
	if (!out)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_shot_take: NULL argument");
	*out = NULL;
	int fd;
	int rc = regdiff__os_anon_tempfile(&fd);
	if (rc)
		return rc;
	rc = shoot(NULL, fd_sink, &fd, "temporary snapshot", sources, n, opts);
	if (rc) {
		close(fd);
		return rc;
	}
	/* Name it after its sources for messages. */
	char name[512];
	snprintf(name, sizeof name, "snapshot of %s", n == 1 ? sources[0]->location : "sources");
	return regdiff__snapshot_open_fd(out, fd, name);
}

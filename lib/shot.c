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

#include "exclusion.h"
#include "filter_internal.h"
#include "name_internal.h"
#include "osfile.h"
#include "snapshot_format.h"
#include "install.h"
#include "tempsnap.h"
#include "writer_queue.h"

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

/* Whether o sets flag (the flags came with options version 2). */
static bool shot_flag(const regdiff_shot_options *o, unsigned flag)
{
	return o && o->version >= 2 && (o->flags & flag);
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

static int write_all_sources(regdiff__wq *w, mounted *m, size_t count,
			     const regdiff_shot_options *o, regdiff__exclusions *excl)
{
	regdiff__walk_progress progress = {o ? o->progress : NULL, o ? o->progress_ctx : NULL, 0,
					   0};
	size_t open = 0; /* synthetic keys open: the first `open` components of m[i-1] */
	int rc = 0;
	for (size_t i = 0; i < count && !rc; i++) {
		size_t keep = i ? common_prefix(&m[i - 1], &m[i]) : 0;
		for (; open > keep && !rc; open--)
			rc = regdiff__wq_key_end(w);
		for (; open < m[i].n - 1 && !rc; open++)
			rc = regdiff__wq_key_begin(w, m[i].units[open], m[i].len[open], 0, 0,
						   synthetic_children(m, count, i, open + 1),
						   RDS_KEY_SYNTHETIC);
		if (!rc)
			rc =
			    regdiff__walk(w, m[i].src, m[i].units[m[i].n - 1], m[i].len[m[i].n - 1],
					  (unsigned)(m[i].n - 1), &progress, excl);
	}
	for (; open > 0 && !rc; open--)
		rc = regdiff__wq_key_end(w);
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

/* The sources a shot walks: a directory source counts as its members.
 * Its users and notes go to the snapshot; so does the current control set
 * of an offline SYSTEM hive. */
typedef struct expanded {
	regdiff_source **srcs;
	size_t n;
	const char **sids, **names, **notes;
	size_t nusers, nnotes;
	unsigned control_set;
} expanded;

static void expanded_free(expanded *e)
{
	free(e->srcs);
	free(e->sids);
	free(e->names);
	free(e->notes);
}

static int expand(expanded *e, regdiff_source *const *sources, size_t count)
{
	memset(e, 0, sizeof *e);
	size_t n = 0, nusers = 0, nnotes = 0;
	for (size_t i = 0; i < count; i++) {
		regdiff_source *const *m;
		regdiff__install_meta im;
		size_t k = regdiff__install_members(sources[i], &m);
		regdiff__install_meta_get(sources[i], &im);
		n += k ? k : 1;
		nusers += im.nusers;
		nnotes += im.nnotes;
	}
	e->srcs = regdiff__calloc(n, sizeof *e->srcs);
	e->sids = regdiff__calloc(nusers + 1, sizeof *e->sids);
	e->names = regdiff__calloc(nusers + 1, sizeof *e->names);
	e->notes = regdiff__calloc(nnotes + 1, sizeof *e->notes);
	if (!e->srcs || !e->sids || !e->names || !e->notes) {
		expanded_free(e);
		return REGDIFF_ENOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		regdiff_source *const *m;
		regdiff__install_meta im;
		size_t k = regdiff__install_members(sources[i], &m);
		regdiff__install_meta_get(sources[i], &im);
		for (size_t j = 0; j < k; j++)
			e->srcs[e->n++] = m[j];
		if (!k)
			e->srcs[e->n++] = sources[i];
		for (size_t j = 0; j < im.nusers; j++) {
			e->sids[e->nusers] = im.sids[j];
			e->names[e->nusers++] = im.names[j];
		}
		for (size_t j = 0; j < im.nnotes; j++)
			e->notes[e->nnotes++] = im.notes[j];
	}
	/* Offline SYSTEM has no CurrentControlSet: which ControlSet00N it
	 * stands for is recorded, for persistence flagging, when SYSTEM is
	 * part of an installation. A SYSTEM hive named alone keeps every
	 * control set flagged, as before (docs/persistence.md). */
	for (size_t i = 0; i < count && !e->control_set; i++) {
		regdiff_source *const *m;
		size_t k = regdiff__install_members(sources[i], &m);
		for (size_t j = 0; j < k && !e->control_set; j++)
			if (strcmp(m[j]->mount, "HKLM\\SYSTEM") == 0)
				e->control_set = regdiff__control_set_current(m[j]);
	}
	return 0;
}

/* Hives of one image partition given one by one: the image is recorded once. */
static int same_image(const regdiff__buf *const *seen, size_t n, const regdiff__buf *b)
{
	for (size_t i = 0; i < n; i++)
		if (seen[i]->len == b->len && memcmp(seen[i]->data, b->data, b->len) == 0)
			return 1;
	return 0;
}

/* once: a snapshot that is read back at once and thrown away, so its
 * blocks are stored, not compressed, and it has no subtree digests (see
 * regdiff__writer_skip_subtree_digests). */
static int shoot(regdiff_shot_stats *stats, regdiff_write_fn sink, void *ctx, const char *name,
		 regdiff_source *const *given, size_t given_count, const regdiff_shot_options *o,
		 int once)
{
	if (!given || given_count == 0)
		return regdiff__error(REGDIFF_EINVAL, "a snapshot needs at least one source");
	if (o && (o->version < 1 || o->version > REGDIFF_SHOT_OPTIONS_VERSION))
		return regdiff__error(REGDIFF_EINVAL, "shot options of unknown version %u",
				      o->version);
	/* Bad rules are refused before anything is read. */
	if (o && o->version >= 3 && o->exclude) {
		int rc = regdiff__filters_shot_check(o->exclude);
		if (rc)
			return rc;
	}
	expanded ex;
	int rc = expand(&ex, given, given_count);
	if (rc)
		return rc;
	regdiff_source *const *sources = ex.srcs;
	size_t count = ex.n;
	mounted *m;
	rc = prepare(sources, count, &m);
	if (rc) {
		expanded_free(&ex);
		return rc;
	}
	int64_t started = now_filetime();
	regdiff__writer *w = NULL;
	int level = once ? -1 : o ? o->compression_level : 0;
	char *computer = NULL, *user = NULL;
	const char **mounts = regdiff__calloc(count, sizeof *mounts);
	const char **kinds = regdiff__calloc(count, sizeof *kinds);
	const char **locations = regdiff__calloc(count, sizeof *locations);
	const regdiff__logs **logs = regdiff__calloc(count, sizeof *logs);
	if (!mounts || !kinds || !locations || !logs)
		rc = REGDIFF_ENOMEM;
	if (!rc)
		rc = regdiff__writer_new(&w, sink, ctx, name, level);
	if (!rc && once) {
		regdiff__writer_skip_subtree_digests(w);
		regdiff__writer_skip_checksums(w);
		if (shot_flag(o, REGDIFF_SHOT_NO_KEY_TIMES))
			regdiff__writer_skip_names_digests(w);
	}
	regdiff__exclusions excl;
	regdiff__buf excl_tlvs = {0};
	if (!rc)
		rc = regdiff__exclusions_init(&excl, o && o->version >= 3 ? o->exclude : NULL);
	else
		memset(&excl, 0, sizeof excl);
	/* The writer runs on a thread of its own while the walk reads, but
	 * for a snapshot read once: it is stored, not compressed, and has no
	 * subtree digests, so the writer has little to do, and a direct
	 * compare shoots its two sides on two threads already. */
	regdiff__wq *q = NULL;
	if (!rc)
		rc = regdiff__wq_new(&q, w, !once);
	if (!rc)
		rc = write_all_sources(q, m, count, o, &excl);
	if (!rc)
		rc = regdiff__wq_finish(q);
	regdiff__wq_free(q);
	if (!rc)
		rc = regdiff__exclusions_footer(&excl, &excl_tlvs);
	if (!rc)
		regdiff__writer_set_extra(w, &excl_tlvs);
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
		regdiff__install_footer inst = {ex.nusers, ex.sids,  ex.names,
						ex.nnotes, ex.notes, ex.control_set};
		const regdiff__buf **images = regdiff__calloc(given_count, sizeof *images);
		size_t nimages = 0;
		rc = images ? 0 : REGDIFF_ENOMEM;
		for (size_t i = 0; !rc && i < given_count; i++)
			if (given[i]->image.len && !same_image(images, nimages, &given[i]->image))
				images[nimages++] = &given[i]->image;
		regdiff__writer_set_images(w, images, nimages);
		if (!rc)
			rc = regdiff__writer_finish_install(w, &meta, &inst);
		free(images);
	}
	if (!rc && stats)
		regdiff__writer_stats(w, stats);
	regdiff__writer_free(w);
	regdiff__exclusions_fini(&excl);
	regdiff__buf_free(&excl_tlvs);
	free(computer);
	free(user);
	free(mounts);
	free(kinds);
	free(locations);
	free(logs);
	mounted_free(m, count);
	expanded_free(&ex);
	return rc;
}

/* Whether mount is key or below it (ASCII case-insensitively: canonical
 * mounts keep the case they were given). */
static bool at_or_below(const char *mount, const char *key)
{
	size_t i = 0;
	for (; key[i]; i++) {
		char a = mount[i], b = key[i];
		if (a >= 'a' && a <= 'z')
			a = (char)(a - 'a' + 'A');
		if (a != b)
			return false;
	}
	return mount[i] == '\0' || mount[i] == '\\';
}

/* Whether the snapshot will hold password hashes or secrets: a live
 * source read with the backup privilege, or a SAM or SECURITY hive. */
static bool holds_secrets(regdiff_source *const *sources, size_t n, const regdiff_shot_options *o)
{
	if (shot_flag(o, REGDIFF_SHOT_PRIVATE))
		return true;
	for (size_t i = 0; sources && i < n; i++) {
		if (!sources[i])
			continue;
		if (sources[i]->secrets || at_or_below(sources[i]->mount, "HKLM\\SAM") ||
		    at_or_below(sources[i]->mount, "HKLM\\SECURITY"))
			return true;
	}
	return false;
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
	if (holds_secrets(sources, n, opts) && (rc = regdiff__outfile_make_private(f)) != 0) {
		regdiff__outfile_abort(f);
		return rc;
	}
	rc = shoot(stats, regdiff__outfile_write, f, path, sources, n, opts, 0);
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
	int rc = shoot(NULL, buf_sink, &b, "(memory)", sources, n, opts, 0);
	if (rc) {
		regdiff__buf_free(&b);
		return rc;
	}
	*buf = b.data;
	*len = b.len;
	return 0;
}

int regdiff_shot_take(regdiff_snapshot **out, regdiff_source *const *sources, size_t n,
		      const regdiff_shot_options *opts)
{
	regdiff_error_clear();
	if (!out)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_shot_take: NULL argument");
	*out = NULL;
	regdiff__tempsnap *t;
	int rc = regdiff__tempsnap_new(&t, regdiff__tempsnap_limit(sources, n));
	if (rc)
		return rc;
	/* A file it spills to is private enough without
	 * regdiff__os_make_private: unlinked at once on POSIX, in the user's
	 * own %TEMP% on Windows. */
	rc = shoot(NULL, regdiff__tempsnap_write, t, "temporary snapshot", sources, n, opts, 1);
	if (rc) {
		regdiff__tempsnap_free(t);
		return rc;
	}
	/* Name it after its sources for messages. */
	char name[512];
	snprintf(name, sizeof name, "snapshot of %s", n == 1 ? sources[0]->location : "sources");
	rc = regdiff__snapshot_open_temp(out, t, name);
	if (!rc)
		regdiff__snapshot_mark_undigested(*out, shot_flag(opts, REGDIFF_SHOT_NO_KEY_TIMES));
	return rc;
}

/* A Windows installation as one source: a composite of hive sources, each
 * mounted where Windows mounts it, users at HKU\<SID> found through
 * SOFTWARE's ProfileList. A shot takes each member as a source of its own
 * (shot.c); what the composite adds is the SID -> user name map and notes
 * on how mounts were chosen, kept in the snapshot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install.h"
#include "snapshot_format.h"

typedef struct member {
	char *file;  /* the location recorded (origin applied) */
	char *user;  /* user name of HKU\<SID> (and its _Classes), else NULL */
	char *error; /* why it could not be read, else NULL */
} member;

typedef struct install {
	regdiff_source **srcs; /* members, in the order found */
	member *m;
	size_t n, cap;
	char **sids, **names; /* the SID -> user name map */
	size_t nusers, users_cap;
	char **notes;
	size_t nnotes, notes_cap;
} install;

static void install_free(void *impl)
{
	install *in = impl;
	if (!in)
		return;
	for (size_t i = 0; i < in->n; i++) {
		regdiff_source_free(in->srcs[i]);
		free(in->m[i].file);
		free(in->m[i].user);
		free(in->m[i].error);
	}
	for (size_t i = 0; i < in->nusers; i++) {
		free(in->sids[i]);
		free(in->names[i]);
	}
	for (size_t i = 0; i < in->nnotes; i++)
		free(in->notes[i]);
	free(in->srcs);
	free(in->m);
	free(in->sids);
	free(in->names);
	free(in->notes);
	free(in);
}

/* A shot walks the members, never the composite itself. */
static int install_root(void *impl, uint64_t *node)
{
	(void)impl;
	(void)node;
	return regdiff__error(REGDIFF_EINVAL, "a directory source is shot through its members");
}

static const regdiff__source_ops install_ops = {
    .kind = REGDIFF_KIND_INSTALL,
    .root = install_root,
    .free = install_free,
};

/* ---- a hive that could not be read ---- */

/* Its mount is written as a key whose values and subkeys were not read,
 * so that a compare reports it as not compared, never as deleted. */
static int unread_root(void *impl, uint64_t *node)
{
	(void)impl;
	*node = 0;
	return 0;
}

static int unread_list(void *impl, uint64_t node, regdiff__listing *l, regdiff__problem_fn problem,
		       void *pctx)
{
	(void)node;
	(void)l;
	problem(pctx, REGDIFF__SRC_VALUES_UNREAD | REGDIFF__SRC_SUBKEYS_UNREAD, impl);
	return 0;
}

static void unread_close(void *impl, uint64_t node)
{
	(void)impl;
	(void)node;
}

static const regdiff__source_ops unread_ops = {
    .kind = REGDIFF_KIND_HIVE,
    .root = unread_root,
    .list = unread_list,
    .close = unread_close,
    .free = free,
};

/* ---- building ---- */

static int note(install *in, const char *fmt, ...) REGDIFF__PRINTF(2, 3);
static int note(install *in, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	int rc = regdiff__grow(&in->notes, &in->notes_cap, in->nnotes + 1, sizeof *in->notes);
	if (!rc && !(in->notes[in->nnotes++] = regdiff__strdup(buf)))
		rc = REGDIFF_ENOMEM;
	return rc;
}

static int add_user(install *in, const char *sid, const char *name)
{
	for (size_t i = 0; i < in->nusers; i++)
		if (strcmp(in->sids[i], sid) == 0)
			return 0;
	int rc = regdiff__grow(&in->sids, &in->users_cap, in->nusers + 1, sizeof *in->sids);
	if (!rc) {
		/* names grows with sids: same count, its own capacity. */
		char **q = regdiff__realloc(in->names, in->users_cap * sizeof *q);
		if (!q)
			return REGDIFF_ENOMEM;
		in->names = q;
		in->sids[in->nusers] = regdiff__strdup(sid);
		in->names[in->nusers] = regdiff__strdup(name);
		in->nusers++;
		if (!in->sids[in->nusers - 1] || !in->names[in->nusers - 1])
			rc = REGDIFF_ENOMEM;
	}
	return rc;
}

/* The location recorded for file: origin in place of dir at its start. */
static char *location(const char *file, const char *dir, const char *origin)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (!origin || strncmp(file, dir, n) != 0 || file[n] != '/')
		return regdiff__strdup(file);
	size_t len = strlen(origin) + strlen(file + n) + 1;
	char *s = regdiff__malloc(len);
	if (s)
		snprintf(s, len, "%s%s", origin, file + n);
	return s;
}

/* Opens file at mount as the next member; a hive that cannot be read is
 * kept as an unread member (unless logs are required: then it is an
 * error, as for a single hive). */
static int add_member(install *in, const char *file, const char *mount, const char *user,
		      const char *dir, const char *origin, int logs_mode)
{
	int rc = regdiff__grow(&in->srcs, &in->cap, in->n + 1, sizeof *in->srcs);
	if (!rc) {
		member *q = regdiff__realloc(in->m, in->cap * sizeof *q);
		if (!q)
			return REGDIFF_ENOMEM;
		in->m = q;
	}
	if (rc)
		return rc;
	member m = {location(file, dir, origin), user ? regdiff__strdup(user) : NULL, NULL};
	if (!m.file || (user && !m.user)) {
		free(m.file);
		free(m.user);
		return REGDIFF_ENOMEM;
	}
	regdiff_source *src = NULL;
	regdiff_source_options o = REGDIFF_SOURCE_OPTIONS_INIT;
	o.logs = logs_mode;
	rc = regdiff_source_open_hive_ext(&src, file, mount, &o);
	if (rc && rc != REGDIFF_ENOMEM && logs_mode != REGDIFF_LOGS_REQUIRE) {
		char *why = regdiff__strdup(regdiff_error_message());
		char *what = NULL;
		if (why) {
			size_t n = strlen(why) + 32;
			if ((what = regdiff__malloc(n)))
				snprintf(what, n, "hive not read: %s", why);
		}
		m.error = why;
		rc = what ? regdiff__source_new(&src, &unread_ops, what, mount, m.file)
			  : REGDIFF_ENOMEM;
	} else if (!rc && origin) {
		char *loc = regdiff__strdup(m.file);
		if (loc) {
			free(src->location);
			src->location = loc;
		} else {
			rc = REGDIFF_ENOMEM;
		}
	}
	if (rc) {
		regdiff_source_free(src);
		free(m.file);
		free(m.user);
		free(m.error);
		return rc;
	}
	in->srcs[in->n] = src;
	in->m[in->n++] = m;
	return 0;
}

static const regdiff__profile_sid *sid_of(const regdiff__profile_sid *p, size_t n, const char *rel)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(p[i].rel);
		if (strlen(rel) != len)
			continue;
		size_t j = 0;
		for (; j < len; j++) {
			char a = rel[j] == '/' ? '\\' : rel[j];
			if (!regdiff__ascii_caseeq(&a, &p[i].rel[j], 1))
				break;
		}
		if (j == len)
			return &p[i];
	}
	return NULL;
}

static int add_profiles(install *in, const regdiff__layout *l, const regdiff__profile_sid *sids,
			size_t nsids, int have_software, const char *dir, const char *origin,
			int logs_mode)
{
	int rc = 0;
	for (size_t i = 0; i < l->nprofiles && !rc; i++) {
		const regdiff__profile_dir *p = &l->profiles[i];
		const regdiff__profile_sid *s = sid_of(sids, nsids, p->rel);
		const char *sid = s ? s->sid : p->service_sid;
		const char *name = s ? s->name : p->name;
		char mount[1024], classes[1040];
		snprintf(mount, sizeof mount, "HKU\\%s", sid ? sid : p->name);
		snprintf(classes, sizeof classes, "%s_Classes", mount);
		/* Without SOFTWARE one note says it for all. */
		if (!s && have_software)
			rc = note(in,
				  sid ? "%s: no ProfileList entry, mounted at its well-known SID %s"
				      : "%s: no ProfileList entry, mounted at its folder name: %s",
				  p->rel, sid ? sid : mount);
		if (!rc && sid)
			rc = add_user(in, sid, name);
		if (!rc && p->ntuser)
			rc = add_member(in, p->ntuser, mount, sid ? name : NULL, dir, origin,
					logs_mode);
		if (!rc && p->usrclass)
			rc = add_member(in, p->usrclass, classes, sid ? name : NULL, dir, origin,
					logs_mode);
	}
	return rc;
}

int regdiff__source_open_install(regdiff_source **out, const char *dir, const char *origin,
				 int logs_mode)
{
	*out = NULL;
	regdiff__layout l;
	int rc = regdiff__layout_find(&l, dir);
	if (rc)
		return rc;
	install *in = regdiff__calloc(1, sizeof *in);
	if (!in) {
		regdiff__layout_free(&l);
		return REGDIFF_ENOMEM;
	}
	regdiff_source *software = NULL;
	for (size_t i = 0; i < REGDIFF__MACHINE_HIVES && !rc; i++) {
		if (!l.machine[i])
			continue;
		rc = add_member(in, l.machine[i], regdiff__machine_hives[i].mount, NULL, dir,
				origin, logs_mode);
		if (!rc && i == 1 && !in->m[in->n - 1].error)
			software = in->srcs[in->n - 1];
	}
	regdiff__profile_sid *sids = NULL;
	size_t nsids = 0;
	if (!rc && software)
		rc = regdiff__profiles_read(&sids, &nsids, software, l.windows_name);
	if (!rc && !software && l.nprofiles)
		rc = note(in, l.machine[1]
				  ? "SOFTWARE could not be read: users mounted at their "
				    "folder names"
				  : "no SOFTWARE hive: users mounted at their folder names");
	if (!rc)
		rc = add_profiles(in, &l, sids, nsids, software != NULL, dir, origin, logs_mode);
	regdiff__profiles_free(sids, nsids);
	if (!rc && in->n == 0)
		rc = regdiff__error(REGDIFF_ENOTFOUND, "%s: no registry hive found", dir);
	char *loc = rc ? NULL : location(dir, dir, NULL);
	if (!rc && !loc)
		rc = REGDIFF_ENOMEM;
	regdiff__layout_free(&l);
	if (rc) {
		install_free(in);
		return rc;
	}
	/* The composite's own mount is never walked: HKLM stands for "the
	 * machine" in messages. */
	rc = regdiff__source_new(out, &install_ops, in, "HKLM", origin ? origin : loc);
	free(loc);
	return rc;
}

size_t regdiff__install_members(const regdiff_source *src, regdiff_source *const **members)
{
	if (!src || src->ops != &install_ops) {
		*members = NULL;
		return 0;
	}
	const install *in = src->impl;
	*members = in->srcs;
	return in->n;
}

void regdiff__install_meta_get(const regdiff_source *src, regdiff__install_meta *out)
{
	memset(out, 0, sizeof *out);
	if (!src || src->ops != &install_ops)
		return;
	const install *in = src->impl;
	out->nusers = in->nusers;
	out->sids = (const char *const *)in->sids;
	out->names = (const char *const *)in->names;
	out->nnotes = in->nnotes;
	out->notes = (const char *const *)in->notes;
}

/* ---- public: what a directory source found ---- */

size_t regdiff_source_member_count(const regdiff_source *src)
{
	regdiff_source *const *m;
	return regdiff__install_members(src, &m);
}

int regdiff_source_get_member(regdiff_source_member *out, const regdiff_source *src, size_t i)
{
	regdiff_source *const *m;
	size_t n = regdiff__install_members(src, &m);
	regdiff_error_clear();
	if (!out || out->version != REGDIFF_SOURCE_MEMBER_VERSION)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_source_get_member: bad argument");
	if (i >= n)
		return regdiff__error(REGDIFF_ENOTFOUND, "regdiff_source_get_member: no member %zu",
				      i);
	const install *in = src->impl;
	out->logs.version = REGDIFF_LOGS_INFO_VERSION;
	out->mount = m[i]->mount;
	out->file = in->m[i].file;
	out->user = in->m[i].user ? in->m[i].user : "";
	out->error = in->m[i].error ? in->m[i].error : "";
	regdiff__logs_info(&m[i]->logs, &out->logs);
	return 0;
}

size_t regdiff_source_note_count(const regdiff_source *src)
{
	regdiff__install_meta meta;
	regdiff__install_meta_get(src, &meta);
	return meta.nnotes;
}

int regdiff_source_get_note(const char **out, const regdiff_source *src, size_t i)
{
	regdiff_error_clear();
	if (out)
		*out = NULL;
	regdiff__install_meta meta;
	regdiff__install_meta_get(src, &meta);
	if (!out || i >= meta.nnotes)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_source_get_note: bad argument");
	*out = meta.notes[i];
	return 0;
}

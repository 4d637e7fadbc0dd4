/* What an installation's own hives say about it: which SID each profile
 * folder belongs to (SOFTWARE's ProfileList) and which control set is the
 * current one (SYSTEM's Select\Current). Read through the source
 * interface, so that log replay and damage handling are the hive
 * source's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install.h"
#include "name_internal.h"

/* A key of a source, listed. */
typedef struct key {
	regdiff_source *src;
	uint64_t node;
	regdiff__listing l;
	int open;
} key;

static void ignore_problem(void *ctx, unsigned unread, const char *what)
{
	(void)ctx;
	(void)unread;
	(void)what;
}

static int list(key *k)
{
	k->l.nvalues = k->l.nchildren = k->l.pool_len = 0;
	return k->src->ops->list(k->src->impl, k->node, &k->l, ignore_problem, NULL);
}

static int key_root(key *k, regdiff_source *src)
{
	memset(k, 0, sizeof *k);
	k->src = src;
	int rc = src->ops->begin ? src->ops->begin(src->impl) : 0;
	if (!rc)
		rc = src->ops->root(src->impl, &k->node);
	k->open = !rc;
	return rc ? rc : list(k);
}

static void key_close(key *k)
{
	if (k->open)
		k->src->ops->close(k->src->impl, k->node);
	k->open = 0;
	regdiff__listing_free(&k->l);
}

static int item_is(const key *k, const regdiff__item *it, const char *name)
{
	uint16_t *u;
	size_t n;
	if (regdiff_name_from_utf8(&u, &n, name, strlen(name)))
		return 0;
	int eq = regdiff_name_compare((regdiff_name){k->l.pool + it->off, it->len},
				      (regdiff_name){u, n}) == 0;
	free(u);
	return eq;
}

/* Moves k to its subkey name (ignoring case). 1 when found. */
static int key_down(key *k, const char *name)
{
	for (size_t i = 0; i < k->l.nchildren; i++) {
		if (!item_is(k, &k->l.children[i], name))
			continue;
		uint64_t child;
		if (k->src->ops->open_child(k->src->impl, k->node, k->l.children[i].id, &child))
			return 0;
		k->src->ops->close(k->src->impl, k->node);
		k->node = child;
		return list(k) == 0;
	}
	return 0;
}

/* Value name of k into data; 1 when read. */
static int key_value(key *k, const char *name, uint32_t *type, regdiff__buf *data)
{
	for (size_t i = 0; i < k->l.nvalues; i++) {
		if (!item_is(k, &k->l.values[i], name))
			continue;
		uint64_t declared;
		data->len = 0;
		return k->src->ops->value(k->src->impl, k->node, k->l.values[i].id, type, &declared,
					  data) == 0;
	}
	return 0;
}

unsigned regdiff__control_set_current(regdiff_source *system)
{
	key k;
	regdiff__buf d = {0};
	uint32_t type = 0;
	unsigned cs = 0;
	if (key_root(&k, system) == 0 && key_down(&k, "Select") &&
	    key_value(&k, "Current", &type, &d) && type == 4 && d.len == 4) {
		uint32_t v = regdiff__get_u32(d.data);
		cs = v > 0 && v < 1000 ? v : 0; /* ControlSetNNN has three digits */
	}
	key_close(&k);
	regdiff__buf_free(&d);
	return cs;
}

/* A REG_SZ / REG_EXPAND_SZ as UTF-8, up to its first NUL. */
static char *string_of(const regdiff__buf *d)
{
	size_t n = d->len / 2;
	for (size_t i = 0; i < n; i++)
		if (!d->data[2 * i] && !d->data[2 * i + 1]) {
			n = i;
			break;
		}
	regdiff__buf out = {0};
	if (regdiff__utf16le_bytes_to_utf8_buf(&out, d->data, 2 * n, 0) ||
	    regdiff__buf_putc(&out, 0)) {
		regdiff__buf_free(&out);
		return NULL;
	}
	return (char *)out.data;
}

static int prefix_is(const char *s, const char *p)
{
	size_t n = strlen(p);
	return strlen(s) >= n && regdiff__ascii_caseeq(s, p, n);
}

/* ProfileImagePath made relative to the volume root ("Users\alice"), or
 * NULL when it is on another drive. drive: the system drive's letter,
 * 0 when not known. */
static char *resolve(const char *path, char drive, const char *windows_name)
{
	const char *rest = NULL, *pre = "";
	if (prefix_is(path, "%SystemDrive%"))
		rest = path + 13;
	else if (prefix_is(path, "%SystemRoot%"))
		rest = path + 12, pre = windows_name;
	else if (prefix_is(path, "%windir%"))
		rest = path + 8, pre = windows_name;
	else if (path[0] && path[1] == ':' && (!drive || regdiff__ascii_caseeq(path, &drive, 1)))
		rest = path + 2;
	if (!rest)
		return NULL;
	while (*rest == '\\' || *rest == '/')
		rest++;
	size_t n = strlen(pre) + 1 + strlen(rest) + 1;
	char *s = regdiff__malloc(n);
	if (!s)
		return NULL;
	snprintf(s, n, "%s%s%s", pre, *pre && *rest ? "\\" : "", rest);
	for (char *p = s; *p; p++)
		if (*p == '/')
			*p = '\\';
	n = strlen(s);
	while (n > 0 && s[n - 1] == '\\')
		s[--n] = '\0';
	return s;
}

/* The system drive's letter from CurrentVersion\SystemRoot ("C:\Windows"). */
static char system_drive(regdiff_source *software)
{
	key k;
	regdiff__buf d = {0};
	uint32_t type;
	char letter = 0;
	static const char *const path[] = {"Microsoft", "Windows NT", "CurrentVersion"};
	int ok = key_root(&k, software) == 0;
	for (size_t i = 0; ok && i < 3; i++)
		ok = key_down(&k, path[i]);
	if (ok && key_value(&k, "SystemRoot", &type, &d)) {
		char *s = string_of(&d);
		if (s && s[0] && s[1] == ':')
			letter = s[0];
		free(s);
	}
	key_close(&k);
	regdiff__buf_free(&d);
	return letter;
}

static int add(regdiff__profile_sid **out, size_t *n, size_t *cap, char *sid, char *rel)
{
	const char *b = strrchr(rel, '\\');
	char *name = regdiff__strdup(b ? b + 1 : rel);
	int rc = name ? regdiff__grow(out, cap, *n + 1, sizeof **out) : REGDIFF_ENOMEM;
	if (rc) {
		free(sid);
		free(rel);
		free(name);
		return rc;
	}
	(*out)[(*n)++] = (regdiff__profile_sid){sid, rel, name};
	return 0;
}

int regdiff__profiles_read(regdiff__profile_sid **out, size_t *nout, regdiff_source *software,
			   const char *windows_name)
{
	*out = NULL;
	*nout = 0;
	char drive = system_drive(software);
	key k;
	static const char *const path[] = {"Microsoft", "Windows NT", "CurrentVersion",
					   "ProfileList"};
	int rc = key_root(&k, software);
	int ok = !rc;
	for (size_t i = 0; ok && i < 4; i++)
		ok = key_down(&k, path[i]);
	size_t cap = 0;
	regdiff__buf d = {0};
	for (size_t i = 0; ok && !rc && i < k.l.nchildren; i++) {
		const regdiff__item *it = &k.l.children[i];
		regdiff__buf sidb = {0};
		rc = regdiff__utf16_to_utf8_buf(&sidb, k.l.pool + it->off, it->len, 0);
		if (!rc)
			rc = regdiff__buf_putc(&sidb, 0);
		uint64_t child;
		char *rel = NULL;
		if (!rc && k.src->ops->open_child(k.src->impl, k.node, it->id, &child) == 0) {
			key c = {.src = software, .node = child, .open = 1};
			uint32_t type;
			if (list(&c) == 0 && key_value(&c, "ProfileImagePath", &type, &d) &&
			    (type == 1 || type == 2)) {
				char *p = string_of(&d);
				rel = p ? resolve(p, drive, windows_name) : NULL;
				free(p);
			}
			key_close(&c);
		}
		if (!rc && rel) {
			rc = add(out, nout, &cap, (char *)sidb.data, rel);
			sidb.data = NULL;
		} else {
			free(rel);
		}
		regdiff__buf_free(&sidb);
	}
	regdiff__buf_free(&d);
	key_close(&k);
	if (rc) {
		regdiff__profiles_free(*out, *nout);
		*out = NULL;
		*nout = 0;
	}
	return rc == REGDIFF_ENOMEM ? rc : 0;
}

void regdiff__profiles_free(regdiff__profile_sid *p, size_t n)
{
	for (size_t i = 0; p && i < n; i++) {
		free(p[i].sid);
		free(p[i].rel);
		free(p[i].name);
	}
	free(p);
}

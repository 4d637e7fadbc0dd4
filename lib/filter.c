/* Filter sets: parsing rules (grammar in include/regdiff/filter.h and
 * docs/filters.md), rules files, and the matcher.
 *
 * A set holds tens of rules, not thousands, so a change is matched
 * against each in turn; most leave at their root name. Patterns are kept
 * upper-cased so that a comparison upper-cases only the change's side. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_internal.h"
#include "name_internal.h"
#include "osfile.h"

/* Keys are at most 512 levels below their mount; a deeper one is not
 * matched (so never removed). */
#define NAMES_MAX 1024

enum comp_kind { C_NAME, C_ANY, C_DEEP };

typedef struct comp {
	enum comp_kind kind;
	uint16_t *units; /* C_NAME: upper-cased, '*' a wildcard */
	size_t len;
} comp;

typedef struct rule {
	regdiff_filter_info info;
	char *strings; /* info's strings when they are not static */
	comp *comps;
	size_t ncomps;
	bool has_value;
	uint16_t *value; /* upper-cased, '*' a wildcard */
	size_t value_len;
	unsigned ops; /* 1u << regdiff_op */
} rule;

struct regdiff_filters {
	rule *rules;
	size_t n, cap;
	bool noise;
};

#define OPS_KEY (1u << REGDIFF_KEY_ADDED | 1u << REGDIFF_KEY_DELETED | 1u << REGDIFF_KEY_MODIFIED)
#define OPS_VALUE                                                                                  \
	(1u << REGDIFF_VALUE_ADDED | 1u << REGDIFF_VALUE_DELETED | 1u << REGDIFF_VALUE_MODIFIED)

static const struct kind_word {
	const char *word;
	unsigned ops;
} kind_words[] = {
    {"added", 1u << REGDIFF_KEY_ADDED | 1u << REGDIFF_VALUE_ADDED},
    {"deleted", 1u << REGDIFF_KEY_DELETED | 1u << REGDIFF_VALUE_DELETED},
    {"modified", 1u << REGDIFF_KEY_MODIFIED | 1u << REGDIFF_VALUE_MODIFIED},
    {"key-added", 1u << REGDIFF_KEY_ADDED},
    {"key-deleted", 1u << REGDIFF_KEY_DELETED},
    {"key-modified", 1u << REGDIFF_KEY_MODIFIED},
    {"value-added", 1u << REGDIFF_VALUE_ADDED},
    {"value-deleted", 1u << REGDIFF_VALUE_DELETED},
    {"value-modified", 1u << REGDIFF_VALUE_MODIFIED},
};

static void rule_free(rule *r)
{
	for (size_t i = 0; i < r->ncomps; i++)
		free(r->comps[i].units);
	free(r->comps);
	free(r->value);
	free(r->strings);
	memset(r, 0, sizeof *r);
}

static void truncate_to(regdiff_filters *f, size_t n)
{
	while (f->n > n)
		rule_free(&f->rules[--f->n]);
}

void regdiff_filters_free(regdiff_filters *f)
{
	if (!f)
		return;
	truncate_to(f, 0);
	free(f->rules);
	free(f);
}

/* ---- Parsing one rule ---- */

static int upcased(const char *s, size_t n, uint16_t **out, size_t *len)
{
	int rc = regdiff_name_from_utf8(out, len, s, n);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < *len; i++)
		(*out)[i] = regdiff__upcase((*out)[i]);
	return 0;
}

static bool word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && regdiff__ascii_caseeq(s, w, n);
}

/* The ops of a comma-separated list of kind words; 0 when it is not one. */
static unsigned parse_kinds(const char *s, size_t n)
{
	unsigned ops = 0;
	while (n) {
		const char *comma = memchr(s, ',', n);
		size_t k = comma ? (size_t)(comma - s) : n;
		unsigned one = 0;
		for (size_t i = 0; i < sizeof kind_words / sizeof kind_words[0]; i++)
			if (word_is(s, k, kind_words[i].word))
				one = kind_words[i].ops;
		if (!one)
			return 0;
		ops |= one;
		s += k + (comma != NULL);
		n -= k + (comma != NULL);
		if (comma && n == 0)
			return 0;
	}
	return ops;
}

/* The root name: its canonical spelling and whether it stands for a
 * user's hive (HKCU = HKU\*); NULL when s is no root we accept. */
static const char *root_name(const char *s, size_t n, bool *user)
{
	static const struct {
		const char *a, *b, *canon;
		bool user;
	} roots[] = {
	    {"HKLM", "HKEY_LOCAL_MACHINE", "HKLM", false},
	    {"HKU", "HKEY_USERS", "HKU", false},
	    {"HKCC", "HKEY_CURRENT_CONFIG", "HKCC", false},
	    {"HKCU", "HKEY_CURRENT_USER", "HKU", true},
	};
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
		if (word_is(s, n, roots[i].a) || word_is(s, n, roots[i].b)) {
			*user = roots[i].user;
			return roots[i].canon;
		}
	return NULL;
}

static int add_comp(rule *r, size_t *cap, enum comp_kind kind, const char *s, size_t n)
{
	int rc = regdiff__grow(&r->comps, cap, r->ncomps + 1, sizeof *r->comps);
	if (rc < 0)
		return rc;
	comp *c = &r->comps[r->ncomps];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	if (kind == C_NAME) {
		rc = upcased(s, n, &c->units, &c->len);
		if (rc < 0)
			return rc;
	}
	r->ncomps++;
	return 0;
}

/* The first backslash of s[0..n) that separates names: a backslash
 * before ':' makes it a ':' inside a name (a key name may hold one, and a
 * bare ':' starts the value part). A name is never empty, so two
 * backslashes and ':' are a separator, then a name starting with ':'. */
static const char *separator(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\\' && (i + 1 == n || s[i + 1] != ':'))
			return s + i;
		else if (s[i] == '\\')
			i++;
	return NULL;
}

/* The first ':' of s[0..n) not escaped by a backslash: where the value
 * part starts. */
static const char *value_colon(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == ':')
			return s + i;
		else if (s[i] == '\\' && i + 1 < n && s[i + 1] == ':')
			i++;
	return NULL;
}

/* A name with its escaped colons undone, added as a C_NAME. */
static int add_name(rule *r, size_t *cap, const char *s, size_t n)
{
	char *plain = regdiff__malloc(n + 1);
	if (!plain)
		return REGDIFF_ENOMEM;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '\\' && i + 1 < n && s[i + 1] == ':'))
			plain[m++] = s[i];
	int rc = add_comp(r, cap, C_NAME, plain, m);
	free(plain);
	return rc;
}

/* The key part of a rule into r->comps; *why set on REGDIFF_EINVAL. */
static int parse_key(rule *r, const char *s, size_t n, const char **why)
{
	size_t cap = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0; i++) {
		const char *bs = separator(s, n);
		size_t k = bs ? (size_t)(bs - s) : n;
		if (k == 0) {
			*why = "an empty name (a doubled, leading or trailing '\\')";
			return REGDIFF_EINVAL;
		}
		if (i == 0) {
			bool user = false;
			const char *root = root_name(s, k, &user);
			if (!root) {
				*why =
				    word_is(s, k, "HKCR") || word_is(s, k, "HKEY_CLASSES_ROOT")
					? "HKCR is a merged view: write HKLM\\SOFTWARE\\Classes or "
					  "HKU\\*_Classes"
					: "a rule starts with a root written out (HKLM, HKU, HKCU, "
					  "HKCC): a rule without one would match a name anywhere";
				return REGDIFF_EINVAL;
			}
			rc = add_comp(r, &cap, C_NAME, root, strlen(root));
			if (rc == 0 && user)
				rc = add_comp(r, &cap, C_ANY, NULL, 0);
		} else if (k == 2 && s[0] == '*' && s[1] == '*') {
			rc = add_comp(r, &cap, C_DEEP, NULL, 0);
		} else if (k == 1 && s[0] == '*') {
			rc = add_comp(r, &cap, C_ANY, NULL, 0);
		} else {
			rc = add_name(r, &cap, s, k);
		}
		if (!bs)
			break;
		s += k + 1;
		n -= k + 1;
		if (n == 0) {
			*why = "an empty name (a doubled, leading or trailing '\\')";
			return REGDIFF_EINVAL;
		}
	}
	if (rc < 0)
		return rc;
	/* HKLM\**\Foo would be Foo anywhere in HKLM: as bare a name as
	 * **\Foo. A whole root (HKLM\**) says what it means. */
	size_t first = r->ncomps > 1 && r->comps[1].kind == C_ANY && r->comps[0].len == 3 /* HKU */
			   ? 2
			   : 1;
	if (r->ncomps > first + 1 && r->comps[first].kind == C_DEEP) {
		*why = "'**' right after the root, followed by more names, would match a "
		       "name anywhere in the root: name the keys above it";
		return REGDIFF_EINVAL;
	}
	return 0;
}

/* Compiles the rule text s[0..n) into r (zeroed); *why set on
 * REGDIFF_EINVAL. */
static int compile(rule *r, const char *s, size_t n, const char **why)
{
	regdiff__trim_blanks(&s, &n);
	if (n == 0) {
		*why = "an empty rule";
		return REGDIFF_EINVAL;
	}
	r->ops = OPS_KEY | OPS_VALUE;
	/* The kinds: the last word, when it is a list of kind words. */
	for (size_t i = n; i-- > 0;) {
		if (!regdiff__is_blank(s[i]))
			continue;
		unsigned ops = parse_kinds(s + i + 1, n - i - 1);
		if (ops) {
			r->ops = ops;
			n = i;
			regdiff__trim_blanks(&s, &n);
		}
		break;
	}
	const char *colon = value_colon(s, n);
	size_t klen = colon ? (size_t)(colon - s) : n;
	if (colon) {
		const char *v = colon + 1;
		size_t vlen = n - klen - 1;
		if (vlen == 0) {
			*why = "an empty value name after ':' (write (default) for the unnamed "
			       "value)";
			return REGDIFF_EINVAL;
		}
		r->has_value = true;
		r->ops &= OPS_VALUE;
		if (r->ops == 0) {
			*why = "a value rule with only key kinds";
			return REGDIFF_EINVAL;
		}
		if (!word_is(v, vlen, "(default)")) {
			int rc = upcased(v, vlen, &r->value, &r->value_len);
			if (rc < 0)
				return rc == REGDIFF_EINVAL ? (*why = "not UTF-8", rc) : rc;
		}
	}
	int rc = parse_key(r, s, klen, why);
	if (rc == REGDIFF_EINVAL && !*why)
		*why = "not UTF-8";
	return rc;
}

static int push(regdiff_filters *f, regdiff_filter_action action, const char *text, size_t n,
		const char *origin, const char **why)
{
	int rc = regdiff__grow(&f->rules, &f->cap, f->n + 1, sizeof *f->rules);
	if (rc < 0)
		return rc;
	rule *r = &f->rules[f->n];
	memset(r, 0, sizeof *r);
	*why = NULL;
	regdiff__trim_blanks(&text, &n);
	rc = compile(r, text, n, why);
	size_t olen = origin ? strlen(origin) : 0;
	if (rc == 0) {
		/* One block: the rule as written, then its origin. */
		r->strings = regdiff__malloc(n + olen + 2);
		if (!r->strings)
			rc = REGDIFF_ENOMEM;
	}
	if (rc < 0) {
		rule_free(r);
		return rc;
	}
	memcpy(r->strings, text, n);
	r->strings[n] = 0;
	memcpy(r->strings + n + 1, origin ? origin : "", olen + 1);
	r->info.action = action;
	r->info.rule = r->strings;
	r->info.origin = r->strings + n + 1;
	r->info.reason = "";
	r->info.windows = "";
	f->n++;
	return 0;
}

int regdiff_filters_add(regdiff_filters *f, regdiff_filter_action action, const char *text,
			const char *origin)
{
	regdiff_error_clear();
	if (!f || !text)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_filters_add: NULL argument");
	if (action != REGDIFF_FILTER_EXCLUDE && action != REGDIFF_FILTER_INCLUDE)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_filters_add: unknown action %d",
				      (int)action);
	const char *why = NULL;
	int rc = push(f, action, text, strlen(text), origin, &why);
	if (rc == REGDIFF_EINVAL)
		return regdiff__error(rc, "filter rule '%s': %s", text, why ? why : "bad rule");
	return rc < 0 ? regdiff__error(rc, "filter rule: out of memory") : 0;
}

int regdiff__filters_add_profile(regdiff_filters *f, const regdiff_filter_info *e)
{
	const char *why = NULL;
	int rc = push(f, e->action, e->rule, strlen(e->rule), NULL, &why);
	if (rc == REGDIFF_EINVAL)
		return regdiff__error(rc, "noise profile rule '%s': %s", e->rule,
				      why ? why : "bad rule");
	if (rc < 0)
		return regdiff__error(rc, "noise profile: out of memory");
	/* The profile's strings are static: the entry itself is the info. */
	f->rules[f->n - 1].info = *e;
	return 0;
}

int regdiff_filters_new(regdiff_filters **out, unsigned flags)
{
	regdiff_error_clear();
	if (!out)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_filters_new: NULL argument");
	*out = NULL;
	if (flags & ~(unsigned)REGDIFF_FILTERS_NOISE)
		return regdiff__error(REGDIFF_EINVAL, "unknown filters flags 0x%x",
				      flags & ~(unsigned)REGDIFF_FILTERS_NOISE);
	regdiff_filters *f = regdiff__calloc(1, sizeof *f);
	if (!f)
		return REGDIFF_ENOMEM;
	int rc = 0;
	if (flags & REGDIFF_FILTERS_NOISE) {
		f->noise = true;
		for (size_t i = 0; rc == 0 && i < regdiff_noise_profile_count(); i++)
			rc = regdiff__filters_add_profile(f, regdiff_noise_profile_get(i));
	}
	if (rc < 0) {
		regdiff_filters_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

/* ---- Rules files ---- */

int regdiff_filters_parse(regdiff_filters *f, const char *text, size_t len, const char *name)
{
	regdiff_error_clear();
	if (!f || (!text && len))
		return regdiff__error(REGDIFF_EINVAL, "regdiff_filters_parse: NULL argument");
	if (!name)
		name = "filters";
	size_t before = f->n, line = 0;
	const char *why = NULL;
	int rc = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3, len -= 3;
	for (size_t pos = 0; rc == 0 && pos < len;) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl != NULL);
		line++;
		if (n && s[n - 1] == '\r')
			n--;
		regdiff__trim_blanks(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		const char *sp = s;
		while (sp < s + n && !regdiff__is_blank(*sp))
			sp++;
		size_t wlen = (size_t)(sp - s);
		regdiff_filter_action action;
		if (word_is(s, wlen, "exclude")) {
			action = REGDIFF_FILTER_EXCLUDE;
		} else if (word_is(s, wlen, "include")) {
			action = REGDIFF_FILTER_INCLUDE;
		} else {
			why = "a line is 'exclude RULE' or 'include RULE'";
			rc = REGDIFF_EINVAL;
			break;
		}
		char origin[64];
		int w = snprintf(origin, sizeof origin, "%.40s:%zu", name, line);
		if (w < 0 || (size_t)w >= sizeof origin)
			snprintf(origin, sizeof origin, "...:%zu", line);
		rc = push(f, action, sp, n - wlen, origin, &why);
	}
	if (rc == REGDIFF_EINVAL)
		rc = regdiff__error(rc, "%s:%zu: %s", name, line, why ? why : "bad rule");
	if (rc < 0)
		truncate_to(f, before);
	return rc;
}

int regdiff_filters_load(regdiff_filters *f, const char *path)
{
	regdiff_error_clear();
	if (!f || !path)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_filters_load: NULL argument");
	size_t size;
	char *text;
	int rc = regdiff__os_read_text(path, "a rules file", &text, &size);
	if (rc == 0)
		rc = regdiff_filters_parse(f, text, size, path);
	free(text);
	return rc;
}

size_t regdiff_filters_count(const regdiff_filters *f)
{
	return f ? f->n : 0;
}

const regdiff_filter_info *regdiff_filters_get(const regdiff_filters *f, size_t i)
{
	return f && i < f->n ? &f->rules[i].info : NULL;
}

int regdiff_filters_noise(const regdiff_filters *f)
{
	return f && f->noise;
}

/* ---- Matching ---- */

/* Whether name (any case) fits pattern (upper-cased; '*' any run). */
static bool glob(const uint16_t *p, size_t pn, const uint16_t *s, size_t sn)
{
	size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;
	while (si < sn) {
		if (pi < pn && p[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (pi < pn && p[pi] == regdiff__upcase(s[si])) {
			pi++;
			si++;
		} else if (star != SIZE_MAX) {
			pi = star + 1;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

typedef struct span {
	size_t start, len;
} span;

static bool path_fits(const comp *c, size_t nc, const uint16_t *key, const span *names, size_t nn)
{
	while (nc) {
		if (c->kind == C_DEEP) {
			for (size_t skip = 0; skip <= nn; skip++)
				if (path_fits(c + 1, nc - 1, key, names + skip, nn - skip))
					return true;
			return false;
		}
		if (nn == 0)
			return false;
		if (c->kind == C_NAME && !glob(c->units, c->len, key + names->start, names->len))
			return false;
		c++, nc--;
		names++, nn--;
	}
	return nn == 0;
}

static bool rule_fits(const rule *r, const regdiff_change *c, const span *names, size_t nn)
{
	if (!(r->ops & (1u << c->op)))
		return false;
	if (r->has_value &&
	    !glob(r->value, r->value_len, c->value.units, c->value.units ? c->value.len : 0))
		return false;
	return path_fits(r->comps, r->ncomps, c->key.units, names, nn);
}

int regdiff_filters_match(size_t *rule_out, const regdiff_filters *f, const regdiff_change *c)
{
	regdiff_error_clear();
	size_t dummy;
	if (!rule_out)
		rule_out = &dummy;
	*rule_out = SIZE_MAX;
	if (!f || !c)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_filters_match: NULL argument");
	/* What was not seen is no change, and not ours to hide. */
	if (c->op < REGDIFF_KEY_DELETED || c->op > REGDIFF_KEY_MODIFIED || f->n == 0)
		return REGDIFF_FILTER_KEEP;
	span names[NAMES_MAX];
	size_t nn = 0, start = 0;
	const uint16_t *k = c->key.units;
	if (c->key_count) {
		if (c->key_count > NAMES_MAX)
			return REGDIFF_FILTER_KEEP;
		for (size_t i = 0; i < c->key_count; i++) {
			names[nn++] = (span){start, c->key_ends[i] - start};
			start = c->key_ends[i] + 1;
		}
	} else {
		for (size_t i = 0; i <= c->key.len; i++) {
			if (i < c->key.len && k[i] != '\\')
				continue;
			if (nn == NAMES_MAX)
				return REGDIFF_FILTER_KEEP;
			names[nn++] = (span){start, i - start};
			start = i + 1;
		}
	}
	for (size_t i = 0; i < f->n; i++)
		if (f->rules[i].info.action == REGDIFF_FILTER_INCLUDE &&
		    rule_fits(&f->rules[i], c, names, nn))
			return REGDIFF_FILTER_KEEP;
	for (size_t i = 0; i < f->n; i++)
		if (f->rules[i].info.action == REGDIFF_FILTER_EXCLUDE &&
		    rule_fits(&f->rules[i], c, names, nn)) {
			*rule_out = i;
			return c->persistence ? REGDIFF_FILTER_KEEP_MARKED : REGDIFF_FILTER_REMOVE;
		}
	return REGDIFF_FILTER_KEEP;
}

/* ---- Shot exclusions ---- */

int regdiff__filters_shot_check(const regdiff_filters *f)
{
	if (f->noise)
		return regdiff__error(REGDIFF_EINVAL,
				      "shot exclusions: the noise profile filters changes when "
				      "snapshots are compared, not keys when they are shot");
	for (size_t i = 0; i < f->n; i++) {
		const rule *r = &f->rules[i];
		const char *why = r->info.action == REGDIFF_FILTER_INCLUDE
				      ? "an include rule cannot bring back part of a subtree a "
					"shot skips: shots take exclude rules only"
				  : r->has_value ? "a value rule: a shot skips whole keys (filter "
						   "values when comparing)"
				  : r->ops != (OPS_KEY | OPS_VALUE)
				      ? "a rule with change kinds: a shot sees keys, not changes"
				      : NULL;
		if (why)
			return regdiff__error(REGDIFF_EINVAL, "shot exclusion '%s'%s%s: %s",
					      r->info.rule, r->info.origin[0] ? " from " : "",
					      r->info.origin, why);
	}
	return 0;
}

size_t regdiff__filters_match_key(const regdiff_filters *f, const uint16_t *units, size_t len,
				  const size_t *ends, size_t count)
{
	regdiff_change c = {
	    .op = REGDIFF_KEY_ADDED, .key = {units, len}, .key_ends = ends, .key_count = count};
	size_t hit = SIZE_MAX;
	return regdiff_filters_match(&hit, f, &c) == REGDIFF_FILTER_REMOVE ? hit : SIZE_MAX;
}

/* Persistence locations: reading tables, compiling them, and matching a
 * change against them (docs/persistence.md).
 *
 * Matching runs for every change a diff yields, so the key patterns are
 * compiled once into a tree of key components: each node holds its
 * literal children (upper-cased, so comparing needs no call per unit) and
 * its wildcard children, and the rules that end there. A key path is
 * walked once, component by component; it branches only where a literal
 * and a wildcard both fit (Services\W32Time and Services\<name>), and most
 * paths leave the tree within their first two or three components. */
#include <stdlib.h>
#include <string.h>

#include "name_internal.h"
#include "osfile.h"
#include "persistence.h"

#define FIELD_MAX 64 /* category and technique */
#define NO_RULE SIZE_MAX
/* Key names are at most 255 units: longer ones (a mount) take the slow
 * way. */
#define COMPONENT_FAST 256

/* Kinds of wildcard component. W_USER, W_CLASSES and W_CONTROL_SET come
 * only from the placeholders. */
enum wild { W_ANY, W_PATH, W_USER, W_CLASSES, W_CONTROL_SET, W_COUNT, W_LITERAL = -1 };

enum rule_flags {
	R_ANY_VALUE = 1u << 0, /* "*": every value of the key */
	R_TREE = 1u << 1,      /* "**": everything in the key and below */
	R_NEW_KEY = 1u << 2,   /* "new key": the key itself added or deleted */
	R_MODIFIED = 1u << 3   /* "modified": the names only when changed, not
				* added or deleted (an existing service's Start
				* changed, not a new service's) */
};

typedef struct rule {
	regdiff_persistence tag;
	char *strings; /* a user row's category, attack and pattern */
	unsigned flags;
	size_t nnames;
	regdiff_name *names; /* upper-cased, in one block with their units */
	uint8_t *digits;     /* per name: digits may follow it ("OPEN<n>") */
} rule;

typedef struct literal {
	uint16_t *name; /* upper-cased */
	size_t len;
	uint32_t node;
} literal;

typedef struct node {
	literal *lits;
	size_t nlits;
	uint32_t wild[W_COUNT]; /* child node per kind; 0 for none (the root) */
	size_t *rules;		/* indexes into the set's rules, ascending */
	size_t nrules;
	bool tree; /* one of the rules covers the subkeys */
} node;

/* One component of a pattern: a literal (upper-cased) or a wildcard. */
typedef struct comp {
	int wild;
	uint16_t *units;
	size_t len;
} comp;

#define PLACEHOLDERS 4
#define ALTS_MAX 12

struct regdiff_locations {
	node *nodes;
	size_t nnodes, cap_nodes;
	rule **rules;
	size_t nrules, cap_rules;
	/* Each placeholder's alternatives, parsed the first time a row uses
	 * them rather than for every row (most rows have one): a third of
	 * what compiling the built-in table cost. */
	comp *alt[PLACEHOLDERS][ALTS_MAX];
	size_t nalt[PLACEHOLDERS][ALTS_MAX];
};

/* ---- Upper-cased UTF-16 ---- */

static int upcased(const char *s, size_t n, uint16_t **out, size_t *len)
{
	int rc = regdiff_name_from_utf8(out, len, s, n);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < *len; i++)
		(*out)[i] = regdiff__upcase((*out)[i]);
	return 0;
}

static bool same_upcased(const uint16_t *up, size_t up_len, const uint16_t *s, size_t n)
{
	if (up_len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (up[i] != regdiff__upcase(s[i]))
			return false;
	return true;
}

/* ---- The set ---- */

static int new_node(regdiff_locations *L, uint32_t *id)
{
	int rc = regdiff__grow(&L->nodes, &L->cap_nodes, L->nnodes + 1, sizeof *L->nodes);
	if (rc < 0)
		return rc;
	memset(&L->nodes[L->nnodes], 0, sizeof L->nodes[0]);
	*id = (uint32_t)L->nnodes++;
	return 0;
}

static void rule_free(rule *r)
{
	if (!r)
		return;
	free(r->strings);
	free(r->names);
	free(r);
}

static void comps_free(comp *v, size_t n);

void regdiff_locations_free(regdiff_locations *L)
{
	if (!L)
		return;
	for (size_t k = 0; k < PLACEHOLDERS; k++)
		for (size_t i = 0; i < ALTS_MAX; i++)
			comps_free(L->alt[k][i], L->nalt[k][i]);
	for (size_t i = 0; i < L->nnodes; i++) {
		node *n = &L->nodes[i];
		for (size_t k = 0; k < n->nlits; k++)
			free(n->lits[k].name);
		free(n->lits);
		free(n->rules);
	}
	free(L->nodes);
	for (size_t i = 0; i < L->nrules; i++)
		rule_free(L->rules[i]);
	free(L->rules);
	free(L);
}

size_t regdiff_locations_count(const regdiff_locations *L)
{
	return L ? L->nrules : 0;
}

/* The child of node id for c, made if missing. */
static int child(regdiff_locations *L, uint32_t id, const comp *c, uint32_t *out)
{
	if (c->wild != W_LITERAL) {
		if (!L->nodes[id].wild[c->wild]) {
			uint32_t n;
			int rc = new_node(L, &n);
			if (rc < 0)
				return rc;
			L->nodes[id].wild[c->wild] = n;
		}
		*out = L->nodes[id].wild[c->wild];
		return 0;
	}
	node *nd = &L->nodes[id];
	for (size_t i = 0; i < nd->nlits; i++) {
		if (nd->lits[i].len == c->len &&
		    memcmp(nd->lits[i].name, c->units, c->len * sizeof *c->units) == 0) {
			*out = nd->lits[i].node;
			return 0;
		}
	}
	uint16_t *name = regdiff__malloc(c->len * sizeof *name);
	if (!name)
		return REGDIFF_ENOMEM;
	if (c->len)
		memcpy(name, c->units, c->len * sizeof *name);
	literal *lits = regdiff__realloc(nd->lits, (nd->nlits + 1) * sizeof *lits);
	uint32_t n;
	int rc = lits ? new_node(L, &n) : REGDIFF_ENOMEM;
	if (lits)
		L->nodes[id].lits = lits;
	if (rc < 0) {
		free(name);
		return rc;
	}
	nd = &L->nodes[id]; /* new_node may have moved the nodes */
	nd->lits[nd->nlits++] = (literal){name, c->len, n};
	*out = n;
	return 0;
}

/* Adds rule index r at the end of the components of prefix then rest. */
static int insert(regdiff_locations *L, const comp *prefix, size_t nprefix, const comp *rest,
		  size_t nrest, size_t r)
{
	uint32_t id = 0;
	for (size_t i = 0; i < nprefix + nrest; i++) {
		const comp *c = i < nprefix ? &prefix[i] : &rest[i - nprefix];
		int rc = child(L, id, c, &id);
		if (rc < 0)
			return rc;
	}
	node *nd = &L->nodes[id];
	size_t *rules = regdiff__realloc(nd->rules, (nd->nrules + 1) * sizeof *rules);
	if (!rules)
		return REGDIFF_ENOMEM;
	nd->rules = rules;
	nd->rules[nd->nrules++] = r;
	if (L->rules[r]->flags & R_TREE)
		nd->tree = true;
	return 0;
}

/* ---- Patterns ---- */

/* {C}: every home of classes, and the 32-bit classes in each: WOW64 keeps
 * them in Classes\Wow6432Node (HKLM\SOFTWARE\Wow6432Node\Classes is only
 * a link to it, which a live source may still list). A user's classes are
 * their UsrClass.dat and also the key Software\Classes of their own hive
 * (a real key under Wine, in older layouts and in a source rooted
 * there). */
static const struct placeholder {
	const char *name;
	const char *alts[ALTS_MAX];
} placeholders[] = {
    {"{SW}", {"HKLM\\SOFTWARE", "HKLM\\SOFTWARE\\Wow6432Node"}},
    {"{U}", {"HKU\\<user>", "HKCU"}},
    {"{CS}", {"HKLM\\SYSTEM\\CurrentControlSet", "HKLM\\SYSTEM\\<controlset>"}},
    {"{C}",
     {"HKLM\\SOFTWARE\\Classes", "HKLM\\SOFTWARE\\Classes\\Wow6432Node",
      "HKLM\\SOFTWARE\\Wow6432Node\\Classes", "HKU\\<classes>", "HKU\\<classes>\\Wow6432Node",
      "HKU\\<user>\\Software\\Classes", "HKU\\<user>\\Software\\Classes\\Wow6432Node",
      "HKCU\\Software\\Classes", "HKCU\\Software\\Classes\\Wow6432Node", "HKCR",
      "HKCR\\Wow6432Node"}},
};
_Static_assert(sizeof placeholders / sizeof placeholders[0] == PLACEHOLDERS, "PLACEHOLDERS");

static const struct {
	const char *longname, *shortname;
} roots[] = {
    {"HKEY_LOCAL_MACHINE", "HKLM"}, {"HKEY_USERS", "HKU"},	     {"HKEY_CURRENT_USER", "HKCU"},
    {"HKEY_CLASSES_ROOT", "HKCR"},  {"HKEY_CURRENT_CONFIG", "HKCC"},
};

static bool ascii_caseeq(const char *a, size_t n, const char *b)
{
	if (strlen(b) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char x = a[i], y = b[i];
		if (x >= 'a' && x <= 'z')
			x = (char)(x - 32);
		if (y >= 'a' && y <= 'z')
			y = (char)(y - 32);
		if (x != y)
			return false;
	}
	return true;
}

static void comps_free(comp *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].units);
	free(v);
}

/* Splits s[0..n) at '\' into components. internal: the placeholders'
 * own wildcards (<user>, <classes>, <controlset>) are known. */
static int parse_comps(const char *s, size_t n, bool internal, comp **out, size_t *nout,
		       const char **why)
{
	size_t count = 1;
	for (size_t i = 0; i < n; i++)
		count += s[i] == '\\';
	comp *v = regdiff__calloc(count, sizeof *v);
	if (!v)
		return REGDIFF_ENOMEM;
	size_t start = 0;
	for (size_t k = 0; k < count; k++) {
		size_t end = start;
		while (end < n && s[end] != '\\')
			end++;
		const char *c = s + start;
		size_t len = end - start;
		v[k].wild = W_LITERAL;
		if (len == 0) {
			*why = "an empty key name";
		} else if (len > 2 && c[0] == '<' && c[len - 1] == '>') {
			if (ascii_caseeq(c, len, "<path>"))
				v[k].wild = W_PATH;
			else if (internal && ascii_caseeq(c, len, "<user>"))
				v[k].wild = W_USER;
			else if (internal && ascii_caseeq(c, len, "<classes>"))
				v[k].wild = W_CLASSES;
			else if (internal && ascii_caseeq(c, len, "<controlset>"))
				v[k].wild = W_CONTROL_SET;
			else
				v[k].wild = W_ANY;
			if (v[k].wild == W_PATH && k + 1 < count)
				*why = "<path> is not the last key name";
		} else {
			for (size_t r = 0; k == 0 && r < sizeof roots / sizeof roots[0]; r++) {
				if (ascii_caseeq(c, len, roots[r].longname)) {
					c = roots[r].shortname;
					len = strlen(c);
				}
			}
			int rc = upcased(c, len, &v[k].units, &v[k].len);
			if (rc == REGDIFF_EINVAL)
				*why = "invalid UTF-8";
			else if (rc < 0) {
				comps_free(v, count);
				return rc;
			}
		}
		if (*why) {
			comps_free(v, count);
			return REGDIFF_EINVAL;
		}
		start = end + 1;
	}
	*out = v;
	*nout = count;
	return 0;
}

/* s[0..n) without spaces around it and without one pair of backticks. */
static void trim(const char **s, size_t *n)
{
	regdiff__trim_blanks(s, n);
	if (*n >= 2 && (*s)[0] == '`' && (*s)[*n - 1] == '`')
		(*s)++, *n -= 2;
}

/* The next item of a comma-separated list (commas inside backticks do not
 * count), trimmed. Returns false at the end. */
static bool next_item(const char **s, size_t *n, const char **item, size_t *len)
{
	if (*n == 0)
		return false;
	bool quoted = false;
	size_t i = 0;
	for (; i < *n && (quoted || (*s)[i] != ','); i++)
		quoted ^= (*s)[i] == '`';
	*item = *s;
	*len = i;
	trim(item, len);
	size_t used = i < *n ? i + 1 : i;
	*s += used;
	*n -= used;
	return true;
}

/* Reads the values field into r. */
static int parse_values(rule *r, const char *s, size_t n, const char **why)
{
	const char *item;
	size_t len, total = 0, count = 0;
	const char *p = s;
	size_t left = n;
	while (next_item(&p, &left, &item, &len)) {
		count++;
		total += len;
	}
	if (count == 0) {
		*why = "no values given (\"*\", \"**\", names or \"new key\")";
		return REGDIFF_EINVAL;
	}
	/* Each name's units fit in as many units as its UTF-8 has bytes. */
	r->names = regdiff__malloc(count * sizeof *r->names + total * sizeof(uint16_t) + count);
	if (!r->names)
		return REGDIFF_ENOMEM;
	uint16_t *units = (uint16_t *)(r->names + count);
	r->digits = (uint8_t *)(units + total);
	p = s;
	left = n;
	while (next_item(&p, &left, &item, &len)) {
		if (len == 0) {
			*why = "an empty value name (the default value is \"(default)\")";
			return REGDIFF_EINVAL;
		}
		if (len == 1 && item[0] == '*') {
			r->flags |= R_ANY_VALUE;
		} else if (len == 2 && item[0] == '*' && item[1] == '*') {
			r->flags |= R_TREE;
		} else if (ascii_caseeq(item, len, "new key")) {
			r->flags |= R_NEW_KEY;
		} else if (ascii_caseeq(item, len, "modified")) {
			r->flags |= R_MODIFIED;
		} else {
			uint16_t *u = NULL;
			size_t ulen = 0;
			int rc = 0;
			bool digits = len > 3 && ascii_caseeq(item + len - 3, 3, "<n>");
			if (digits)
				len -= 3;
			r->digits[r->nnames] = digits;
			if (!ascii_caseeq(item, len, "(default)"))
				rc = upcased(item, len, &u, &ulen);
			if (rc == REGDIFF_EINVAL)
				*why = "invalid UTF-8";
			if (rc < 0)
				return rc;
			if (ulen)
				memcpy(units, u, ulen * sizeof *u);
			free(u);
			r->names[r->nnames++] = (regdiff_name){units, ulen};
			units += ulen;
		}
	}
	if ((r->flags & R_MODIFIED) && (r->nnames == 0 || (r->flags & (R_ANY_VALUE | R_TREE)))) {
		*why = "\"modified\" without value names";
		return REGDIFF_EINVAL;
	}
	return 0;
}

/* Category and technique: short, printable ASCII that no report format
 * needs to escape. */
static bool plain_field(const char *s, size_t n)
{
	if (n == 0 || n > FIELD_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("-_./,+ ", c)))
			return false;
	}
	return true;
}

/* One location, compiled: a rule and the components to reach it. */
typedef struct compiled {
	rule *r;
	const struct placeholder *ph; /* NULL: the pattern is written out */
	comp *rest;
	size_t nrest;
} compiled;

static void compiled_free(compiled *c)
{
	rule_free(c->r);
	comps_free(c->rest, c->nrest);
	memset(c, 0, sizeof *c);
}

/* Compiles one pattern. With own, the strings are copied into the rule;
 * else they must be static. */
static int compile(compiled *out, const char *category, size_t clen, const char *pattern,
		   size_t plen, const char *values, size_t vlen, const char *attack, size_t alen,
		   bool own, const char **why)
{
	memset(out, 0, sizeof *out);
	if (!plain_field(category, clen)) {
		*why = "the category is not 1 to 64 of A-Z a-z 0-9 - _ . / , + and space";
		return REGDIFF_EINVAL;
	}
	if (!plain_field(attack, alen)) {
		*why = "the technique is not 1 to 64 of A-Z a-z 0-9 - _ . / , + and space";
		return REGDIFF_EINVAL;
	}
	if (plen == 0) {
		*why = "no key";
		return REGDIFF_EINVAL;
	}
	rule *r = out->r = regdiff__calloc(1, sizeof *r);
	if (!r)
		return REGDIFF_ENOMEM;
	if (own) {
		r->strings = regdiff__malloc(clen + alen + plen + 3);
		if (!r->strings)
			return REGDIFF_ENOMEM;
		char *p = r->strings;
		memcpy(p, category, clen);
		p[clen] = '\0';
		r->tag.category = p;
		p += clen + 1;
		memcpy(p, attack, alen);
		p[alen] = '\0';
		r->tag.attack = p;
		p += alen + 1;
		memcpy(p, pattern, plen);
		p[plen] = '\0';
		r->tag.pattern = p;
	} else {
		r->tag.category = category;
		r->tag.attack = attack;
		r->tag.pattern = pattern;
	}
	int rc = parse_values(r, values, vlen, why);
	if (rc < 0)
		return rc;

	const char *rest = pattern;
	size_t nrest = plen;
	for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++) {
		size_t n = strlen(placeholders[i].name);
		if (plen >= n && memcmp(pattern, placeholders[i].name, n) == 0 &&
		    (plen == n || pattern[n] == '\\')) {
			out->ph = &placeholders[i];
			rest = plen == n ? pattern + n : pattern + n + 1;
			nrest = plen == n ? 0 : plen - n - 1;
			if (plen > n && nrest == 0) {
				*why = "an empty key name";
				return REGDIFF_EINVAL;
			}
			break;
		}
	}
	if (nrest)
		rc = parse_comps(rest, nrest, false, &out->rest, &out->nrest, why);
	if (rc == 0 && out->ph && out->nrest == 0 && (r->flags & R_NEW_KEY)) {
		*why = "\"new key\" on a placeholder alone";
		rc = REGDIFF_EINVAL;
	}
	return rc;
}

/* Adds a compiled location to the set, which takes its rule. */
static int add(regdiff_locations *L, compiled *c)
{
	int rc = regdiff__grow(&L->rules, &L->cap_rules, L->nrules + 1, sizeof *L->rules);
	if (rc < 0)
		return rc;
	size_t r = L->nrules;
	L->rules[L->nrules++] = c->r;
	c->r = NULL;
	if (!c->ph)
		return insert(L, NULL, 0, c->rest, c->nrest, r);
	size_t k = (size_t)(c->ph - placeholders);
	for (size_t i = 0; rc == 0 && i < ALTS_MAX && c->ph->alts[i]; i++) {
		const char *why = NULL;
		if (!L->alt[k][i])
			rc = parse_comps(c->ph->alts[i], strlen(c->ph->alts[i]), true,
					 &L->alt[k][i], &L->nalt[k][i], &why);
		if (rc == 0)
			rc = insert(L, L->alt[k][i], L->nalt[k][i], c->rest, c->nrest, r);
	}
	return rc;
}

/* ---- Tables ---- */

int regdiff_locations_new(regdiff_locations **out, unsigned flags)
{
	regdiff_error_clear();
	if (!out)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_locations_new: NULL argument");
	*out = NULL;
	if (flags & ~(unsigned)REGDIFF_LOCATIONS_NO_BUILTIN)
		return regdiff__error(REGDIFF_EINVAL, "unknown locations flags 0x%x", flags);
	regdiff_locations *L = regdiff__calloc(1, sizeof *L);
	uint32_t root;
	int rc = L ? new_node(L, &root) : REGDIFF_ENOMEM;
	for (size_t i = 0;
	     rc == 0 && !(flags & REGDIFF_LOCATIONS_NO_BUILTIN) && i < regdiff__location_table_len;
	     i++) {
		const regdiff__location_row *row = &regdiff__location_table[i];
		const char *why = NULL;
		compiled c;
		rc = compile(&c, row->category, strlen(row->category), row->key, strlen(row->key),
			     row->values, strlen(row->values), row->attack, strlen(row->attack),
			     false, &why);
		if (rc == 0)
			rc = add(L, &c);
		else if (why)
			rc = regdiff__error(rc, "built-in location %s: %s", row->key, why);
		compiled_free(&c);
	}
	if (rc < 0) {
		regdiff_locations_free(L);
		return rc;
	}
	*out = L;
	return 0;
}

/* Splits a row at '|' outside backticks into fields, trimmed of spaces; a
 * '|' at the start or the end (a Markdown table's) is not a separator.
 * Returns the number of fields, of which the first max are stored. */
static size_t split_row(const char *s, size_t n, const char **f, size_t *flen, size_t max)
{
	regdiff__trim_blanks(&s, &n);
	if (n && s[0] == '|')
		s++, n--;
	bool quoted = false;
	for (size_t i = 0; i < n; i++)
		quoted ^= s[i] == '`';
	if (n && s[n - 1] == '|' && !quoted)
		n--;
	size_t count = 0, start = 0;
	quoted = false;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && (quoted || s[i] != '|')) {
			quoted ^= s[i] == '`';
			continue;
		}
		if (count < max) {
			f[count] = s + start;
			flen[count] = i - start;
			regdiff__trim_blanks(&f[count], &flen[count]);
		}
		count++;
		start = i + 1;
	}
	return count;
}

static bool separator_row(const char **f, const size_t *flen, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < flen[i]; k++)
			if (f[i][k] != '-' && f[i][k] != ':')
				return false;
	return true;
}

/* The key field: one pattern, or patterns each in backticks separated by
 * commas. */
static bool next_pattern(const char **s, size_t *n, const char **p, size_t *len)
{
	while (*n && (regdiff__is_blank(**s) || **s == ','))
		(*s)++, (*n)--;
	if (*n == 0)
		return false;
	if (**s != '`') {
		*p = *s;
		*len = *n;
		trim(p, len);
		*s += *n;
		*n = 0;
		return true;
	}
	const char *end = memchr(*s + 1, '`', *n - 1);
	if (!end) {
		*p = *s;
		*len = *n;
		*s += *n;
		*n = 0;
		return true;
	}
	*p = *s + 1;
	*len = (size_t)(end - *s - 1);
	*n -= (size_t)(end + 1 - *s);
	*s = end + 1;
	return true;
}

int regdiff_locations_parse(regdiff_locations *L, const char *text, size_t len, const char *name)
{
	regdiff_error_clear();
	if (!L || (!text && len))
		return regdiff__error(REGDIFF_EINVAL, "regdiff_locations_parse: NULL argument");
	if (!name)
		name = "locations";
	compiled *all = NULL;
	size_t nall = 0, cap = 0, line = 0;
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
		size_t k = 0;
		while (k < n && regdiff__is_blank(s[k]))
			k++;
		if (k == n || s[k] == '#')
			continue;
		/* A fifth field, the source of the row (the built-in table's
		 * references), is allowed and not read. */
		const char *f[5];
		size_t flen[5];
		size_t nf = split_row(s, n, f, flen, 5);
		if (nf != 4 && nf != 5) {
			why = "not 4 fields: category | key | values | technique (| sources)";
			rc = REGDIFF_EINVAL;
			break;
		}
		if (separator_row(f, flen, nf) || ascii_caseeq(f[0], flen[0], "category"))
			continue;
		trim(&f[0], &flen[0]);
		trim(&f[3], &flen[3]);
		const char *p, *keys = f[1];
		size_t plen, nkeys = flen[1];
		if (nkeys == 0) {
			why = "no key";
			rc = REGDIFF_EINVAL;
		}
		while (rc == 0 && next_pattern(&keys, &nkeys, &p, &plen)) {
			rc = regdiff__grow(&all, &cap, nall + 1, sizeof *all);
			if (rc < 0)
				break;
			/* Counted even when it fails, to be freed. */
			rc = compile(&all[nall++], f[0], flen[0], p, plen, f[2], flen[2], f[3],
				     flen[3], true, &why);
		}
	}
	if (rc == REGDIFF_EINVAL)
		rc = regdiff__error(rc, "%s:%zu: %s", name, line, why ? why : "bad row");
	for (size_t i = 0; rc == 0 && i < nall; i++)
		rc = add(L, &all[i]);
	for (size_t i = 0; i < nall; i++)
		compiled_free(&all[i]);
	free(all);
	return rc;
}

int regdiff_locations_load(regdiff_locations *L, const char *path)
{
	regdiff_error_clear();
	if (!L || !path)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_locations_load: NULL argument");
	size_t size;
	char *text;
	int rc = regdiff__os_read_text(path, "a table of locations", &text, &size);
	if (rc == 0)
		rc = regdiff_locations_parse(L, text, size, path);
	free(text);
	return rc;
}

/* ---- Matching ---- */

typedef struct query {
	const regdiff_locations *L;
	const regdiff_change *c;
	const uint16_t *key;
	size_t len;
	const size_t *ends; /* where the key's names end; NULL: at each '\' */
	size_t names;
	bool value_op;
	size_t best; /* the first matching rule in table order */
	/* regdiff__locations_under: each rule at or below the key is given
	 * to found (above it, only the best is) */
	void (*found)(void *ctx, const regdiff_persistence *p);
	void *found_ctx;
	/* The control sets <controlset> may name: the one Select\Current
	 * names on each side concerned, or any where that is unknown (0). */
	unsigned cs[2];
} query;

/* Whether value name v is name (upper-cased), followed by ASCII digits
 * or nothing when digits. */
static bool name_fits(const regdiff_name *name, bool digits, const regdiff_name *v)
{
	size_t n = name->len;
	if (!digits)
		return same_upcased(name->units, n, v->units, v->len);
	if (v->len < n || !same_upcased(name->units, n, v->units, n))
		return false;
	for (size_t i = n; i < v->len; i++)
		if (v->units[i] < '0' || v->units[i] > '9')
			return false;
	return true;
}

static bool rule_fits(const rule *r, const query *q)
{
	if (!q->value_op)
		return r->flags & (R_TREE | R_NEW_KEY);
	if (r->flags & (R_ANY_VALUE | R_TREE))
		return true;
	if ((r->flags & R_MODIFIED) && q->c->op != REGDIFF_VALUE_MODIFIED)
		return false;
	for (size_t i = 0; i < r->nnames; i++)
		if (name_fits(&r->names[i], r->digits[i], &q->c->value))
			return true;
	return false;
}

/* exact: the key is the node's own; else it is below it. */
static void check(const node *nd, query *q, bool exact)
{
	for (size_t i = 0; i < nd->nrules && nd->rules[i] < q->best; i++) {
		const rule *r = q->L->rules[nd->rules[i]];
		if (exact ? rule_fits(r, q) : (r->flags & R_TREE) != 0)
			q->best = nd->rules[i];
	}
}

static bool ends_classes(const uint16_t *s, size_t n)
{
	static const char suffix[] = "_CLASSES";
	size_t k = sizeof suffix - 1;
	if (n <= k)
		return false;
	for (size_t i = 0; i < k; i++)
		if (regdiff__upcase(s[n - k + i]) != (uint16_t)suffix[i])
			return false;
	return true;
}

static bool control_set(const query *q, const uint16_t *s, size_t n)
{
	static const char prefix[] = "CONTROLSET";
	size_t k = sizeof prefix - 1;
	if (n <= k)
		return false;
	for (size_t i = 0; i < k; i++)
		if (regdiff__upcase(s[i]) != (uint16_t)prefix[i])
			return false;
	unsigned number = 0;
	for (size_t i = k; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (number < 100000)
			number = number * 10 + (unsigned)(s[i] - '0');
	}
	return !q->cs[0] || !q->cs[1] || number == q->cs[0] || number == q->cs[1];
}

/* Every rule of node id and of the nodes below it. */
static void any_below(query *q, uint32_t id)
{
	const node *nd = &q->L->nodes[id];
	for (size_t i = 0; i < nd->nrules; i++)
		q->found(q->found_ctx, &q->L->rules[nd->rules[i]]->tag);
	for (size_t i = 0; i < nd->nlits; i++)
		any_below(q, nd->lits[i].node);
	for (int w = 0; w < W_COUNT; w++)
		if (nd->wild[w])
			any_below(q, nd->wild[w]);
}

/* Matches the key's names from the k-th, which starts at pos, at node
 * id. Names are taken where the key says they end: a '\\' inside a name
 * is part of it. */
static void visit(query *q, uint32_t id, size_t pos, size_t k)
{
	const node *nd = &q->L->nodes[id];
	if (q->ends ? k >= q->names : pos > q->len) {
		if (q->found)
			any_below(q, id);
		else
			check(nd, q, true);
		return;
	}
	if (nd->tree)
		check(nd, q, false);
	const uint16_t *s = q->key + pos;
	size_t n = 0;
	if (q->ends)
		n = q->ends[k] - pos;
	else
		while (pos + n < q->len && s[n] != '\\')
			n++;
	size_t next = pos + n + 1;
	/* The component is upper-cased once, when a child's name is as
	 * long, and then compared with each such child as bytes. */
	uint16_t up[COMPONENT_FAST];
	bool have_up = false;
	for (size_t i = 0; i < nd->nlits; i++) {
		const literal *l = &nd->lits[i];
		if (l->len != n)
			continue;
		if (n > COMPONENT_FAST) {
			if (same_upcased(l->name, n, s, n))
				visit(q, l->node, next, k + 1);
			continue;
		}
		if (!have_up) {
			for (size_t j = 0; j < n; j++)
				up[j] =
				    s[j] < 0x80
					? (uint16_t)(s[j] >= 'a' && s[j] <= 'z' ? s[j] - 32 : s[j])
					: regdiff__upcase(s[j]);
			have_up = true;
		}
		if (memcmp(l->name, up, n * sizeof *up) == 0)
			visit(q, l->node, next, k + 1);
	}
	if (nd->wild[W_ANY])
		visit(q, nd->wild[W_ANY], next, k + 1);
	if (nd->wild[W_USER] && !ends_classes(s, n))
		visit(q, nd->wild[W_USER], next, k + 1);
	if (nd->wild[W_CLASSES] && ends_classes(s, n))
		visit(q, nd->wild[W_CLASSES], next, k + 1);
	if (nd->wild[W_CONTROL_SET] && control_set(q, s, n))
		visit(q, nd->wild[W_CONTROL_SET], next, k + 1);
	if (nd->wild[W_PATH] && q->found)
		any_below(q, nd->wild[W_PATH]);
	else if (nd->wild[W_PATH])
		check(&q->L->nodes[nd->wild[W_PATH]], q, true);
}

static const regdiff_persistence *match(const regdiff_locations *L, const regdiff_change *c,
					const unsigned cs[2]);

const regdiff_persistence *regdiff_locations_match(const regdiff_locations *L,
						   const regdiff_change *c)
{
	static const unsigned any[2] = {0, 0};
	return match(L, c, any);
}

static const regdiff_persistence *match(const regdiff_locations *L, const regdiff_change *c,
					const unsigned cs[2])
{
	if (!L || !c || L->nrules == 0)
		return NULL;
	switch (c->op) {
	case REGDIFF_KEY_DELETED:
	case REGDIFF_KEY_ADDED:
	case REGDIFF_KEY_MODIFIED:
	case REGDIFF_VALUE_DELETED:
	case REGDIFF_VALUE_ADDED:
	case REGDIFF_VALUE_MODIFIED:
		break;
	default:
		return NULL;
	}
	if (c->key.len == 0)
		return NULL;
	query q = {
	    .L = L,
	    .c = c,
	    .key = c->key.units,
	    .len = c->key.len,
	    .value_op = c->op == REGDIFF_VALUE_DELETED || c->op == REGDIFF_VALUE_ADDED ||
			c->op == REGDIFF_VALUE_MODIFIED,
	    .best = NO_RULE,
	    /* A key deleted was in BEFORE's control set, one added is in
	     * AFTER's; a modified one in either. */
	    .cs = {c->op == REGDIFF_KEY_ADDED || c->op == REGDIFF_VALUE_ADDED ? cs[1] : cs[0],
		   c->op == REGDIFF_KEY_DELETED || c->op == REGDIFF_VALUE_DELETED ? cs[0] : cs[1]},
	};
	if (c->key_ends && c->key_count) {
		/* Ends must rise through the key and stop at its end. */
		size_t start = 0;
		for (size_t i = 0; i < c->key_count; i++) {
			if (c->key_ends[i] < start || c->key_ends[i] > c->key.len)
				return NULL;
			start = c->key_ends[i] + 1;
		}
		if (c->key_ends[c->key_count - 1] != c->key.len)
			return NULL;
		q.ends = c->key_ends;
		q.names = c->key_count;
	}
	visit(&q, 0, 0, 0);
	return q.best == NO_RULE ? NULL : &L->rules[q.best]->tag;
}

void regdiff__locations_under(const regdiff_locations *L, const uint16_t *key, size_t len,
			      void (*found)(void *ctx, const regdiff_persistence *p), void *ctx)
{
	if (!L || L->nrules == 0 || len == 0)
		return;
	query q = {
	    .L = L, .key = key, .len = len, .best = NO_RULE, .found = found, .found_ctx = ctx};
	visit(&q, 0, 0, 0);
	if (q.best != NO_RULE) /* a location above the key takes in its subkeys */
		found(ctx, &L->rules[q.best]->tag);
}

/* ---- A diff's tagging ---- */

void regdiff__persistence_init(regdiff__persistence *p, const regdiff_locations *locs)
{
	p->owned = NULL;
	p->locs = locs;
	p->cs[0] = p->cs[1] = 0;
}

int regdiff__persistence_tag(regdiff__persistence *p, regdiff_change *c)
{
	/* The built-in table is compiled for the first change, not for every
	 * diff: a compare that finds none never needs it. */
	if (!p->locs) {
		int rc = regdiff_locations_new(&p->owned, 0);
		if (rc < 0)
			return rc;
		p->locs = p->owned;
	}
	c->persistence = match(p->locs, c, p->cs);
	return 0;
}

void regdiff__persistence_fini(regdiff__persistence *p)
{
	regdiff_locations_free(p->owned);
	p->owned = NULL;
	p->locs = NULL;
}

int regdiff_diff_next_persistence(const regdiff_change **out, regdiff_diff *diff)
{
	int rc;
	while ((rc = regdiff_diff_next(out, diff)) == 0 && !(*out)->persistence)
		;
	return rc;
}

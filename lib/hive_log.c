/* Replaying transaction logs into a private copy of a dirty hive.
 *
 * Formats (msuhanov's "Windows registry file format specification"):
 * a log starts with a copy of the hive's base block (file type 1 or 2 for
 * the old format, 6 for the new); old-format logs (Vista/7) follow it with
 * a dirty vector ("DIRT" and one bit per 512-byte page of the hive bins)
 * and the dirty pages; new-format logs (Windows 8.1 and later) with HvLE
 * entries, each hashed with Marvin32 and numbered. Windows applies the
 * entries numbered from the hive's secondary sequence number on, across
 * .LOG1 and .LOG2, and stops at the first one that is missing or fails its
 * checks; we do the same and say where and why we stopped.
 *
 * Everything read here comes from files an attacker may have written:
 * every size and offset is checked against the mapped bytes before use,
 * and the copy is a sparse anonymous file, so a log that claims gigabytes
 * of hive bins costs nothing until written. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hive_log.h"
#include "osfile.h"

#define BASE_BLOCK 4096u
#define SECTOR 512u
#define LOG_OLD 1u
#define LOG_VERYOLD 2u
#define LOG_NEW 6u
/* Larger hive bins than this are refused: Windows' own limit is 2 GiB. */
#define MAX_HBINS 0x80000000u

typedef struct logfile {
	char *path;
	const char *name; /* base name, inside path */
	const uint8_t *map;
	size_t size;
	unsigned type; /* LOG_OLD or LOG_NEW once usable, else 0 */
	char problem[200];
} logfile;

typedef struct entry {
	const uint8_t *p;
	uint32_t size, seq, hbins, npages;
	size_t log;
} entry;

typedef struct bad_entry {
	int set;
	uint32_t seq;
	size_t off;
	const char *what;
} bad_entry;

typedef struct replay {
	const char *file;
	const uint8_t *map;
	size_t size;
	logfile logs[3];
	size_t nlogs;
	entry *entries;
	size_t nentries, cap;
	bad_entry bad[3];
	regdiff__buf reason;
} replay;

uint32_t regdiff__regf_checksum(const uint8_t *base)
{
	uint32_t x = 0;
	for (size_t i = 0; i < 508; i += 4)
		x ^= regdiff__get_u32(base + i);
	return x == 0 ? 1 : x == 0xffffffffu ? 0xfffffffeu : x;
}

static int checksum_ok(const uint8_t *base)
{
	return regdiff__regf_checksum(base) == regdiff__get_u32(base + 508);
}

/* ---- finding and loading the logs ---- */

/* Which log NAME is: 0 for base.LOG, 1 for .LOG1, 2 for .LOG2, matched
 * case-insensitively (images mounted on Linux keep whatever case Windows
 * wrote); -1 if none. */
static int log_slot(const char *name, const char *base, size_t blen)
{
	size_t n = strlen(name);
	if (n < blen + 4 || !regdiff__ascii_caseeq(name, base, blen) ||
	    !regdiff__ascii_caseeq(name + blen, ".LOG", 4))
		return -1;
	if (n == blen + 4)
		return 0;
	if (n == blen + 5 && (name[blen + 4] == '1' || name[blen + 4] == '2'))
		return name[blen + 4] - '0';
	return -1;
}

static void load_log(logfile *l)
{
	int fd;
	if (regdiff__os_open_read(l->path, &fd)) {
		snprintf(l->problem, sizeof l->problem, "cannot be read (%s)",
			 regdiff_error_message());
		return;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(l->problem, sizeof l->problem, "not a regular file");
		return;
	}
	l->size = (size_t)st.st_size;
	if (l->size) {
		void *m = mmap(NULL, l->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			snprintf(l->problem, sizeof l->problem, "cannot be mapped (%s)",
				 strerror(errno));
			l->size = 0;
		} else {
			l->map = m;
		}
	}
	close(fd);
}

static int find_logs(replay *r)
{
	const char *slash = strrchr(r->file, '/');
	const char *base = slash ? slash + 1 : r->file;
	size_t dlen = slash ? (size_t)(slash - r->file) : 0;
	/* The hive's folder: "." for a bare name, "/" for one at the root. */
	size_t keep = slash ? (dlen ? dlen : 1) : 0;
	char *dir = regdiff__malloc(keep + 2);
	if (!dir)
		return REGDIFF_ENOMEM;
	memcpy(dir, slash ? r->file : ".", slash ? keep : 1);
	dir[slash ? keep : 1] = '\0';
	DIR *d = opendir(dir);
	char *found[3] = {NULL, NULL, NULL};
	int rc = 0;
	size_t blen = strlen(base);
	for (struct dirent *e; d && !rc && (e = readdir(d));) {
		int slot = log_slot(e->d_name, base, blen);
		/* Two names differing only in case: take the first in byte
		 * order, so the choice never depends on the directory's. */
		if (slot < 0 || (found[slot] && strcmp(found[slot], e->d_name) <= 0))
			continue;
		free(found[slot]);
		if (!(found[slot] = regdiff__strdup(e->d_name)))
			rc = REGDIFF_ENOMEM;
	}
	if (d)
		closedir(d);
	for (int s = 0; s < 3; s++) {
		if (!rc && found[s]) {
			logfile *l = &r->logs[r->nlogs];
			regdiff__buf p = {0};
			rc = slash ? regdiff__buf_printf(&p, "%.*s/%s%c", (int)dlen, r->file,
							 found[s], 0)
				   : regdiff__buf_printf(&p, "%s%c", found[s], 0);
			if (!rc) {
				l->path = (char *)p.data;
				l->name =
				    strrchr(l->path, '/') ? strrchr(l->path, '/') + 1 : l->path;
				r->nlogs++;
				load_log(l);
			}
		}
		free(found[s]);
	}
	free(dir);
	return rc;
}

/* Is the log usable at all? Sets type, or problem. */
static void classify(logfile *l)
{
	if (l->problem[0])
		return;
	const uint8_t *b = l->map;
	if (l->size == 0)
		snprintf(l->problem, sizeof l->problem, "empty");
	else if (l->size < SECTOR || memcmp(b, "regf", 4) != 0)
		snprintf(l->problem, sizeof l->problem, "not a transaction log (no base block)");
	else if (!checksum_ok(b))
		snprintf(l->problem, sizeof l->problem, "its base block checksum is wrong");
	else if (regdiff__get_u32(b + 4) != regdiff__get_u32(b + 8))
		snprintf(l->problem, sizeof l->problem,
			 "it was not completely written (sequence numbers %u/%u)",
			 regdiff__get_u32(b + 4), regdiff__get_u32(b + 8));
	else if (regdiff__get_u32(b + 28) == LOG_NEW)
		l->type = LOG_NEW;
	else if (regdiff__get_u32(b + 28) == LOG_OLD || regdiff__get_u32(b + 28) == LOG_VERYOLD) {
		if (l->size < SECTOR + 4 || memcmp(b + SECTOR, "DIRT", 4) != 0)
			snprintf(l->problem, sizeof l->problem,
				 "its dirty vector is damaged (no 'DIRT' signature)");
		else
			l->type = LOG_OLD;
	} else
		snprintf(l->problem, sizeof l->problem, "unknown log file type %u",
			 regdiff__get_u32(b + 28));
}

/* ---- new format ---- */

/* Why the HvLE entry at p (avail bytes left in the file) is unusable, or
 * NULL. */
static const char *entry_problem(const uint8_t *p, size_t avail)
{
	uint32_t size = regdiff__get_u32(p + 4), hbins = regdiff__get_u32(p + 16);
	uint32_t npages = regdiff__get_u32(p + 20);
	if (size < SECTOR || size % SECTOR || size > avail)
		return "its size is wrong or runs past the file";
	if (regdiff__marvin32(p, 32, REGDIFF__HVLE_SEED) != regdiff__get_u64(p + 32))
		return "its header hash is wrong";
	if (regdiff__marvin32(p + 40, size - 40, REGDIFF__HVLE_SEED) != regdiff__get_u64(p + 24))
		return "its data hash is wrong";
	if (hbins < BASE_BLOCK || hbins % BASE_BLOCK || hbins > MAX_HBINS)
		return "its hive bins data size is wrong";
	if (npages == 0 || npages > (size - 40) / 8)
		return "its dirty page count is wrong";
	uint64_t data = 0;
	for (uint32_t i = 0; i < npages; i++) {
		uint32_t off = regdiff__get_u32(p + 40 + 8 * i),
			 len = regdiff__get_u32(p + 44 + 8 * i);
		if (len == 0 || len % SECTOR || off % SECTOR || (uint64_t)off + len > hbins)
			return "a dirty page lies outside its hive bins";
		data += len;
	}
	if (data > size - 40 - 8 * (uint64_t)npages)
		return "its dirty pages run past it";
	return NULL;
}

static int parse_entries(replay *r, size_t li)
{
	logfile *l = &r->logs[li];
	for (size_t off = SECTOR; l->size - off >= 40;) {
		const uint8_t *p = l->map + off;
		if (memcmp(p, "HvLE", 4) != 0)
			break; /* the end of the entries written */
		const char *why = entry_problem(p, l->size - off);
		if (why) {
			r->bad[li] = (bad_entry){1, regdiff__get_u32(p + 12), off, why};
			break;
		}
		int rc = regdiff__grow(&r->entries, &r->cap, r->nentries + 1, sizeof *r->entries);
		if (rc)
			return rc;
		uint32_t size = regdiff__get_u32(p + 4);
		r->entries[r->nentries++] = (entry){p,
						    size,
						    regdiff__get_u32(p + 12),
						    regdiff__get_u32(p + 16),
						    regdiff__get_u32(p + 20),
						    li};
		off += size;
	}
	return 0;
}

/* Entries sorted by number (then .LOG, .LOG1, .LOG2 and file order), so
 * that each step of replay is a binary search: a forged log of millions of
 * entries must not make it quadratic. */
static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	if (x->log != y->log)
		return x->log < y->log ? -1 : 1;
	return x->p < y->p ? -1 : x->p > y->p;
}

static const entry *find_entry(const replay *r, uint32_t seq)
{
	size_t lo = 0, hi = r->nentries;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->entries[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nentries && r->entries[lo].seq == seq ? &r->entries[lo] : NULL;
}

/* ---- writing the copy ---- */

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return regdiff__error(REGDIFF_EIO, "cannot write the replayed hive: %s",
					      strerror(n < 0 ? errno : EIO));
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int regdiff__hive_anon_file(int *fd, uint64_t size)
{
	*fd = memfd_create("regdiff-hive", MFD_CLOEXEC);
	if (*fd < 0) {
		int rc = regdiff__os_anon_tempfile(fd);
		if (rc)
			return rc;
	}
	if (ftruncate(*fd, (off_t)size) != 0) {
		int rc = regdiff__error(REGDIFF_EIO, "cannot size a private copy of the hive: %s",
					strerror(errno));
		close(*fd);
		*fd = -1;
		return rc;
	}
	return 0;
}

/* A private anonymous copy of the primary, size at least min_size. */
static int make_copy(const replay *r, uint64_t min_size, int *fd)
{
	uint64_t size = r->size > min_size ? r->size : min_size;
	int rc = regdiff__hive_anon_file(fd, size);
	if (!rc)
		rc = pwrite_all(*fd, r->map, r->size, 0);
	if (rc && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

/* The repaired base block: header is the primary's (or, when that is
 * damaged, the log's copy), with the replayed state. */
static int write_base_block(int fd, const uint8_t *header, uint32_t seq, uint32_t hbins)
{
	uint8_t b[SECTOR];
	memcpy(b, header, SECTOR);
	regdiff__put_u32(b + 4, seq);
	regdiff__put_u32(b + 8, seq);
	regdiff__put_u32(b + 28, 0);
	regdiff__put_u32(b + 40, hbins);
	regdiff__put_u32(b + 508, regdiff__regf_checksum(b));
	return pwrite_all(fd, b, SECTOR, 0);
}

static int add_file(regdiff__buf *b, const char *name)
{
	for (size_t i = 0; i + strlen(name) <= b->len; i++)
		if (memcmp(b->data + i, name, strlen(name)) == 0 &&
		    (i + strlen(name) == b->len || b->data[i + strlen(name)] == ','))
			return 0;
	return regdiff__buf_printf(b, "%s%s", b->len ? ", " : "", name);
}

/* Applies the new-format entries that continue the hive. *applied is set
 * when at least one was. */
static int replay_new(replay *r, regdiff__logs *out, int *fd)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < r->nlogs; i++)
		if (r->logs[i].type == LOG_NEW)
			rc = parse_entries(r, i);
	if (rc)
		return rc;
	if (r->nentries > 1)
		qsort(r->entries, r->nentries, sizeof *r->entries, cmp_entry);
	/* A damaged base block is taken from the newest log's copy, and
	 * replay starts where that copy says. */
	const uint8_t *header = r->map;
	uint32_t start = regdiff__get_u32(r->map + 8);
	if (!checksum_ok(r->map)) {
		header = NULL;
		for (size_t i = 0; i < r->nlogs; i++) {
			const uint8_t *b = r->logs[i].map;
			if (r->logs[i].type == LOG_NEW &&
			    (!header || (int32_t)(regdiff__get_u32(b + 4) - start) > 0)) {
				header = b;
				start = regdiff__get_u32(b + 4);
			}
		}
	}
	uint32_t next = start, hbins = regdiff__get_u32(header + 40);
	uint64_t end = 0;
	regdiff__buf files = {0};
	for (const entry *e; (e = find_entry(r, next)); next++) {
		uint64_t need = (uint64_t)BASE_BLOCK + e->hbins;
		end = need > end ? need : end;
		if (out->entries == 0)
			rc = make_copy(r, end, fd);
		else if (end > r->size && ftruncate(*fd, (off_t)end) != 0)
			rc = regdiff__error(REGDIFF_EIO, "cannot grow the replayed hive: %s",
					    strerror(errno));
		const uint8_t *data = e->p + 40 + 8 * (size_t)e->npages;
		for (uint32_t i = 0; !rc && i < e->npages; i++) {
			uint32_t off = regdiff__get_u32(e->p + 40 + 8 * i);
			uint32_t len = regdiff__get_u32(e->p + 44 + 8 * i);
			rc = pwrite_all(*fd, data, len, (uint64_t)BASE_BLOCK + off);
			data += len;
		}
		if (!rc)
			rc = add_file(&files, r->logs[e->log].name);
		if (rc)
			break;
		out->entries++;
		out->pages += e->npages;
		hbins = e->hbins;
		out->sequence = next;
	}
	if (!rc && out->entries)
		rc = write_base_block(*fd, header, out->sequence, hbins);
	/* Why it stopped: a damaged entry where the next one should be, a gap
	 * before later entries, or logs older than the hive. */
	const bad_entry *bad = NULL;
	const entry *later = NULL;
	uint32_t newest = 0;
	for (size_t i = 0; i < r->nlogs; i++)
		if (r->bad[i].set && r->bad[i].seq == next && !bad)
			bad = &r->bad[i];
	for (size_t i = 0; i < r->nentries; i++) {
		const entry *e = &r->entries[i];
		if ((int32_t)(e->seq - next) > 0 && (!later || (int32_t)(e->seq - later->seq) < 0))
			later = e;
		if (i == 0 || (int32_t)(e->seq - newest) > 0)
			newest = e->seq;
	}
	if (!rc && bad)
		rc = regdiff__buf_printf(&r->reason, "%s: log entry %u (at 0x%zx) is damaged: %s",
					 r->logs[bad - r->bad].name, bad->seq, bad->off, bad->what);
	else if (!rc && later)
		rc = regdiff__buf_printf(&r->reason,
					 "no log entry %u, the logs go on at entry %u in %s", next,
					 later->seq, r->logs[later->log].name);
	else if (!rc && !out->entries && r->nentries)
		rc = regdiff__buf_printf(&r->reason,
					 "the logs are stale: their newest entry is %u, the hive "
					 "needs %u",
					 newest, next);
	else if (!rc && !out->entries)
		rc = regdiff__buf_printf(&r->reason, "the logs hold no entries");
	if (!rc && out->entries) {
		out->files = (char *)files.data;
		files.data = NULL;
		if (!out->files && !(out->files = regdiff__strdup("")))
			rc = REGDIFF_ENOMEM;
	}
	regdiff__buf_free(&files);
	return rc;
}

/* ---- old format ---- */

static uint64_t primary_time(const uint8_t *map)
{
	/* A damaged base block's time cannot be trusted; the first hive bin
	 * keeps a copy. */
	return checksum_ok(map) ? regdiff__get_u64(map + 12)
				: regdiff__get_u64(map + BASE_BLOCK + 20);
}

/* Checks an old-format log against the primary; sets problem if it does
 * not apply, else the number of dirty pages and where they start. */
static void check_old(const replay *r, logfile *l, uint32_t *npages, size_t *pages_at)
{
	const uint8_t *b = l->map;
	uint32_t hbins = regdiff__get_u32(b + 40);
	if (regdiff__get_u64(b + 12) < primary_time(r->map)) {
		snprintf(l->problem, sizeof l->problem, "it is older than the hive");
		return;
	}
	if (hbins < BASE_BLOCK || hbins % BASE_BLOCK || hbins > MAX_HBINS) {
		snprintf(l->problem, sizeof l->problem, "its hive bins data size %u is wrong",
			 hbins);
		return;
	}
	size_t bytes = hbins / SECTOR / 8, at = SECTOR + 4;
	if (l->size - at < bytes) {
		snprintf(l->problem, sizeof l->problem, "its dirty vector is truncated");
		return;
	}
	uint32_t n = 0;
	for (size_t i = 0; i < bytes; i++)
		n += (uint32_t)__builtin_popcount(b[at + i]);
	*pages_at = (at + bytes + SECTOR - 1) / SECTOR * SECTOR;
	if (*pages_at > l->size || (l->size - *pages_at) / SECTOR < n) {
		snprintf(l->problem, sizeof l->problem,
			 "it is truncated (it should hold %u dirty pages)", n);
		return;
	}
	*npages = n;
}

static int replay_old(replay *r, regdiff__logs *out, int *fd)
{
	logfile *best = NULL;
	uint32_t npages = 0, n = 0;
	size_t pages_at = 0, at = 0;
	for (size_t i = 0; i < r->nlogs; i++) {
		logfile *l = &r->logs[i];
		if (l->type != LOG_OLD)
			continue;
		check_old(r, l, &n, &at);
		if (!l->problem[0] &&
		    (!best || regdiff__get_u64(l->map + 12) > regdiff__get_u64(best->map + 12))) {
			best = l;
			npages = n;
			pages_at = at;
		}
	}
	if (!best)
		return 0;
	const uint8_t *b = best->map, *vec = b + SECTOR + 4, *page = b + pages_at;
	uint32_t hbins = regdiff__get_u32(b + 40);
	int rc = make_copy(r, (uint64_t)BASE_BLOCK + hbins, fd);
	for (uint32_t bit = 0; !rc && bit < hbins / SECTOR; bit++)
		if (vec[bit / 8] & (1u << (bit % 8))) {
			rc = pwrite_all(*fd, page, SECTOR,
					(uint64_t)BASE_BLOCK + (uint64_t)bit * SECTOR);
			page += SECTOR;
		}
	/* The log's base block is the state the pages belong to. */
	out->sequence = regdiff__get_u32(b + 4);
	if (!rc)
		rc = write_base_block(*fd, b, out->sequence, hbins);
	out->entries = 1;
	out->pages = npages;
	if (!rc && !(out->files = regdiff__strdup(best->name)))
		rc = REGDIFF_ENOMEM;
	return rc;
}

/* ---- the whole ---- */

static int describe_unusable(replay *r)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < r->nlogs; i++)
		if (r->logs[i].problem[0])
			rc = regdiff__buf_printf(&r->reason, "%s%s: %s", r->reason.len ? "; " : "",
						 r->logs[i].name, r->logs[i].problem);
	return rc;
}

static int run(replay *r, regdiff__logs *out, int *fd)
{
	int rc = find_logs(r);
	if (rc)
		return rc;
	if (r->nlogs == 0) {
		out->state = REGDIFF_LOGS_NONE;
		return regdiff__buf_printf(&r->reason, "no transaction logs beside it");
	}
	int have_new = 0, have_old = 0;
	for (size_t i = 0; i < r->nlogs; i++) {
		classify(&r->logs[i]);
		have_new |= r->logs[i].type == LOG_NEW;
		have_old |= r->logs[i].type == LOG_OLD;
	}
	if (have_new)
		rc = replay_new(r, out, fd);
	if (!rc && !out->entries && have_old) {
		rc = replay_old(r, out, fd);
		if (out->entries)
			r->reason.len = 0;
	}
	if (!rc && !out->entries) {
		rc = describe_unusable(r);
		regdiff__buf files = {0};
		for (size_t i = 0; !rc && i < r->nlogs; i++)
			rc = add_file(&files, r->logs[i].name);
		out->files = (char *)files.data;
	}
	out->state = out->entries ? REGDIFF_LOGS_APPLIED : REGDIFF_LOGS_NOT_APPLIED;
	return rc;
}

int regdiff__hive_logs_replay(regdiff__logs *out, int *fd, const char *file, const uint8_t *map,
			      size_t size, int mode)
{
	memset(out, 0, sizeof *out);
	*fd = -1;
	/* Not a primary file: the caller says what it is instead. */
	if (size < 2 * BASE_BLOCK || memcmp(map, "regf", 4) != 0 || regdiff__get_u32(map + 28) != 0)
		return 0;
	uint32_t seq1 = regdiff__get_u32(map + 4), seq2 = regdiff__get_u32(map + 8);
	int bad_sum = !checksum_ok(map);
	out->sequence = seq1;
	if (!bad_sum && seq1 == seq2)
		return 0;
	replay r = {.file = file, .map = map, .size = size};
	int rc = 0;
	if (mode == REGDIFF_LOGS_OFF) {
		out->state = REGDIFF_LOGS_IGNORED;
		rc = regdiff__buf_printf(&r.reason, "log replay turned off");
	} else {
		rc = run(&r, out, fd);
	}
	if (!rc && !out->files && !(out->files = regdiff__strdup("")))
		rc = REGDIFF_ENOMEM;
	if (!rc && regdiff__buf_putc(&r.reason, 0))
		rc = REGDIFF_ENOMEM;
	if (!rc) {
		out->reason = (char *)r.reason.data;
		r.reason.data = NULL;
	}
	if (!rc && mode == REGDIFF_LOGS_REQUIRE && out->state != REGDIFF_LOGS_APPLIED) {
		if (bad_sum)
			rc = regdiff__error(
			    REGDIFF_EHIVE,
			    "%s: dirty hive (damaged base block) and its logs cannot "
			    "be applied: %s",
			    file, out->reason);
		else
			rc = regdiff__error(REGDIFF_EHIVE,
					    "%s: dirty hive (sequence numbers %u/%u) and its logs "
					    "cannot be applied: %s",
					    file, seq1, seq2, out->reason);
	}
	for (size_t i = 0; i < r.nlogs; i++) {
		if (r.logs[i].map)
			munmap((void *)r.logs[i].map, r.logs[i].size);
		free(r.logs[i].path);
	}
	free(r.entries);
	regdiff__buf_free(&r.reason);
	if (rc) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		regdiff__logs_clear(out);
	}
	return rc;
}

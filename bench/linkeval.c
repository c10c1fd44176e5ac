/*
 * bench/linkeval.c — precision, recall and F1 of a record linker's pairs
 * against the truth (bench/link.sh):
 *
 *   build/bench/linkeval [--dedup] [--min-score X] PAIRS TRUTH
 *
 * PAIRS is `razem link`'s output, id_a,id_b,score (a header line, the
 * score optional); TRUTH a CSV of true pairs, id_1,id_2 (FEBRL's
 * rec_id_1,rec_id_2, or bench/linkgen's truth files). A first line
 * starting with "id" or "rec_id" is a header and skipped; CRLF, a BOM,
 * quotes and spaces around fields are accepted.
 *
 * The truth is taken as clusters (its transitive closure: a-b and b-c make
 * a-c true too), so a truth listing only each duplicate's pair with its
 * original still counts every pair of the cluster. Linking two files (the
 * default), the first column is a record of the first file and the second
 * of the second: ids of the two files may be equal, and only cross pairs
 * count. With --dedup both columns are records of one file and a pair is
 * unordered. A pair given twice counts once; a record paired with itself
 * is ignored.
 *
 * Prints, one "name value" a line: true pairs, pairs found, true
 * positives, false positives, false negatives, precision, recall, F1.
 * Exit 0, 1 on an unreadable or malformed file, 2 on wrong usage.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 256

/* ------------------------------------------------------------------ */
/* Records: (side, id) interned to indexes, with union-find over truth  */
/* ------------------------------------------------------------------ */

struct records {
	uint32_t *slot;           /* open addressing: index + 1, 0 = empty */
	size_t cap;               /* slots, a power of two */
	char **key;               /* by index: the side digit, then the id */
	uint32_t *parent;         /* union-find */
	size_t n, max;
};

static uint64_t hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static size_t slot_of(const struct records *t, const char *key)
{
	size_t at = hash_key(key) & (t->cap - 1);

	while (t->slot[at] != 0 && strcmp(t->key[t->slot[at] - 1], key) != 0)
		at = (at + 1) & (t->cap - 1);
	return at;
}

/* grow() doubles the slots and the per-record arrays. */
static int grow(struct records *t)
{
	size_t cap = t->cap ? t->cap * 2 : (size_t)1 << 16, i;
	uint32_t *old = t->slot;
	char **key = realloc(t->key, cap / 2 * sizeof(*key));
	uint32_t *parent = realloc(t->parent, cap / 2 * sizeof(*parent));

	if (key != NULL)
		t->key = key;
	if (parent != NULL)
		t->parent = parent;
	t->slot = calloc(cap, sizeof(*t->slot));
	if (t->slot == NULL || key == NULL || parent == NULL) {
		free(t->slot);
		t->slot = old;
		return -1;
	}
	free(old);
	t->cap = cap;
	t->max = cap / 2;
	for (i = 0; i < t->n; i++)
		t->slot[slot_of(t, t->key[i])] = (uint32_t)i + 1;
	return 0;
}

/* record() is the index of (side, id): added when add is set; -1 when unknown or out of memory. */
static int64_t record(struct records *t, int side, const char *id, int add)
{
	char key[KEY_MAX];
	size_t at;

	snprintf(key, sizeof(key), "%c%s", '0' + side, id);
	if (add && t->n + 1 > t->max && grow(t) != 0)
		return -1;
	if (t->cap == 0)
		return -1;
	at = slot_of(t, key);
	if (t->slot[at] != 0)
		return t->slot[at] - 1;
	if (!add)
		return -1;
	t->key[t->n] = strdup(key);
	if (t->key[t->n] == NULL)
		return -1;
	t->parent[t->n] = (uint32_t)t->n;
	t->slot[at] = (uint32_t)++t->n;
	return (int64_t)t->n - 1;
}

static uint32_t root(struct records *t, uint32_t i)
{
	while (t->parent[i] != i) {
		t->parent[i] = t->parent[t->parent[i]];
		i = t->parent[i];
	}
	return i;
}

static void join(struct records *t, uint32_t a, uint32_t b)
{
	a = root(t, a);
	b = root(t, b);
	if (a != b)
		t->parent[a < b ? b : a] = a < b ? a : b;
}

static void records_free(struct records *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->key[i]);
	free(t->key);
	free(t->parent);
	free(t->slot);
}

/* ------------------------------------------------------------------ */
/* Pairs found: a set of (record, record)                               */
/* ------------------------------------------------------------------ */

struct pair_set {
	uint64_t *slot;           /* (a + 1) << 32 | (b + 1); 0 = empty */
	size_t cap, n;
};

static int pair_add(struct pair_set *s, uint32_t a, uint32_t b)
{
	uint64_t v = (uint64_t)(a + 1) << 32 | (uint64_t)(b + 1), h;
	size_t at, i;

	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : (size_t)1 << 16;
		uint64_t *slot = calloc(cap, sizeof(*slot));

		if (slot == NULL)
			return -1;
		for (i = 0; i < s->cap; i++) {
			if (s->slot[i] == 0)
				continue;
			h = s->slot[i] * 0x9e3779b97f4a7c15ULL;
			for (at = (size_t)(h >> 20) & (cap - 1); slot[at] != 0; at = (at + 1) & (cap - 1))
				;
			slot[at] = s->slot[i];
		}
		free(s->slot);
		s->slot = slot;
		s->cap = cap;
	}
	h = v * 0x9e3779b97f4a7c15ULL;
	for (at = (size_t)(h >> 20) & (s->cap - 1); s->slot[at] != 0; at = (at + 1) & (s->cap - 1))
		if (s->slot[at] == v)
			return 0;
	s->slot[at] = v;
	s->n++;
	return 1;
}

/* ------------------------------------------------------------------ */
/* CSV                                                                  */
/* ------------------------------------------------------------------ */

/* trim() strips spaces, tabs, line ends and surrounding quotes in place. */
static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = '\0';
		s++;
	}
	return s;
}

/* split() cuts line at commas into at most max fields; returns how many. */
static int split(char *line, char **field, int max)
{
	int n = 0;

	while (n < max) {
		char *comma = strchr(line, ',');

		if (comma != NULL)
			*comma = '\0';
		field[n++] = trim(line);
		if (comma == NULL)
			break;
		line = comma + 1;
	}
	return n;
}

static int is_header(const char *line)
{
	return strncmp(line, "id", 2) == 0 || strncmp(line, "rec_id", 6) == 0 || strncmp(line, "\"id", 3) == 0;
}

/* Reading one file: each data line's two ids (and the score) go to a callback. */
typedef int (*row_fn)(void *ctx, const char *a, const char *b, double score);

static int read_pairs(const char *path, row_fn fn, void *ctx)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int rc = 0;

	if (f == NULL) {
		fprintf(stderr, "linkeval: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
		char *text = line, *field[3], *end;
		double score = 1;
		int n;

		lineno++;
		if (lineno == 1 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
			text += 3;
		if ((lineno == 1 && is_header(text)) || trim(text)[0] == '\0')
			continue;
		n = split(text, field, 3);
		if (n >= 3 && field[2][0] != '\0') {
			errno = 0;
			score = strtod(field[2], &end);
			if (errno != 0 || *end != '\0')
				n = 0;
		}
		if (n < 2 || field[0][0] == '\0' || field[1][0] == '\0' || strlen(field[0]) >= KEY_MAX - 1 ||
		    strlen(field[1]) >= KEY_MAX - 1) {
			fprintf(stderr, "linkeval: %s:%ld: expected id,id[,score]\n", path, lineno);
			rc = -1;
			break;
		}
		rc = fn(ctx, field[0], field[1], score);
	}
	if (rc == 0 && ferror(f)) {
		fprintf(stderr, "linkeval: reading %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                           */
/* ------------------------------------------------------------------ */

struct eval {
	struct records rec;
	struct pair_set found;
	int dedup;
	double min_score;
	int64_t true_pairs, tp, fp, below;
};

static int truth_row(void *ctx, const char *a, const char *b, double score)
{
	struct eval *e = ctx;
	int64_t x = record(&e->rec, 0, a, 1), y = record(&e->rec, e->dedup ? 0 : 1, b, 1);

	(void)score;
	if (x < 0 || y < 0) {
		fprintf(stderr, "linkeval: out of memory\n");
		return -1;
	}
	join(&e->rec, (uint32_t)x, (uint32_t)y);
	return 0;
}

static int found_row(void *ctx, const char *a, const char *b, double score)
{
	struct eval *e = ctx;
	int64_t x, y;
	int added;

	if (score < e->min_score) {
		e->below++;
		return 0;
	}
	/* a record the truth does not know is a cluster of its own: add it, unjoined */
	x = record(&e->rec, 0, a, 1);
	y = record(&e->rec, e->dedup ? 0 : 1, b, 1);
	if (x < 0 || y < 0)
		return fprintf(stderr, "linkeval: out of memory\n"), -1;
	if (x == y)
		return 0;
	if (e->dedup && x > y) {
		int64_t t = x;

		x = y;
		y = t;
	}
	added = pair_add(&e->found, (uint32_t)x, (uint32_t)y);
	if (added < 0)
		return fprintf(stderr, "linkeval: out of memory\n"), -1;
	if (added && root(&e->rec, (uint32_t)x) == root(&e->rec, (uint32_t)y))
		e->tp++;
	else if (added)
		e->fp++;
	return 0;
}

/* count_true_pairs() is the pairs the truth's clusters hold: C(k, 2), or |side 0| × |side 1| linking. */
static int count_true_pairs(struct eval *e)
{
	size_t n = e->rec.n, i;
	uint32_t *count = calloc(n * 2 + 1, sizeof(*count));

	if (count == NULL)
		return -1;
	for (i = 0; i < n; i++)
		count[root(&e->rec, (uint32_t)i) * 2 + (size_t)(e->rec.key[i][0] - '0')]++;
	e->true_pairs = 0;
	for (i = 0; i < n; i++) {
		int64_t s0 = count[i * 2], s1 = count[i * 2 + 1];

		e->true_pairs += e->dedup ? s0 * (s0 - 1) / 2 : s0 * s1;
	}
	free(count);
	return 0;
}

static double ratio(int64_t a, int64_t b)
{
	return b > 0 ? (double)a / (double)b : 0;
}

static void print_result(const struct eval *e)
{
	double p = ratio(e->tp, e->tp + e->fp), r = ratio(e->tp, e->true_pairs);

	printf("true_pairs %lld\n", (long long)e->true_pairs);
	printf("found %lld\n", (long long)(e->tp + e->fp));
	printf("true_positives %lld\n", (long long)e->tp);
	printf("false_positives %lld\n", (long long)e->fp);
	printf("false_negatives %lld\n", (long long)(e->true_pairs - e->tp));
	printf("precision %.4f\n", p);
	printf("recall %.4f\n", r);
	printf("f1 %.4f\n", p + r > 0 ? 2 * p * r / (p + r) : 0);
	if (e->below > 0)
		printf("below_min_score %lld\n", (long long)e->below);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: linkeval [--dedup] [--min-score X] PAIRS TRUTH\n"
		   "Precision, recall and F1 of PAIRS (id_a,id_b,score as razem link writes) against TRUTH\n"
		   "(id_1,id_2 pairs, taken as clusters). Without --dedup, id_a is a record of the first file\n"
		   "and id_b of the second; with --dedup both of one file, pairs unordered.\n"
		   "  --min-score X   count only pairs scored X or more\n");
}

int main(int argc, char **argv)
{
	struct eval e;
	const char *files[2];
	int i, nfiles = 0, rc;

	memset(&e, 0, sizeof(e));
	for (i = 1; i < argc; i++) {
		char *end;

		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--dedup") == 0) {
			e.dedup = 1;
		} else if (strcmp(argv[i], "--min-score") == 0 && i + 1 < argc) {
			errno = 0;
			e.min_score = strtod(argv[++i], &end);
			if (errno != 0 || *end != '\0' || end == argv[i]) {
				fprintf(stderr, "linkeval: --min-score: expected a number\n");
				return 2;
			}
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "linkeval: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		} else if (nfiles < 2) {
			files[nfiles++] = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (nfiles != 2) {
		usage(stderr);
		return 2;
	}
	/* the truth first: its clusters must be known when a pair found is judged */
	rc = read_pairs(files[1], truth_row, &e);
	if (rc == 0)
		rc = read_pairs(files[0], found_row, &e);
	if (rc == 0 && count_true_pairs(&e) != 0) {
		fprintf(stderr, "linkeval: out of memory\n");
		rc = -1;
	}
	if (rc == 0)
		print_result(&e);
	records_free(&e.rec);
	free(e.found.slot);
	return rc == 0 ? 0 : 1;
}

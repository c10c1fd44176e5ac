/*
 * cli_link.c — razem link: record linkage from the command line.
 *
 * The options are read once (link_cli_parse) for every mode; the file mode
 * (link_files: deduplicate one CSV or link two, pairs to standard output)
 * is a function of its own, and so will be the database mode (--db), which
 * the database linker adds here; until it does, --db without files is a
 * usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/str.h"
#include "link/link.h"

/* What the command line said, for every mode. */
struct link_cli {
	struct link_spec spec[2]; /* of FILE and FILE2 (the same when --columns is given once) */
	int nspec;
	double threshold; /* upper, -1 = from the score distribution */
	const char *review;
	const char *model; /* --model FILE: where to write the estimated model */
	int stats;
	struct csv_opts csv;
	struct link_opts lo;
};

/* link_cli_number() reads option key as a number in [lo, hi] into *out (unchanged when absent). */
static int link_cli_number(struct cli *c, const char *key, double lo, double hi, double *out)
{
	const char *v = cli_opt(c, key);
	char *end;
	double x;

	if (v == NULL)
		return 0;
	errno = 0;
	x = strtod(v, &end);
	if (end == v || *end != '\0' || errno != 0 || !(x >= lo && x <= hi))
		return cli_usage(c, "--%s: '%s' is not a number from %g to %g", key, v, lo, hi);
	*out = x;
	return 0;
}

/* link_cli_parse() reads the options shared by the modes; 0, or the exit status (2) after the message. */
static int link_cli_parse(struct cli *c, struct link_cli *o)
{
	const char *v, *specs[3];
	char err[256];
	double block_max = 0, threads = 0;
	int rc, i;

	memset(o, 0, sizeof(*o));
	o->threshold = -1;
	o->nspec = cli_opts(c, "columns", specs, 3);
	if (o->nspec > 2)
		return cli_usage(c, "--columns: at most two (one for each file)");
	for (i = 0; i < o->nspec; i++)
		if (link_spec_parse(specs[i], &o->spec[i], err, sizeof(err)) != 0)
			return cli_usage(c, "--columns: %s", err);
	if (o->nspec == 1)
		o->spec[1] = o->spec[0];
	if ((rc = link_cli_number(c, "threshold", 0, 1, &o->threshold)) != 0 ||
		(rc = link_cli_number(c, "block-max", 1, 1e9, &block_max)) != 0 ||
		(rc = link_cli_number(c, "threads", 1, 2, &threads)) != 0)
		return rc;
	o->lo.block_max = (size_t)block_max;
	o->lo.threads = (int)threads;
	o->review = cli_opt(c, "review");
	o->model = cli_opt(c, "model");
	o->stats = cli_flag(c, "stats");
	if ((v = cli_opt(c, "encoding")) != NULL && csv_parse_encoding(v, &o->csv.encoding) != 0)
		return cli_usage(c, "--encoding: '%s' is not utf-8, windows-1250, iso-8859-2 or auto", v);
	if ((v = cli_opt(c, "separator")) != NULL) {
		if (strcmp(v, "tab") == 0)
			v = "\t";
		if (strlen(v) != 1 || strchr(",;\t", v[0]) == NULL)
			return cli_usage(c, "--separator: '%s' is not ',', ';' or tab", v);
		o->csv.sep = v[0];
	}
	return 0;
}

/* ---- reading the files ---- */

/* One open input: the reader and the column of each role. */
struct link_input {
	const char *path;
	const struct link_spec *spec;
	int fd;
	struct csv *csv;
	int col[LINK_ROLE__MAX]; /* -1 = not mapped */
	long rows, bad, bad_dates;
};

/* trimmed() copies field s without surrounding blanks into out (FEBRL writes ", " between fields). */
static const char *trimmed(const char *s, char *out, size_t outlen)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

/* input_header() reads the header and finds the SPEC's columns: 0, 1 (unreadable) or 2 (a column missing). */
static int input_header(struct cli *c, struct link_input *in)
{
	struct csv_record r;
	char name[256];
	int role, rc;
	size_t i;

	rc = csv_next(in->csv, &r);
	if (rc == CSV_ERROR || rc == CSV_BAD)
		return cli_fail(c, "%s: %s", in->path, csv_error(in->csv));
	if (rc == CSV_DONE)
		return cli_fail(c, "%s: the file is empty (a header line is needed)", in->path);
	for (role = 0; role < LINK_ROLE__MAX; role++) {
		in->col[role] = -1;
		if (in->spec->column[role] == NULL)
			continue;
		for (i = 0; i < r.n && in->col[role] < 0; i++)
			if (strcmp(trimmed(r.field[i], name, sizeof(name)), in->spec->column[role]) == 0)
				in->col[role] = (int)i;
		if (in->col[role] < 0)
			return cli_usage(c, "--columns: %s has no column '%s' (for %s)", in->path, in->spec->column[role],
				link_role_name((enum link_role)role));
	}
	return 0;
}

/* The trimmed text of each role of one row (storage reused row by row). */
struct row_text {
	char field[LINK_ROLE__MAX][512];
};

/* input_record() turns a CSV row into a record; the strings point into t. */
static void input_record(struct link_input *in, const struct csv_record *r,
	struct row_text *t, struct link_record *rec)
{
	const char *v[LINK_ROLE__MAX];
	int role;

	for (role = 0; role < LINK_ROLE__MAX; role++) {
		int col = in->col[role];

		v[role] = col >= 0 && (size_t)col < r->n ? trimmed(r->field[col], t->field[role], sizeof(t->field[role])) : NULL;
	}
	memset(rec, 0, sizeof(*rec));
	rec->id = v[LINK_ROLE_ID] != NULL ? v[LINK_ROLE_ID] : "";
	rec->given = v[LINK_ROLE_GIVEN];
	rec->surname = v[LINK_ROLE_SURNAME];
	rec->birth_surname = v[LINK_ROLE_BIRTH_SURNAME];
	rec->sex = link_sex_parse(v[LINK_ROLE_SEX]);
	if (link_date_parse(v[LINK_ROLE_BIRTH], in->spec->date_format, &rec->birth) < 0) {
		rec->birth = 0; /* not a date in that format: missing, counted */
		in->bad_dates++;
	}
	rec->pesel = v[LINK_ROLE_PESEL];
	rec->national_id = v[LINK_ROLE_NATIONAL_ID];
	rec->street = v[LINK_ROLE_STREET];
	rec->street_number = v[LINK_ROLE_STREET_NUMBER];
	rec->address2 = v[LINK_ROLE_ADDRESS2];
	rec->postcode = v[LINK_ROLE_POSTCODE];
	rec->city = v[LINK_ROLE_CITY];
	rec->region = v[LINK_ROLE_REGION];
	rec->terc = v[LINK_ROLE_TERC];
}

/* input_read() adds every row of in to set as group; 0, or the exit status after the message. */
static int input_read(struct cli *c, struct link_input *in, int group, struct link_set *set)
{
	static struct row_text t;
	struct csv_record r;
	struct link_record rec;
	int rc;

	while ((rc = csv_next(in->csv, &r)) != CSV_DONE) {
		if (rc == CSV_ERROR)
			return cli_fail(c, "%s: %s", in->path, csv_error(in->csv));
		if (rc == CSV_BAD) {
			fprintf(stderr, "razem %s: %s: %s (row left out)\n", c->name, in->path, csv_error(in->csv));
			in->bad++;
			continue;
		}
		if (r.blank)
			continue;
		input_record(in, &r, &t, &rec);
		rec.group = group;
		rec.key = r.line;
		if (link_set_add(set, &rec) < 0)
			return cli_fail(c, "out of memory at %s line %ld", in->path, r.line);
		in->rows++;
	}
	if (in->bad_dates > 0)
		fprintf(stderr, "razem %s: %s: %ld birth dates not in the format %s were taken as missing\n", c->name,
			in->path, in->bad_dates, in->spec->date_format);
	return 0;
}

static int input_open(struct cli *c, const struct link_cli *o, struct link_input *in, int which, const char *path)
{
	memset(in, 0, sizeof(*in));
	in->path = path;
	in->spec = &o->spec[which];
	in->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0)
		return cli_fail(c, "%s: %s", path, strerror(errno));
	in->csv = csv_open_fd(in->fd, &o->csv);
	if (in->csv == NULL)
		return cli_fail(c, "out of memory");
	return 0;
}

static void input_close(struct link_input *in)
{
	csv_free(in->csv);
	if (in->fd > 0)
		close(in->fd);
	in->csv = NULL;
	in->fd = -1;
}

/* ---- the pairs ---- */

struct pair_vec {
	struct link_pair *p;
	size_t n, cap;
};

static int collect_pair(const struct link_pair *p, void *arg)
{
	struct pair_vec *v = arg;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4096;
		struct link_pair *np = realloc(v->p, cap * sizeof(*np));

		if (np == NULL)
			return -1;
		v->p = np;
		v->cap = cap;
	}
	v->p[v->n++] = *p;
	return 0;
}

/* write_pair() writes one output line: the two ids and the score. */
static void write_pair(struct buf *b, const struct link_set *s, uint32_t a, uint32_t b_, double p)
{
	char score[16];

	csv_write_field(b, link_set_id(s, a), ',');
	buf_addc(b, ',');
	csv_write_field(b, link_set_id(s, b_), ',');
	/* four decimals without printf's floating point (a million lines) */
	snprintf(score, sizeof(score), ",%d.%04d\n", p >= 0.99995 ? 1 : 0, p >= 0.99995 ? 0 : (int)(p * 10000 + 0.5));
	buf_adds(b, score);
}

static int flush_out(struct buf *b, FILE *fp)
{
	int rc = b->len > 0 && fwrite(b->data, 1, b->len, fp) != b->len ? -1 : 0;

	buf_reset(b);
	return rc;
}


static const uint32_t *sort_cluster; /* for cluster_order(): qsort has no argument (one thread here) */

static int cluster_order(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	if (sort_cluster[a] != sort_cluster[b])
		return sort_cluster[a] < sort_cluster[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

#define OUT_CHUNK 1024

/* Pairs waiting to be scored and written, the first file's record first. */
struct out_chunk {
	uint32_t ab[2 * OUT_CHUNK];
	struct link_pair scored[OUT_CHUNK];
	size_t n;
};

/* chunk_write() scores the waiting pairs with one build of the model's tables and writes them. */
static void chunk_write(struct out_chunk *ch, const struct link_set *s, const struct link_model *m, struct buf *b)
{
	size_t k;

	link_score_pairs(s, m, ch->ab, ch->n, ch->scored);
	for (k = 0; k < ch->n; k++)
		write_pair(b, s, ch->ab[2 * k], ch->ab[2 * k + 1], ch->scored[k].probability);
	ch->n = 0;
}

/*
 * write_clusters() writes every pair of records in one cluster (only the
 * pairs across files when two were given, the first file's id first) with
 * the probability of that pair; returns the pairs written, -1 on a write error.
 */
static long write_clusters(const struct link_set *s, const struct link_model *m, const uint32_t *cluster,
	int two_files, FILE *fp)
{
	size_t n = link_set_count(s), i, j, lo, hi;
	uint32_t *order = malloc((n ? n : 1) * sizeof(*order));
	struct out_chunk *ch = malloc(sizeof(*ch));
	struct buf b;
	long written = 0;

	if (order == NULL || ch == NULL) {
		free(order);
		free(ch);
		return -1;
	}
	ch->n = 0;
	buf_init(&b, (size_t)1 << 30);
	for (i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	sort_cluster = cluster;
	qsort(order, n, sizeof(*order), cluster_order);
	if (buf_adds(&b, "id_a,id_b,score\n") != 0)
		written = -1;
	for (lo = 0; lo < n && written >= 0; lo = hi) {
		for (hi = lo + 1; hi < n && cluster[order[hi]] == cluster[order[lo]]; hi++)
			;
		for (i = lo; i < hi; i++)
			for (j = i + 1; j < hi; j++) {
				uint32_t a = order[i], c = order[j];

				if (two_files && link_set_group(s, a) == link_set_group(s, c))
					continue;
				if (two_files && link_set_group(s, a) != 0) {
					uint32_t t = a;

					a = c;
					c = t;
				}
				ch->ab[2 * ch->n] = a;
				ch->ab[2 * ch->n + 1] = c;
				if (++ch->n == OUT_CHUNK)
					chunk_write(ch, s, m, &b);
				written++;
			}
		if (b.len > (1 << 20) && flush_out(&b, fp) != 0)
			written = -1;
	}
	chunk_write(ch, s, m, &b);
	if (written >= 0 && flush_out(&b, fp) != 0)
		written = -1;
	buf_release(&b);
	free(order);
	free(ch);
	return written;
}

/* explain_levels() appends "field=level;..." for the fields not missing. */
static void explain_levels(struct buf *b, const struct link_model *m, link_levels lv)
{
	struct link_explain_row rows[LINK_F__MAX];
	struct buf one;
	int f, first = 1;

	link_explain(m, lv, rows);
	buf_init(&one, 4096);
	for (f = 0; f < LINK_F__MAX; f++) {
		if (rows[f].level == LINK_LEVEL_MISSING)
			continue;
		buf_addf(&one, "%s%s=%s(%+.1f)", first ? "" : ";", link_field_name(rows[f].field), rows[f].level_name,
			rows[f].weight);
		first = 0;
	}
	csv_write_field(b, buf_str(&one), ',');
	buf_release(&one);
}

/*
 * write_review() writes the pairs between the thresholds that the
 * clustering left in different clusters, with their comparisons, to a
 * temporary file renamed to path when complete (never half a file).
 */
static int write_review(struct cli *c, const char *path, const struct link_set *s, const struct link_model *m,
	const struct pair_vec *v, const uint32_t *cluster, double upper, int two_files)
{
	char tmp[4096];
	struct buf b;
	FILE *fp;
	size_t i;
	int rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
	if ((fp = fopen(tmp, "w")) == NULL)
		return cli_fail(c, "--review: %s: %s", path, strerror(errno));
	buf_init(&b, (size_t)1 << 30);
	buf_adds(&b, "id_a,id_b,score,comparisons\n");
	for (i = 0; i < v->n && rc == 0; i++) {
		const struct link_pair *p = &v->p[i];
		uint32_t a = p->a, bb = p->b;

		if (p->probability >= upper || cluster[a] == cluster[bb])
			continue;
		if (two_files && link_set_group(s, a) != 0) {
			a = p->b;
			bb = p->a;
		}
		csv_write_field(&b, link_set_id(s, a), ',');
		buf_addc(&b, ',');
		csv_write_field(&b, link_set_id(s, bb), ',');
		buf_addf(&b, ",%.4f,", p->probability);
		explain_levels(&b, m, p->levels);
		buf_addc(&b, '\n');
		if (b.len > (1 << 20))
			rc = flush_out(&b, fp);
	}
	if (rc == 0)
		rc = flush_out(&b, fp);
	buf_release(&b);
	if (fclose(fp) != 0 || rc != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return cli_fail(c, "--review: %s: %s", path, strerror(errno ? errno : EIO));
	}
	return 0;
}

/* write_model() writes the model's text form to path (for a database, or to read the weights). */
static int write_model(struct cli *c, const char *path, const struct link_model *m)
{
	struct buf b;
	FILE *fp;
	int rc = 0;

	buf_init(&b, 1 << 20);
	if (link_model_save(m, &b) != 0 || (fp = fopen(path, "w")) == NULL) {
		buf_release(&b);
		return cli_fail(c, "--model: %s: %s", path, strerror(errno ? errno : ENOMEM));
	}
	if (fwrite(b.data, 1, b.len, fp) != b.len)
		rc = -1;
	if (fclose(fp) != 0 || rc != 0) {
		buf_release(&b);
		return cli_fail(c, "--model: %s: %s", path, strerror(errno));
	}
	buf_release(&b);
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* largest_cluster() is the number of records of the largest cluster. */
static size_t largest_cluster(const uint32_t *cluster, size_t n)
{
	uint32_t *size = calloc(n ? n : 1, sizeof(*size));
	size_t i, best = n > 0;

	if (size == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (++size[cluster[i]] > best)
			best = size[cluster[i]];
	free(size);
	return best;
}

static void print_stats(struct cli *c, const struct link_set *s, const struct link_model *m,
	const struct link_stats *st, double upper, double lower, long links, size_t largest,
	const struct timespec *t0)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr,
		"razem %s: stats: records %zu, candidate pairs %llu, blocks skipped %llu, pairs above lower %llu, "
		"output pairs %ld, largest cluster %zu, prior %.6g, EM iterations %d, upper %.4f, lower %.4f, "
		"seconds %.2f, CPU seconds %.2f, peak RSS %ld MB\n",
		c->name, link_set_count(s), (unsigned long long)st->candidates,
		(unsigned long long)st->blocks_skipped, (unsigned long long)st->above_lower, links, largest, m->prior,
		m->iterations, upper, lower, seconds_since(t0),
		(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
		ru.ru_maxrss / 1024);
	fprintf(stderr, "razem %s: stats: candidate pairs by blocking key:", c->name);
	for (int k = 0; k < LINK_KEYS_MAX; k++)
		fprintf(stderr, " %d:%llu", k, (unsigned long long)st->per_key[k]);
	fputc('\n', stderr);
}

/* link_run() estimates, scores, clusters and writes: the work after the files are read. */
static int link_run(struct cli *c, const struct link_cli *o, struct link_set *set, int two_files,
	const struct timespec *t0)
{
	struct link_model m;
	struct link_stats st = { 0 };
	struct link_opts lo = o->lo;
	struct pair_vec v = { 0 };
	uint32_t *cluster = NULL;
	double upper, lower;
	long links;
	int rc = 1;

	lo.cross_only = two_files;
	if (link_model_estimate(set, &lo, &m, NULL) != 0 || link_thresholds(set, &m, &lo, &upper, &lower) != 0) {
		cli_fail(c, "out of memory while estimating the model");
		goto out;
	}
	if (o->model != NULL && write_model(c, o->model, &m) != 0)
		goto out;
	if (o->threshold >= 0)
		upper = o->threshold;
	if (lower > upper)
		lower = upper;
	if (link_score_all(set, &m, &lo, lower, collect_pair, &v, &st) != 0 ||
		(cluster = malloc((link_set_count(set) + 1) * sizeof(*cluster))) == NULL ||
		link_cluster(link_set_count(set), v.p, v.n, upper, NULL, 0, cluster) != 0) {
		cli_fail(c, "out of memory while scoring the pairs");
		goto out;
	}
	if ((links = write_clusters(set, &m, cluster, two_files, stdout)) < 0 || fflush(stdout) != 0) {
		cli_fail(c, "cannot write the pairs: %s", strerror(errno));
		goto out;
	}
	if (o->review != NULL && write_review(c, o->review, set, &m, &v, cluster, upper, two_files) != 0)
		goto out;
	if (o->stats)
		print_stats(c, set, &m, &st, upper, lower, links, largest_cluster(cluster, link_set_count(set)), t0);
	rc = 0;
out:
	free(v.p);
	free(cluster);
	return rc;
}

/* link_files() is the file mode: one CSV deduplicated or two linked. */
static int link_files(struct cli *c, const struct link_cli *o)
{
	struct link_input in[2];
	struct link_set *set = NULL;
	struct timespec t0;
	int i, rc = 0, nin = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (o->nspec == 0)
		return cli_usage(c, "--columns SPEC is required with files");
	if (c->npos > 2)
		return cli_usage(c, "at most two files (FILE [FILE2])");
	if (o->nspec == 2 && c->npos == 1)
		return cli_usage(c, "--columns given twice but only one file");
	for (i = 0; i < c->npos && rc == 0; i++, nin++)
		if ((rc = input_open(c, o, &in[i], i, c->pos[i])) == 0)
			rc = input_header(c, &in[i]);
	if (rc == 0 && (set = link_set_new()) == NULL)
		rc = cli_fail(c, "out of memory");
	for (i = 0; i < c->npos && rc == 0; i++)
		rc = input_read(c, &in[i], i, set);
	for (i = 0; i < nin; i++)
		input_close(&in[i]);
	if (rc == 0)
		rc = link_run(c, o, set, c->npos == 2, &t0);
	link_set_free(set);
	return rc;
}

static int cmd_link(struct cli *c)
{
	struct link_cli o;
	int rc = link_cli_parse(c, &o);

	if (rc != 0)
		return rc;
	if (c->npos > 0)
		return link_files(c, &o);
	if (c->cfg.db[0] != '\0')
		return cli_link_db(c); /* the register in the database (cli_link_db.c) */
	return cli_usage(c, "give FILE [FILE2] with --columns SPEC");
}

const struct cli_command cli_link_commands[] = {
	{ "link", NULL, "--columns SPEC FILE [FILE2] [--threshold X] [--review FILE] [--stats] | --db DB [--institution ID] [--full] [--person ID [--repeat N]]",
	  "find the same person in one CSV file or across two\n"
	  "With one FILE, finds the records of the same person in it; with two, the records of FILE2 that\n"
	  "are a person of FILE. Writes to standard output the CSV id_a,id_b,score (score from 0 to 1): with\n"
	  "one file every pair of records in the same cluster, with two every pair across the files in the\n"
	  "same cluster, id_a from FILE. Files are UTF-8 or Windows-1250 (detected), separated by ',' or ';'\n"
	  "(detected), with a header line; blanks around fields are ignored, an empty field is missing.\n"
	  "Pairs are scored by a Fellegi-Sunter model estimated from the files by EM; the upper threshold is\n"
	  "the one that maximises the expected F1 under the model, the lower one keeps 99.5 % of the\n"
	  "expected matches (docs/LINKAGE.md). Exit 0 on success (also with no pairs), 1 when a file cannot\n"
	  "be read, 2 on wrong usage.\n"
	  "\n"
	  "SPEC is role=column[,role=column...] (column names as in the header). Roles:\n"
	  "  id             the record's identifier, written in the output (required)\n"
	  "  given          first name(s); diminutives known (Kasia = Katarzyna)\n"
	  "  surname        surname; Polish feminine/masculine forms and double-barrelled names understood\n"
	  "  birth_surname  family name at birth (nazwisko rodowe)\n"
	  "  sex            K/F/female/kobieta/2 or M/male/mezczyzna/1\n"
	  "  birth          date of birth, as birth=COLUMN:FORMAT (default YYYYMMDD); formats: YYYYMMDD,\n"
	  "                 YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY, DD-MM-YYYY, YYYY/MM/DD, YYYY.MM.DD,\n"
	  "                 MM/DD/YYYY (day and month may have one digit when separated; a time after the\n"
	  "                 date is ignored; a value not in the format counts as missing)\n"
	  "  pesel          PESEL (checksum, encoded birth date and sex used)\n"
	  "  national_id    any other personal number (compared as text, one typo tolerated)\n"
	  "  street         street (address line 1)\n"
	  "  street_number  house and flat number\n"
	  "  address2       second address line\n"
	  "  postcode       postcode\n"
	  "  city           town, locality, suburb\n"
	  "  region         voivodeship, state, province\n"
	  "  terc           TERYT gmina code (7 digits)\n"
	  "Example (FEBRL): id=rec_id,given=given_name,surname=surname,birth=date_of_birth:YYYYMMDD,\n"
	  "  street_number=street_number,street=address_1,address2=address_2,city=suburb,\n"
	  "  postcode=postcode,region=state,national_id=soc_sec_id\n"
	  "\n"
	  "  --columns SPEC     the roles of the columns (above); given twice, the first is FILE's and the\n"
	  "                     second FILE2's (for files with different headers)\n"
	  "  --threshold X      upper threshold (probability 0..1) instead of the one from the data\n"
	  "  --review FILE      write the pairs between the thresholds, not joined, with their comparisons\n"
	  "                     (id_a,id_b,score,comparisons) to FILE, for a person to look at\n"
	  "  --model FILE       write the estimated model (m, u, priors, thresholds) to FILE\n"
	  "  --encoding ENC     utf-8, windows-1250, iso-8859-2 or auto (default auto)\n"
	  "  --separator SEP    ',', ';' or tab (default: detected from the header)\n"
	  "  --block-max N      skip blocks with more than N candidate pairs (default 10000)\n"
	  "  --threads N        1 or 2 (default 2)\n"
	  "  --stats            print counts, thresholds, time and peak memory on standard error\n"
	  "\n"
	  "With --db DB and no file, links the register in the database: records of different institutions\n"
	  "above the upper threshold (or with one valid PESEL) are linked, pairs between the thresholds go to\n"
	  "the review queue (/links/review); pairs a reviewer decided are never changed. Only the records new\n"
	  "or changed since the last run are linked, one by one, unless this is the first run, more than 2000\n"
	  "changed, or --full is given: then the whole register is scored again (the model re-estimated).\n"
	  "Prints records, pairs scored, linked, queued, thresholds and seconds.\n"
	  "  --institution ID   link only the records of institution ID (against the whole register)\n"
	  "  --full             score the whole register again\n"
	  "  --person ID        link only person ID, as the new-person form does; with --repeat N, time it\n"
	  "                     N times (each rolled back but the last) and print the median\n",
	  "columns+ threshold review model encoding separator block-max threads stats! institution full! person repeat",
	  0, cmd_link },
	{ NULL },
};

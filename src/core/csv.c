/*
 * csv.c — the streaming CSV reader (see csv.h for what it accepts).
 *
 * Three layers: raw bytes come from the source into raw[] a chunk at a
 * time; the decoder hands out UTF-8 (a view into raw[] when the file is
 * UTF-8, iconv's output in dec[] otherwise); the record parser walks the
 * decoded bytes with a small state machine. Separators, quotes and line
 * breaks are ASCII in every accepted encoding, so the separator is found
 * on the raw first line before the encoding is known.
 */
#include "core/csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/i18n.h"

#define CSV_CHUNK ((size_t)64 << 10)
#define DEC_CAP (3 * CSV_CHUNK + 16) /* one byte of a single-byte charset is at most 3 in UTF-8 */
#define DECIDE_WINDOW 256            /* bytes looked at before calling text UTF-8 or not */

struct csv {
	int fd;                    /* source: fd >= 0, else fp, else mem */
	FILE *fp;
	const unsigned char *mem;
	size_t mem_len, mem_pos;
	int eof;                   /* the source is exhausted */
	int started;               /* the start of the file (BOM, separator) is handled */
	int fatal;                 /* CSV_ERROR was returned: it stays */
	int bad_text;              /* the decoder stopped at bytes that are not text */
	int decided;               /* the encoding is known */
	enum csv_encoding enc;
	iconv_t cd;                /* (iconv_t)-1 unless converting */
	unsigned char raw[CSV_CHUNK];
	size_t raw_off, raw_len;   /* undecoded bytes: raw[raw_off..raw_len) */
	unsigned char *dec;        /* iconv's output */
	const unsigned char *cur, *end; /* decoded bytes not yet parsed */
	char sep;
	long line;                 /* the physical line the parser is on */
	size_t field_max, record_max, fields_max;
	char *rec;                 /* the record's fields, each NUL-terminated */
	size_t rec_len, rec_cap;
	size_t *off, *lens;        /* per field: offset in rec, length */
	char **fields;
	size_t nf, nf_cap;
	char err[400];
	long err_line;
};

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

static struct csv *csv_new(const struct csv_opts *o)
{
	struct csv *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->fd = -1;
	c->cd = (iconv_t)-1;
	c->line = 1;
	c->enc = o != NULL ? o->encoding : CSV_ENC_AUTO;
	c->sep = o != NULL ? o->sep : 0;
	c->field_max = o != NULL && o->field_max ? o->field_max : CSV_FIELD_MAX;
	c->record_max = o != NULL && o->record_max ? o->record_max : CSV_RECORD_MAX;
	c->fields_max = o != NULL && o->fields_max ? o->fields_max : CSV_FIELDS_MAX;
	return c;
}

struct csv *csv_open_fd(int fd, const struct csv_opts *opts)
{
	struct csv *c = csv_new(opts);

	if (c != NULL)
		c->fd = fd;
	return c;
}

struct csv *csv_open_file(FILE *fp, const struct csv_opts *opts)
{
	struct csv *c = csv_new(opts);

	if (c != NULL)
		c->fp = fp;
	return c;
}

struct csv *csv_open_mem(const void *data, size_t len, const struct csv_opts *opts)
{
	struct csv *c = csv_new(opts);

	if (c != NULL) {
		c->mem = data;
		c->mem_len = data != NULL ? len : 0;
	}
	return c;
}

void csv_free(struct csv *c)
{
	if (c == NULL)
		return;
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	free(c->dec);
	free(c->rec);
	free(c->off);
	free(c->lens);
	free(c->fields);
	free(c);
}

const char *csv_error(const struct csv *c)
{
	return c->err;
}

long csv_error_line(const struct csv *c)
{
	return c->err_line;
}

char csv_sep(const struct csv *c)
{
	return c->sep;
}

enum csv_encoding csv_encoding(const struct csv *c)
{
	return c->decided ? c->enc : CSV_ENC_AUTO;
}

const char *csv_encoding_name(enum csv_encoding e)
{
	switch (e) {
	case CSV_ENC_UTF8:
		return "UTF-8";
	case CSV_ENC_CP1250:
		return "Windows-1250";
	case CSV_ENC_ISO8859_2:
		return "ISO-8859-2";
	case CSV_ENC_AUTO:
		break;
	}
	return "auto";
}

int csv_parse_encoding(const char *name, enum csv_encoding *out)
{
	static const struct {
		const char *name;
		enum csv_encoding enc;
	} names[] = {
		{ "auto", CSV_ENC_AUTO },          { "utf-8", CSV_ENC_UTF8 },
		{ "utf8", CSV_ENC_UTF8 },          { "cp1250", CSV_ENC_CP1250 },
		{ "windows-1250", CSV_ENC_CP1250 }, { "win1250", CSV_ENC_CP1250 },
		{ "iso-8859-2", CSV_ENC_ISO8859_2 }, { "iso8859-2", CSV_ENC_ISO8859_2 },
		{ "latin2", CSV_ENC_ISO8859_2 },
	};
	size_t i;

	for (i = 0; name != NULL && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*out = names[i].enc;
			return 0;
		}
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* refuse() records a reason (a msgid with printf arguments) for line; returns rc. */
__attribute__((format(printf, 4, 5))) static int refuse(struct csv *c, int rc, long line, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), _(fmt), ap);
	va_end(ap);
	if (line > 0)
		snprintf(c->err, sizeof(c->err), _("line %ld: %s"), line, msg);
	else
		snprintf(c->err, sizeof(c->err), "%s", msg);
	c->err_line = line;
	if (rc == CSV_ERROR)
		c->fatal = 1;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Reading and decoding                                                */
/* ------------------------------------------------------------------ */

/* read_more() compacts raw[] and appends what the source gives; -1 on a read error. */
static int read_more(struct csv *c)
{
	size_t room, got = 0;

	if (c->raw_off > 0) {
		memmove(c->raw, c->raw + c->raw_off, c->raw_len - c->raw_off);
		c->raw_len -= c->raw_off;
		c->raw_off = 0;
	}
	room = sizeof(c->raw) - c->raw_len;
	if (room == 0)
		return 0;
	if (c->fd >= 0) {
		ssize_t n;

		do
			n = read(c->fd, c->raw + c->raw_len, room);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return refuse(c, CSV_ERROR, 0, N_("cannot read the file: %s"), strerror(errno)), -1;
		got = (size_t)n;
	} else if (c->fp != NULL) {
		got = fread(c->raw + c->raw_len, 1, room, c->fp);
		if (got == 0 && ferror(c->fp))
			return refuse(c, CSV_ERROR, 0, N_("cannot read the file: %s"), strerror(errno)), -1;
	} else {
		got = c->mem_len - c->mem_pos < room ? c->mem_len - c->mem_pos : room;
		memcpy(c->raw + c->raw_len, c->mem + c->mem_pos, got);
		c->mem_pos += got;
	}
	if (got == 0)
		c->eof = 1;
	c->raw_len += got;
	return 0;
}

/*
 * utf8_prefix() is the length of the longest prefix of p[0..n) made of
 * whole, well-formed UTF-8 sequences (RFC 3629: no overlongs, surrogates
 * or code points past U+10FFFF). *bad is set when what follows is not a
 * beginning of one, or is cut by the end of the file (eof).
 */
static size_t utf8_prefix(const unsigned char *p, size_t n, int eof, int *bad)
{
	size_t i = 0, len, k;
	unsigned char lo, hi;

	*bad = 0;
	while (i < n) {
		unsigned char b = p[i];

		if (b < 0x80) {
			i++;
			continue;
		}
		lo = 0x80, hi = 0xBF;
		if (b >= 0xC2 && b <= 0xDF) {
			len = 2;
		} else if (b >= 0xE0 && b <= 0xEF) {
			len = 3;
			if (b == 0xE0)
				lo = 0xA0;
			else if (b == 0xED)
				hi = 0x9F;
		} else if (b >= 0xF0 && b <= 0xF4) {
			len = 4;
			if (b == 0xF0)
				lo = 0x90;
			else if (b == 0xF4)
				hi = 0x8F;
		} else {
			*bad = 1;
			return i;
		}
		for (k = 1; k < len; k++) {
			if (i + k >= n) {
				*bad = eof;
				return i;
			}
			if (p[i + k] < (k == 1 ? lo : 0x80) || p[i + k] > (k == 1 ? hi : 0xBF)) {
				*bad = 1;
				return i;
			}
		}
		i += len;
	}
	return i;
}

/*
 * looks_iso8859_2() tells Latin-2 from Windows-1250 by the bytes where
 * their Polish letters differ: Ą ą Ś ś Ź ź are A1 B1 A6 B6 AC BC in
 * ISO-8859-2 but A5 B9 8C 9C 8F 9F in Windows-1250, whose 80-9F range
 * ISO-8859-2 leaves to control characters. Ties go to Windows-1250, what
 * Polish office software writes.
 */
static int looks_iso8859_2(const unsigned char *p, size_t n)
{
	long iso = 0, win = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case 0xA1: case 0xB1: case 0xA6: case 0xB6: case 0xAC: case 0xBC:
			iso++;
			break;
		case 0xA5: case 0xB9: case 0x8C: case 0x9C: case 0x8F: case 0x9F:
			win++;
			break;
		default:
			if (p[i] >= 0x80 && p[i] <= 0x9F)
				win++;
		}
	}
	return iso > win;
}

/* open_iconv() prepares conversion from c->enc to UTF-8; -1 if iconv cannot. */
static int open_iconv(struct csv *c)
{
	const char *from = c->enc == CSV_ENC_CP1250 ? "WINDOWS-1250" : "ISO-8859-2";

	c->cd = iconv_open("UTF-8", from);
	if (c->cd == (iconv_t)-1)
		return refuse(c, CSV_ERROR, 0, N_("cannot convert from %s: %s"), from, strerror(errno)), -1;
	c->dec = malloc(DEC_CAP);
	if (c->dec == NULL)
		return refuse(c, CSV_ERROR, 0, N_("out of memory")), -1;
	return 0;
}

/* decide() names the encoding at the first byte outside ASCII, p[0]. */
static int decide(struct csv *c, const unsigned char *p, size_t n)
{
	int bad;

	c->decided = 1;
	utf8_prefix(p, n, c->eof, &bad);
	if (!bad) {
		c->enc = CSV_ENC_UTF8;
		return 0;
	}
	c->enc = looks_iso8859_2(p, n) ? CSV_ENC_ISO8859_2 : CSV_ENC_CP1250;
	return open_iconv(c);
}

/*
 * decode() turns undecoded bytes into cur..end (possibly none, when more
 * input is needed first). Returns 0, or -1 on a fatal error.
 */
static int decode(struct csv *c)
{
	const unsigned char *p = c->raw + c->raw_off;
	size_t n = c->raw_len - c->raw_off, k;
	int bad;

	c->cur = c->end = p;
	if (n == 0)
		return 0;
	if (!c->decided) {
		for (k = 0; k < n && p[k] < 0x80; k++)
			;
		if (k > 0) {
			c->end = p + k; /* ASCII reads the same in every encoding */
			c->raw_off += k;
			return 0;
		}
		if (n < DECIDE_WINDOW && !c->eof)
			return 0;
		if (decide(c, p, n) < 0)
			return -1;
	}
	if (c->enc == CSV_ENC_UTF8) {
		k = utf8_prefix(p, n, c->eof, &bad);
		c->end = p + k;
		c->raw_off += k;
		c->bad_text = bad;
		return 0;
	} else {
		char *in = (char *)p, *out = (char *)c->dec;
		size_t inleft = n, outleft = DEC_CAP;

		if (iconv(c->cd, &in, &inleft, &out, &outleft) == (size_t)-1 &&
		    (errno == EILSEQ || (errno == EINVAL && c->eof)))
			c->bad_text = 1;
		c->raw_off += n - inleft;
		c->cur = c->dec;
		c->end = c->dec + (DEC_CAP - outleft);
		return 0;
	}
}

/* fill() makes decoded bytes available: 1, 0 at the end of input, -1 on a fatal error. */
static int fill(struct csv *c)
{
	for (;;) {
		if (c->cur < c->end)
			return 1;
		if (c->bad_text)
			return refuse(c, CSV_ERROR, c->line, N_("bytes that are not %s text (is the file in another encoding?)"),
				      csv_encoding_name(c->enc)), -1;
		if (decode(c) < 0)
			return -1;
		if (c->cur < c->end)
			return 1;
		if (c->bad_text)
			continue;
		if (c->eof && c->raw_off == c->raw_len)
			return 0;
		if (read_more(c) < 0)
			return -1;
	}
}

/* ------------------------------------------------------------------ */
/* The start of a file                                                 */
/* ------------------------------------------------------------------ */

/* detect_sep() counts ; TAB , outside quotes on the raw first line. */
static void detect_sep(struct csv *c)
{
	const unsigned char *p = c->raw + c->raw_off, *e = c->raw + c->raw_len;
	long semi = 0, tab = 0, comma = 0;
	int quoted = 0;

	for (; p < e; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*p == '\n' || *p == '\r')
			break;
		else if (*p == ';')
			semi++;
		else if (*p == '\t')
			tab++;
		else if (*p == ',')
			comma++;
	}
	if (semi >= tab && semi >= comma)
		c->sep = ';';
	else if (tab >= comma)
		c->sep = '\t';
	else
		c->sep = ',';
}

/*
 * start() reads the first chunk, skips a UTF-8 BOM, refuses what is not
 * a CSV text file, opens the conversion of a forced encoding and finds
 * the separator. Returns 1 when the first line is Excel's "sep=X" (to be
 * skipped), 0, or -1 on a fatal error.
 */
static int start(struct csv *c)
{
	const unsigned char *p;
	size_t n;

	c->started = 1;
	while (c->raw_len < sizeof(c->raw) && !c->eof)
		if (read_more(c) < 0)
			return -1;
	p = c->raw;
	n = c->raw_len;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		c->raw_off = 3;
		c->enc = CSV_ENC_UTF8;
	} else if (n >= 2 && (memcmp(p, "\xFF\xFE", 2) == 0 || memcmp(p, "\xFE\xFF", 2) == 0)) {
		return refuse(c, CSV_ERROR, 0, N_("the file is in UTF-16; save it as CSV in UTF-8 or Windows-1250")), -1;
	} else if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) {
		return refuse(c, CSV_ERROR, 0, N_("the file is a spreadsheet (XLSX or another zip file), not CSV; save it as CSV")), -1;
	}
	if (c->enc != CSV_ENC_AUTO) {
		c->decided = 1;
		if (c->enc != CSV_ENC_UTF8 && open_iconv(c) < 0)
			return -1;
	}
	p = c->raw + c->raw_off;
	n = c->raw_len - c->raw_off;
	if (n >= 5 && memcmp(p, "sep=", 4) == 0 && (n == 5 || p[5] == '\r' || p[5] == '\n') &&
	    (p[4] == ';' || p[4] == ',' || p[4] == '\t' || p[4] == '|')) {
		if (c->sep == 0)
			c->sep = (char)p[4];
		return 1;
	}
	if (c->sep == 0)
		detect_sep(c);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

/* next_byte() is the next decoded byte, -1 at the end, -2 on a fatal error. */
static inline int next_byte(struct csv *c)
{
	if (c->cur == c->end) {
		int rc = fill(c);

		if (rc <= 0)
			return rc == 0 ? -1 : -2;
	}
	return *c->cur++;
}

/* eat_lf() consumes the LF of a CRLF; -2 on a fatal error. */
static int eat_lf(struct csv *c)
{
	if (c->cur == c->end) {
		int rc = fill(c);

		if (rc <= 0)
			return rc == 0 ? 0 : -2;
	}
	if (*c->cur == '\n')
		c->cur++;
	return 0;
}

/* add_byte() appends ch to the record; -1 when the record is at its limit. */
static inline int add_byte(struct csv *c, int ch)
{
	if (c->rec_len + 1 >= c->rec_cap) {
		size_t cap = c->rec_cap ? c->rec_cap * 2 : 4096;
		char *r;

		if (cap > c->record_max + c->fields_max + 1)
			cap = c->record_max + c->fields_max + 1;
		if (cap <= c->rec_len + 1 || (r = realloc(c->rec, cap)) == NULL)
			return -1;
		c->rec = r;
		c->rec_cap = cap;
	}
	c->rec[c->rec_len++] = (char)ch;
	return 0;
}

/* end_field() closes the current field; -1 when out of memory. */
static int end_field(struct csv *c, size_t start)
{
	char **f;

	if (c->nf == c->nf_cap) {
		size_t cap = c->nf_cap ? c->nf_cap * 2 : 32;
		size_t *o = realloc(c->off, cap * sizeof(*o));

		if (o == NULL)
			return -1;
		c->off = o;
		o = realloc(c->lens, cap * sizeof(*o));
		if (o == NULL)
			return -1;
		c->lens = o;
		f = realloc(c->fields, cap * sizeof(*f));
		if (f == NULL)
			return -1;
		c->fields = f;
		c->nf_cap = cap;
	}
	c->off[c->nf] = start;
	c->lens[c->nf] = c->rec_len - start;
	c->nf++;
	return add_byte(c, '\0');
}

/* skip_line() drops the rest of the physical line after a refused record. */
static int skip_line(struct csv *c)
{
	int ch;

	for (;;) {
		ch = next_byte(c);
		if (ch == -2)
			return CSV_ERROR;
		if (ch == -1)
			return 0;
		if (ch == '\n' || ch == '\r') {
			c->line++;
			if (ch == '\r' && eat_lf(c) < 0)
				return CSV_ERROR;
			return 0;
		}
	}
}

/* refuse_record() reports a record over a limit and skips the rest of its line. */
static int refuse_record(struct csv *c, long line, const char *fmt, size_t limit)
{
	if (skip_line(c) == CSV_ERROR)
		return CSV_ERROR;
	return refuse(c, CSV_BAD, line, fmt, limit);
}

enum pstate { P_START, P_PLAIN, P_QUOTED, P_QUOTE };

/* deliver() points r at the finished record. */
static int deliver(struct csv *c, struct csv_record *r, long line, int eol)
{
	char **f = c->fields;
	size_t i;

	r->blank = 1;
	for (i = 0; i < c->nf; i++) {
		f[i] = c->rec + c->off[i];
		if (c->lens[i] > 0)
			r->blank = 0;
	}
	r->line = line;
	r->lines = c->line - line + (eol ? 0 : 1);
	r->n = c->nf;
	r->field = (const char *const *)f;
	r->len = c->lens;
	return CSV_ROW;
}

/* read_record() parses one record, skipping empty lines; see csv_next(). */
static int read_record(struct csv *c, struct csv_record *r)
{
	enum pstate st = P_START;
	long line = c->line;
	size_t fstart = 0;
	int ch, touched = 0, eol = 1;

	c->rec_len = 0;
	c->nf = 0;
	for (;;) {
		ch = next_byte(c);
		if (ch == -2)
			return CSV_ERROR;
		if (ch == 0)
			return refuse(c, CSV_ERROR, c->line, N_("the file holds a NUL byte (is it a CSV file?)"));
		if (ch == -1) {
			if (st == P_QUOTED)
				return refuse(c, CSV_BAD, line, N_("a quoted field is not closed before the end of the file"));
			if (!touched)
				return CSV_DONE;
			eol = 0;
			break;
		}
		if (st == P_QUOTED) {
			if (ch == '"') {
				st = P_QUOTE;
				continue;
			}
			if (ch == '\r' || ch == '\n') {
				c->line++;
				if (ch == '\r' && eat_lf(c) < 0)
					return CSV_ERROR;
				ch = '\n';
			}
		} else if (ch == c->sep) {
			if (c->nf + 1 >= c->fields_max)
				return refuse_record(c, line, N_("the record has more than %zu fields"), c->fields_max);
			if (end_field(c, fstart) < 0)
				return refuse(c, CSV_ERROR, line, N_("out of memory"));
			fstart = c->rec_len;
			st = P_START;
			touched = 1;
			continue;
		} else if (ch == '\r' || ch == '\n') {
			c->line++;
			if (ch == '\r' && eat_lf(c) < 0)
				return CSV_ERROR;
			if (!touched) {
				line = c->line; /* an empty line: not a record */
				continue;
			}
			break;
		} else if (ch == '"' && st == P_START) {
			st = P_QUOTED;
			touched = 1;
			continue;
		} else if (ch == '"' && st == P_QUOTE) {
			st = P_QUOTED; /* "" inside quotes */
		} else {
			st = P_PLAIN;
		}
		touched = 1;
		if (c->rec_len - fstart >= c->field_max)
			return refuse_record(c, line, N_("a field is longer than %zu bytes"), c->field_max);
		if (c->rec_len - c->nf >= c->record_max)
			return refuse_record(c, line, N_("the record is longer than %zu bytes"), c->record_max);
		if (add_byte(c, ch) < 0)
			return refuse(c, CSV_ERROR, line, N_("out of memory"));
	}
	if (end_field(c, fstart) < 0)
		return refuse(c, CSV_ERROR, line, N_("out of memory"));
	return deliver(c, r, line, eol);
}

int csv_next(struct csv *c, struct csv_record *r)
{
	int rc;

	if (c->fatal)
		return CSV_ERROR;
	c->err[0] = '\0';
	c->err_line = 0;
	if (!c->started) {
		rc = start(c);
		if (rc < 0)
			return CSV_ERROR;
		if (rc == 1) {
			rc = read_record(c, r); /* "sep=;" is not a record */
			if (rc != CSV_ROW)
				return rc;
		}
	}
	return read_record(c, r);
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

void csv_write_field(struct buf *b, const char *s, char sep)
{
	size_t n = strlen(s);
	const char *p;

	if (strpbrk(s, "\"\r\n") == NULL && strchr(s, sep) == NULL &&
	    (n == 0 || (s[0] != ' ' && s[n - 1] != ' '))) {
		buf_add(b, s, n);
		return;
	}
	buf_addc(b, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
}

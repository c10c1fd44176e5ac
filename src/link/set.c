/*
 * set.c — the prepared set: records folded once, every distinct folded
 * string interned once in a pool (so equal strings compare by id and
 * phonetic codes are computed once), PESELs decoded.
 */
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "link/link_int.h"

#define POOL_SEED 0x6c696e6b706f6f6cULL

static int pool_grow_text(struct link_pool *p, size_t need)
{
	size_t cap = p->cap ? p->cap : 1 << 16;
	char *t;

	while (cap < p->len + need)
		cap *= 2;
	if (cap == p->cap)
		return 0;
	t = realloc(p->text, cap);
	if (t == NULL)
		return -1;
	p->text = t;
	p->cap = cap;
	return 0;
}

static int pool_rehash(struct link_pool *p)
{
	size_t nslot = p->nslot ? p->nslot * 2 : 1 << 12, i;
	uint32_t *slot = calloc(nslot, sizeof(*slot)), id;

	if (slot == NULL)
		return -1;
	for (id = 1; id < p->n; id++) {
		i = link_hash(p->text + p->str[id].off, p->str[id].len, POOL_SEED) & (nslot - 1);
		while (slot[i] != 0)
			i = (i + 1) & (nslot - 1);
		slot[i] = id;
	}
	free(p->slot);
	p->slot = slot;
	p->nslot = nslot;
	return 0;
}

static int pool_init(struct link_pool *p)
{
	static uint32_t serials;

	memset(p, 0, sizeof(*p));
	p->serial = __atomic_add_fetch(&serials, 1, __ATOMIC_RELAXED);
	p->ncap = 1024;
	p->str = calloc(p->ncap, sizeof(*p->str));
	if (p->str == NULL || pool_grow_text(p, 1) != 0 || pool_rehash(p) != 0)
		return -1;
	p->text[0] = '\0';
	p->len = 1;
	p->n = 1; /* id 0: the empty string, "missing" */
	return 0;
}

void link_pool_free(struct link_pool *p)
{
	free(p->text);
	free(p->str);
	free(p->slot);
	memset(p, 0, sizeof(*p));
}

/* pool_intern() is the id of s[0..n) (0 for ""), adding it when new; with names set its dictionary form too. */
static int64_t pool_intern(struct link_pool *p, const char *s, size_t n, int names)
{
	size_t i;
	uint32_t id;
	const char *canon;

	if (n == 0)
		return 0;
	i = link_hash(s, n, POOL_SEED) & (p->nslot - 1);
	for (; (id = p->slot[i]) != 0; i = (i + 1) & (p->nslot - 1))
		if (p->str[id].len == n && memcmp(p->text + p->str[id].off, s, n) == 0)
			return id;
	if (p->n == p->ncap) {
		struct link_str *str = realloc(p->str, 2 * (size_t)p->ncap * sizeof(*str));

		if (str == NULL)
			return -1;
		p->str = str;
		p->ncap *= 2;
	}
	if (pool_grow_text(p, n + 1) != 0)
		return -1;
	id = p->n++;
	memcpy(p->text + p->len, s, n);
	p->text[p->len + n] = '\0';
	p->str[id] = (struct link_str){ .off = (uint32_t)p->len, .len = (uint16_t)n, .code = link_phonetic(s, n), .canon = id };
	p->len += n + 1;
	p->slot[i] = id;
	if ((size_t)p->n * 2 > p->nslot && pool_rehash(p) != 0)
		return -1;
	if (names && (canon = link_name_canonical(p->text + p->str[id].off)) != NULL) {
		int64_t c = pool_intern(p, canon, strlen(canon), 0);

		if (c < 0)
			return -1;
		p->str[id].canon = (uint32_t)c;
	}
	return id;
}

/* intern_field() folds s and interns it into *out; -1 when out of memory. */
static int intern_field(struct link_pool *p, const char *s, int names, uint32_t *out)
{
	char folded[LINK_TEXT_MAX];
	size_t n = link_fold(s, folded);
	int64_t id = pool_intern(p, folded, n, names);

	if (id < 0)
		return -1;
	*out = (uint32_t)id;
	return 0;
}

/*
 * pesel_decode() reads the date and sex a PESEL encodes even when its check
 * digit is wrong (a typo elsewhere keeps them useful); 0 when the date is
 * not a date.
 */
static int pesel_decode(const char *d, int32_t *birth, uint8_t *sex)
{
	int yy = (d[0] - '0') * 10 + (d[1] - '0'), mm = (d[2] - '0') * 10 + (d[3] - '0');
	int dd = (d[4] - '0') * 10 + (d[5] - '0'), century = 1900;

	if (mm > 80) { century = 1800; mm -= 80; }
	else if (mm > 60) { century = 2200; mm -= 60; }
	else if (mm > 40) { century = 2100; mm -= 40; }
	else if (mm > 20) { century = 2000; mm -= 20; }
	if (mm < 1 || mm > 12 || dd < 1 || dd > 31)
		return 0;
	*birth = (century + yy) * 10000 + mm * 100 + dd;
	*sex = ((d[9] - '0') % 2) != 0 ? LINK_SEX_M : LINK_SEX_F;
	return 1;
}

/* prepare_id() fills the identifier fields: a PESEL decoded, another number folded. */
static int prepare_id(struct link_pool *p, const struct link_record *r, struct link_prec *out)
{
	char digits[32];
	size_t n;

	if (r->pesel != NULL && (n = link_digits(r->pesel, digits, sizeof(digits))) > 0) {
		struct pesel_info info;
		int64_t id;

		if (n == 11 && pesel_check(digits, 0, &info, NULL) == 0) {
			out->idkind = LID_PESEL_OK;
			out->pesel_birth = info.year * 10000 + info.month * 100 + info.day;
			out->pesel_sex = info.sex == 'K' ? LINK_SEX_F : LINK_SEX_M;
		} else {
			out->idkind = LID_PESEL_BAD;
			if (n == 11)
				pesel_decode(digits, &out->pesel_birth, &out->pesel_sex);
		}
		if ((id = pool_intern(p, digits, n, 0)) < 0)
			return -1;
		out->f[LS_IDNUM] = (uint32_t)id;
		return 0;
	}
	if (intern_field(p, r->national_id, 0, &out->f[LS_IDNUM]) != 0)
		return -1;
	out->idkind = out->f[LS_IDNUM] != 0 ? LID_OTHER : LID_NONE;
	return 0;
}

int link_prepare(struct link_pool *p, const struct link_record *r, struct link_prec *out)
{
	const char *text[LS__MAX] = {
		[LS_GIVEN] = r->given, [LS_SURNAME] = r->surname, [LS_BIRTH_SURNAME] = r->birth_surname,
		[LS_STREET] = r->street, [LS_NUMBER] = r->street_number, [LS_ADDRESS2] = r->address2,
		[LS_POSTCODE] = r->postcode, [LS_CITY] = r->city, [LS_REGION] = r->region, [LS_TERC] = r->terc,
	};
	int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < LS_IDNUM; i++)
		if (intern_field(p, text[i], i == LS_GIVEN, &out->f[i]) != 0)
			return -1;
	if (prepare_id(p, r, out) != 0)
		return -1;
	out->birth = r->birth;
	out->sex = (uint8_t)r->sex;
	if (out->idkind == LID_PESEL_OK) { /* a valid PESEL tells what the record left out */
		if (out->birth == 0)
			out->birth = out->pesel_birth;
		if (out->sex == 0)
			out->sex = out->pesel_sex;
	}
	out->group = r->group;
	out->key = r->key;
	return 0;
}

struct link_set *link_set_new(void)
{
	struct link_set *s = calloc(1, sizeof(*s));

	if (s == NULL || pool_init(&s->pool) != 0) {
		if (s != NULL)
			link_pool_free(&s->pool);
		free(s);
		return NULL;
	}
	return s;
}

void link_set_free(struct link_set *s)
{
	if (s == NULL)
		return;
	link_index_free(s->index);
	link_pool_free(&s->pool);
	free(s->rec);
	free(s->ids);
	free(s);
}

/* keep_id() copies the caller's id string into the set. */
static int keep_id(struct link_set *s, const char *id, uint32_t *off)
{
	size_t n = id != NULL ? strlen(id) : 0;

	if (s->idlen + n + 1 > s->idcap) {
		size_t cap = s->idcap ? s->idcap : 1 << 16;
		char *ids;

		while (cap < s->idlen + n + 1)
			cap *= 2;
		if ((ids = realloc(s->ids, cap)) == NULL)
			return -1;
		s->ids = ids;
		s->idcap = cap;
	}
	*off = (uint32_t)s->idlen;
	if (n > 0)
		memcpy(s->ids + s->idlen, id, n);
	s->ids[s->idlen + n] = '\0';
	s->idlen += n + 1;
	return 0;
}

long link_set_add(struct link_set *s, const struct link_record *r)
{
	struct link_prec pr;

	if (s->n >= UINT32_MAX - 1 || s->idlen >= UINT32_MAX / 2)
		return -1;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		struct link_prec *rec = realloc(s->rec, cap * sizeof(*rec));

		if (rec == NULL)
			return -1;
		s->rec = rec;
		s->cap = cap;
	}
	if (link_prepare(&s->pool, r, &pr) != 0 || keep_id(s, r->id, &pr.id) != 0)
		return -1;
	s->rec[s->n] = pr;
	return (long)s->n++;
}

size_t link_set_count(const struct link_set *s)
{
	return s->n;
}

const char *link_set_id(const struct link_set *s, size_t i)
{
	return i < s->n ? s->ids + s->rec[i].id : NULL;
}

int64_t link_set_key(const struct link_set *s, size_t i)
{
	return i < s->n ? s->rec[i].key : 0;
}

int link_set_group(const struct link_set *s, size_t i)
{
	return i < s->n ? s->rec[i].group : 0;
}

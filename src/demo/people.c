/*
 * people.c — the generated people of the demo county (people.h).
 *
 * Everything comes from one splitmix64 stream, so a seed and a "today"
 * give the same households, byte for byte, on every machine. Name lists
 * are ours: the commonest Polish names of three generations with Zipf-like
 * weights (the first of a list about eight times as frequent as the last),
 * surnames in their masculine (dictionary) form with a Wielkopolska
 * flavour, as the county lies there.
 */
#include "demo/people.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/str.h"
#include "registry/situation.h"

/* ------------------------------------------------------------------ */
/* Random numbers                                                       */
/* ------------------------------------------------------------------ */

void demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
	r->s = seed ^ 0x5241c5e3d2a1f00dULL;
}

uint64_t demo_rng_next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t demo_rng_below(struct demo_rng *r, uint32_t n)
{
	return (uint32_t)(((demo_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* pct() is true with probability p percent. */
static int pct(struct demo_rng *r, unsigned p)
{
	return demo_rng_below(r, 100) < p;
}

/* between() is uniform in lo..hi. */
static int between(struct demo_rng *r, int lo, int hi)
{
	return hi <= lo ? lo : lo + (int)demo_rng_below(r, (uint32_t)(hi - lo + 1));
}

/* ------------------------------------------------------------------ */
/* Names                                                                */
/* ------------------------------------------------------------------ */

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Born before 1960, 1960–1989, from 1990: the names each generation was given most. */
static const char *const female_old[] = {
	"Krystyna", "Barbara", "Danuta", "Teresa", "Janina", "Halina", "Irena", "Jadwiga",
	"Zofia", "Maria", "Anna", "Elżbieta", "Stanisława", "Helena", "Genowefa", "Wanda",
	"Bożena", "Grażyna", "Czesława", "Kazimiera", "Henryka", "Leokadia", "Regina", "Władysława",
};
static const char *const female_mid[] = {
	"Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Ewa", "Joanna", "Magdalena", "Monika",
	"Beata", "Dorota", "Iwona", "Jolanta", "Renata", "Justyna", "Sylwia", "Marta",
	"Aneta", "Edyta", "Agata", "Karolina", "Urszula", "Izabela", "Marzena", "Ilona",
};
static const char *const female_young[] = {
	"Julia", "Zuzanna", "Maja", "Lena", "Zofia", "Hanna", "Amelia", "Oliwia",
	"Alicja", "Natalia", "Aleksandra", "Wiktoria", "Martyna", "Weronika", "Emilia", "Gabriela",
	"Nikola", "Karolina", "Paulina", "Laura", "Antonina", "Łucja", "Klaudia", "Patrycja",
};
static const char *const male_old[] = {
	"Stanisław", "Jan", "Józef", "Kazimierz", "Tadeusz", "Zbigniew", "Henryk", "Ryszard",
	"Jerzy", "Władysław", "Edward", "Czesław", "Mieczysław", "Zdzisław", "Bogdan", "Andrzej",
	"Marian", "Roman", "Eugeniusz", "Wiesław", "Franciszek", "Leszek", "Bolesław", "Stefan",
};
static const char *const male_mid[] = {
	"Piotr", "Krzysztof", "Tomasz", "Paweł", "Marcin", "Michał", "Andrzej", "Grzegorz",
	"Marek", "Adam", "Łukasz", "Robert", "Dariusz", "Jarosław", "Rafał", "Mariusz",
	"Sławomir", "Wojciech", "Jacek", "Artur", "Sebastian", "Przemysław", "Radosław", "Mirosław",
};
static const char *const male_young[] = {
	"Jakub", "Kacper", "Antoni", "Jan", "Szymon", "Filip", "Franciszek", "Aleksander",
	"Mikołaj", "Wojciech", "Mateusz", "Bartosz", "Michał", "Kamil", "Dawid", "Adrian",
	"Patryk", "Igor", "Oskar", "Stanisław", "Nikodem", "Tymon", "Łukasz", "Damian",
};

/* Masculine forms, commonest first. */
static const char *const surnames[] = {
	"Nowak", "Kowalski", "Wiśniewski", "Kaczmarek", "Wójcik", "Nowicki", "Kowalczyk",
	"Kamiński", "Lewandowski", "Szymański", "Zieliński", "Woźniak", "Wojciechowski",
	"Dąbrowski", "Nowaczyk", "Kozłowski", "Jankowski", "Mazur", "Mikołajczak", "Kwiatkowski",
	"Krawczyk", "Piotrowski", "Przybylski", "Grabowski", "Michalak", "Zając", "Pawłowski",
	"Kaźmierczak", "Michalski", "Marciniak", "Król", "Walczak", "Wieczorek", "Jabłoński",
	"Adamczak", "Wróbel", "Nowakowski", "Jankowiak", "Majewski", "Olszewski", "Maciejewski",
	"Stępień", "Wawrzyniak", "Malinowski", "Jaworski", "Pawlak", "Adamczyk", "Dudek",
	"Górski", "Witkowski", "Sikora", "Baran", "Rutkowski", "Szewczyk", "Ostrowski",
	"Tomaszewski", "Pietrzak", "Zalewski", "Wróblewski", "Jasiński", "Zawadzki", "Bąk",
	"Jakubowski", "Sadowski", "Duda", "Włodarczyk", "Wilk", "Chmielewski", "Borkowski",
	"Sokołowski", "Szczepański", "Sawicki", "Lis", "Kucharski", "Kalinowski", "Wysocki",
	"Mazurek", "Kubiak", "Czarnecki", "Kołodziej", "Urbański", "Sobczak", "Głowacki",
	"Zakrzewski", "Krupa", "Wasilewski", "Krajewski", "Adamski", "Laskowski", "Ziółkowski",
	"Szulc", "Makowski", "Czerwiński", "Baranowski", "Gajewski", "Mróz", "Brzeziński",
	"Cieślak", "Wójtowicz", "Sowa", "Kowalewski", "Błaszczyk", "Grzelak", "Kasprzak",
	"Rudzki", "Grodzki", "Nawrocki", "Sroka", "Frąckowiak", "Ratajczak", "Stachowiak",
};

/*
 * pick_zipf() draws an index of a list of n with weight 1 / (i + 4): the
 * first name of a list about as frequent as the commonest names are.
 */
static int pick_zipf(struct demo_rng *r, int n)
{
	double total = 0, x;
	int i;

	for (i = 0; i < n; i++)
		total += 1.0 / (i + 4);
	x = (double)(demo_rng_next(r) >> 11) / 9007199254740992.0 * total;
	for (i = 0; i < n - 1; i++) {
		x -= 1.0 / (i + 4);
		if (x < 0)
			break;
	}
	return i;
}

static const char *first_name(struct demo_rng *r, char sex, int birth_year)
{
	const char *const *l;
	int n;

	if (birth_year < 1960) {
		l = sex == 'K' ? female_old : male_old;
		n = sex == 'K' ? N(female_old) : N(male_old);
	} else if (birth_year < 1990) {
		l = sex == 'K' ? female_mid : male_mid;
		n = sex == 'K' ? N(female_mid) : N(male_mid);
	} else {
		l = sex == 'K' ? female_young : male_young;
		n = sex == 'K' ? N(female_young) : N(male_young);
	}
	return l[pick_zipf(r, n)];
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

const char *demo_surname_form(const char *surname, char sex, char *out, size_t outlen)
{
	size_t n = strlen(surname);

	if (outlen == 0)
		return out;
	snprintf(out, outlen, "%s", surname);
	/* -ski, -cki and -dzki (which ends in -zki) are adjectives: the woman's form ends in -a */
	if (sex == 'K' && n < outlen && (ends_with(surname, "ski") || ends_with(surname, "cki") ||
					 ends_with(surname, "dzki")))
		out[n - 1] = 'a';
	return out;
}

/* ------------------------------------------------------------------ */
/* Dates and PESEL                                                      */
/* ------------------------------------------------------------------ */

/* days_from_civil() counts days from 1970-01-01 (H. Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int demo_pesel(int y, int m, int d, char sex, unsigned serial, char out[12])
{
	static const int w[10] = { 1, 3, 7, 9, 1, 3, 7, 9, 1, 3 };
	int mm, i, sum = 0, last;
	char buf[48];

	if (y < 1800 || y > 2299 || m < 1 || m > 12 || d < 1 || d > month_days(y, m) ||
	    serial >= 5000 || (sex != 'K' && sex != 'M'))
		return -1;
	/* the century is in the month: 1800s +80, 1900s +0, 2000s +20, 2100s +40, 2200s +60 */
	mm = m + (y < 1900 ? 80 : (y - 1900) / 100 * 20);
	last = (int)(serial % 5) * 2 + (sex == 'M');
	snprintf(buf, sizeof(buf), "%02d%02d%02d%03u%d", y % 100, mm % 100, d % 100, (serial / 5) % 1000,
		 last % 10);
	memcpy(out, buf, 10);
	for (i = 0; i < 10; i++)
		sum += (out[i] - '0') * w[i];
	out[10] = (char)('0' + (10 - sum % 10) % 10);
	out[11] = '\0';
	return 0;
}

/* ------------------------------------------------------------------ */
/* The county                                                           */
/* ------------------------------------------------------------------ */

struct place {
	const char *terc;
	const char *postcode;
	int weight;           /* share of the county's clients */
	int town;             /* 1 = a town with streets and blocks of flats */
	const char *const *villages; /* rural: the villages (first = the seat) */
};

static const char *const streets[] = {
	"ul. Lipowa", "ul. Kolejowa", "ul. Zielona", "ul. Szkolna", "ul. Mickiewicza",
	"ul. Kościuszki", "ul. Słowackiego", "ul. Polna", "ul. Ogrodowa", "ul. Kwiatowa",
	"ul. Leśna", "ul. Sienkiewicza", "ul. Parkowa", "ul. Wojska Polskiego", "ul. 3 Maja",
	"ul. Reymonta", "ul. Chopina", "ul. Żeromskiego", "ul. Konopnickiej", "ul. Armii Krajowej",
	"ul. Jana Pawła II", "ul. Słoneczna", "ul. Krótka", "ul. Długa", "os. Przyjaźni",
	"os. Tysiąclecia", "pl. Wolności", "ul. Fabryczna", "ul. Torowa", "ul. Dworcowa",
};

static const char *const v_brzozowo[] = { "Brzozowo", "Brzozówka", "Stara Wieś", "Nowa Wieś",
					  "Zalesie", "Podlesie", NULL };
static const char *const v_debina[] = { "Dębina", "Dębinka", "Olszówka", "Kolonia Dębina", "Borki",
					NULL };
static const char *const v_jarzebin[] = { "Jarzębinek", "Wola Jarzębińska", "Grabowo", "Kępa",
					  NULL };
static const char *const v_kalinowo[] = { "Kalinowo", "Kalinówek", "Józefowo", "Marianowo",
					  "Lipie", NULL };
static const char *const v_lipnica[] = { "Lipnica", "Lipnica Mała", "Rososze", "Wygoda", NULL };
static const char *const v_olszyny[] = { "Olszynki", "Grądy", "Budy Olszyńskie", NULL };
static const char *const v_przykladowo[] = { "Stare Przykładowo", "Przykładówek", "Zagórze",
					     "Łęg", "Niwy", NULL };
static const char *const v_wierzbno[] = { "Wierzbno", "Wierzbinek", "Ługi", "Piaski", NULL };
static const char *const v_zielonka[] = { "Zielonka Mała", "Zielonka Wielka", "Ruda", "Zawady",
					  NULL };

static const struct place places[] = {
	{ "3050011", "99-300", 30, 1, NULL },
	{ "3050022", "99-310", 8, 0, v_brzozowo },
	{ "3050032", "99-330", 7, 0, v_debina },
	{ "3050044", "99-320", 10, 1, NULL },
	{ "3050045", "99-321", 5, 0, v_jarzebin },
	{ "3050052", "99-340", 6, 0, v_kalinowo },
	{ "3050062", "99-350", 6, 0, v_lipnica },
	{ "3050074", "99-360", 8, 1, NULL },
	{ "3050075", "99-361", 4, 0, v_olszyny },
	{ "3050082", "99-301", 7, 0, v_przykladowo },
	{ "3050092", "99-370", 5, 0, v_wierzbno },
	{ "3050102", "99-380", 4, 0, v_zielonka },
};

const struct demo_gmina demo_gminas[] = {
	{ "3050011", "Przykładowo" }, { "3050022", "Brzozowo" },   { "3050032", "Dębina" },
	{ "3050044", "Jarzębin" },    { "3050045", "Jarzębin" },   { "3050052", "Kalinowo" },
	{ "3050062", "Lipnica" },     { "3050074", "Olszyny" },    { "3050075", "Olszyny" },
	{ "3050082", "Przykładowo" }, { "3050092", "Wierzbno" },   { "3050102", "Zielonka Mała" },
};
const int demo_ngminas = N(demo_gminas);

/* ------------------------------------------------------------------ */
/* A country's surnames (benchmarks of record linkage)                  */
/* ------------------------------------------------------------------ */

/*
 * Stems and endings of Polish surnames: every stem with every ending
 * gives a few thousand plausible surnames (Kowalczyk, Kowalewski,
 * Grabiec...), the long tail a register of a million people has; the
 * county's list above keeps the top ranks, as those are the commonest
 * surnames of the country.
 */
static const char *const stems[] = {
	"Adam", "Bartosz", "Biał", "Bielak", "Bogusz", "Borow", "Brzoz", "Budz", "Burd", "Chmiel",
	"Cich", "Czarn", "Czech", "Dąbr", "Dobr", "Domag", "Drozd", "Dudz", "Falk", "Fijał",
	"Gaw", "Gierl", "Głog", "Gołęb", "Gorz", "Grab", "Grod", "Gruszcz", "Grzyb", "Hajd",
	"Jagieł", "Janusz", "Jarosz", "Jastrzęb", "Kaczor", "Kalin", "Karp", "Kępn", "Klimek",
	"Kłos", "Kmieć", "Kobyl", "Kołacz", "Konop", "Kopczyń", "Korn", "Kosm", "Kowal", "Krasn",
	"Kroll", "Krzyż", "Kubal", "Kulig", "Kurp", "Kwaśn", "Lach", "Lenart", "Lesz", "Lipn",
	"Łabęd", "Łosz", "Łukasz", "Mach", "Maj", "Malc", "Marcin", "Matus", "Miech", "Mielcar",
	"Mierz", "Mirosz", "Mosz", "Mroczk", "Nagór", "Nied", "Nosal", "Nowos", "Ogon", "Olech",
	"Orzech", "Osiń", "Pajd", "Pałk", "Papież", "Pastusz", "Piech", "Pierz", "Pilch", "Płach",
	"Podgór", "Pokor", "Posp", "Przyb", "Ptak", "Rac", "Radom", "Rogal", "Roman", "Rosz",
	"Rybak", "Rzepk", "Sad", "Serafin", "Sieb", "Skowron", "Słom", "Smol", "Sobier", "Sos",
	"Stach", "Stasz", "Strzel", "Suchor", "Szafr", "Szczyg", "Szpak", "Szydł", "Ślus", "Świątek",
	"Tarn", "Tomal", "Trzcin", "Tusz", "Urban", "Walas", "Warcz", "Wąs", "Wdow", "Wiatr",
	"Wierzb", "Wilcz", "Wit", "Włoch", "Wojtas", "Wolsz", "Woros", "Zabor", "Zagaj", "Zapał",
	"Zawisz", "Zbor", "Zdun", "Ziel", "Zimn", "Żak", "Żmud", "Żurek", "Żyl", "Bąkow",
	"Ciesiel", "Dembin", "Figur", "Gąsior", "Hołub", "Jurk", "Kieł", "Lemań", "Mazg", "Nawrot",
};
static const char *const endings[] = {
	"ski", "owski", "ewski", "iński", "czyk", "czak", "ak", "ek", "ik", "iak",
	"uk", "owicz", "ewicz", "a", "ka", "iec",
};

/* The county's surnames, then the stems' in a fixed shuffled order, with weights 1 / (rank + 60). */
struct national {
	const char **names;
	double *cumulative;
	char *text;
	int n;
};

static void national_free(struct national *t)
{
	if (t == NULL)
		return;
	free(t->names);
	free(t->cumulative);
	free(t->text);
	free(t);
}

static struct national *national_new(void)
{
	int ncounty = N(surnames), nstem = N(stems) * N(endings), i, j, k;
	struct national *t = calloc(1, sizeof(*t));
	struct demo_rng order;
	size_t at = 0, cap = (size_t)nstem * 32;
	double total = 0;

	if (t == NULL)
		return NULL;
	t->n = ncounty + nstem;
	t->names = calloc((size_t)t->n, sizeof(*t->names));
	t->cumulative = calloc((size_t)t->n, sizeof(*t->cumulative));
	t->text = malloc(cap);
	if (t->names == NULL || t->cumulative == NULL || t->text == NULL) {
		national_free(t);
		return NULL;
	}
	for (i = 0; i < ncounty; i++)
		t->names[i] = surnames[i];
	for (i = 0, k = ncounty; i < N(stems); i++)
		for (j = 0; j < N(endings); j++, k++) {
			int len = snprintf(t->text + at, cap - at, "%s%s", stems[i], endings[j]);

			t->names[k] = t->text + at;
			at += (size_t)len + 1;
		}
	/* the same order whatever the seed: a surname's frequency is the country's, not the run's */
	demo_rng_seed(&order, 0x5355524eULL);
	for (i = t->n - 1; i > ncounty; i--) {
		int r = ncounty + (int)demo_rng_below(&order, (uint32_t)(i - ncounty + 1));
		const char *x = t->names[i];

		t->names[i] = t->names[r];
		t->names[r] = x;
	}
	for (i = 0; i < t->n; i++) {
		total += 1.0 / (i + 60);
		t->cumulative[i] = total;
	}
	return t;
}

static const char *national_pick(const struct national *t, struct demo_rng *r)
{
	double x = (double)(demo_rng_next(r) >> 11) / 9007199254740992.0 * t->cumulative[t->n - 1];
	int lo = 0, hi = t->n - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (t->cumulative[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return t->names[lo];
}

/* ------------------------------------------------------------------ */
/* The generator                                                        */
/* ------------------------------------------------------------------ */

/* PESEL serials are handed out per birth day and sex, so no two generated persons share one. */
#define SERIAL_DAYS (200 * 366) /* births 1900..2099 */

struct demo_gen {
	struct demo_rng rng;
	int64_t today;          /* days since 1970 */
	int today_year;
	int64_t households;
	uint16_t *serials;      /* [day * 2 + male]: serials used */
	struct national *national; /* NULL: the county's surnames */
};

struct demo_gen *demo_gen_new(uint64_t seed, int today_ymd)
{
	struct demo_gen *g = calloc(1, sizeof(*g));

	if (g == NULL)
		return NULL;
	g->serials = calloc((size_t)SERIAL_DAYS * 2, sizeof(uint16_t));
	if (g->serials == NULL) {
		free(g);
		return NULL;
	}
	demo_rng_seed(&g->rng, seed);
	g->today_year = today_ymd / 10000;
	g->today = days_from_civil(g->today_year, today_ymd / 100 % 100, today_ymd % 100);
	return g;
}

void demo_gen_free(struct demo_gen *g)
{
	if (g == NULL)
		return;
	national_free(g->national);
	free(g->serials);
	free(g);
}

int demo_gen_national_surnames(struct demo_gen *g)
{
	if (g->national == NULL)
		g->national = national_new();
	return g->national != NULL ? 0 : -1;
}

const char *demo_gen_surname(struct demo_gen *g)
{
	if (g->national != NULL)
		return national_pick(g->national, &g->rng);
	return surnames[pick_zipf(&g->rng, N(surnames))];
}

struct demo_rng *demo_gen_rng(struct demo_gen *g)
{
	return &g->rng;
}

static const struct place *pick_place(struct demo_rng *r, int *index)
{
	int total = 0, i, x;

	for (i = 0; i < N(places); i++)
		total += places[i].weight;
	x = (int)demo_rng_below(r, (uint32_t)total);
	for (i = 0; i < N(places) - 1 && x >= places[i].weight; i++)
		x -= places[i].weight;
	*index = i;
	return &places[i];
}

/* A household's address, copied to every member. */
static void address(struct demo_rng *r, const struct place *pl, struct demo_person *p)
{
	int flats = pl->town ? (strcmp(pl->terc, "3050011") == 0 ? 60 : 40) : 0;

	snprintf(p->terc, sizeof(p->terc), "%s", pl->terc);
	snprintf(p->postcode, sizeof(p->postcode), "%s", pl->postcode);
	if (pl->town) {
		int i;

		for (i = 0; i < demo_ngminas && strcmp(demo_gminas[i].terc, pl->terc) != 0; i++)
			;
		snprintf(p->town, sizeof(p->town), "%s", demo_gminas[i].seat);
		snprintf(p->street, sizeof(p->street), "%s", streets[pick_zipf(r, N(streets))]);
	} else {
		int nv = 0;

		while (pl->villages[nv] != NULL)
			nv++;
		/* the seat village is the largest */
		snprintf(p->town, sizeof(p->town), "%s",
			 pl->villages[pct(r, 40) ? 0 : between(r, 0, nv - 1)]);
		p->street[0] = '\0';
	}
	snprintf(p->house_no, sizeof(p->house_no), "%d%s", between(r, 1, pl->town ? 90 : 150),
		 pct(r, 6) ? "a" : "");
	if (flats > 0 && pct(r, (unsigned)flats))
		snprintf(p->flat_no, sizeof(p->flat_no), "%d", between(r, 1, 60));
	else
		p->flat_no[0] = '\0';
}

static const char *education(struct demo_rng *r, int age)
{
	int x;

	if (age < 16)
		return NULL;
	if (age < 19)
		return pct(r, 70) ? "primary" : "lower_secondary";
	x = (int)demo_rng_below(r, 100);
	if (x < 18)
		return "primary";
	if (x < 24)
		return "lower_secondary";
	if (x < 58)
		return "vocational";
	if (x < 82)
		return "secondary";
	if (x < 88)
		return "post_secondary";
	return "higher";
}

/*
 * person() fills p: sex, an age in full years, a birth date with that age
 * today, a PESEL, a first name of the birth year's generation (a second
 * one for some) and the family surname in the form for the sex.
 */
static void person(struct demo_gen *g, struct demo_person *p, char sex, int age, const char *family,
		   const char *relation)
{
	struct demo_rng *r = &g->rng;
	int64_t day, slot;
	int y, m, d;
	unsigned serial;
	const char *first, *second;

	if (age < 0)
		age = 0;
	if (age > 99)
		age = 99;
	/* born between age+1 years and age years ago (less a day) */
	day = g->today - (int64_t)((age + 1) * 365.2425) + 1 + (int64_t)demo_rng_below(r, 365);
	if (day > g->today)
		day = g->today;
	civil_from_days(day, &y, &m, &d);
	p->sex = sex;
	p->age = age;
	p->relation = relation;
	snprintf(p->birth_date, sizeof(p->birth_date), "%04d-%02d-%02d", y, m, d);
	slot = (day - days_from_civil(1900, 1, 1)) * 2 + (sex == 'M');
	if (slot >= 0 && slot < (int64_t)SERIAL_DAYS * 2) {
		unsigned used = g->serials[slot]++;

		/* a bijection of 0..4999 (2909 is prime to 5000), offset per day */
		serial = (unsigned)((used * 2909u + (unsigned)(slot * 131 % 5000)) % 5000u);
	} else {
		serial = demo_rng_below(r, 5000);
	}
	demo_pesel(y, m, d, sex, serial, p->pesel);
	first = first_name(r, sex, y);
	second = pct(r, 18) ? first_name(r, sex, y) : NULL;
	if (second != NULL && strcmp(second, first) != 0)
		snprintf(p->first_names, sizeof(p->first_names), "%s %s", first, second);
	else
		snprintf(p->first_names, sizeof(p->first_names), "%s", first);
	demo_surname_form(family, sex, p->surname, sizeof(p->surname));
	p->education = education(r, age);
	p->disability = NULL;
	if (age >= 18 && pct(r, age >= 55 ? 18 : 7)) {
		static const char *const degrees[] = { "light", "moderate", "moderate", "significant" };

		p->disability = degrees[demo_rng_below(r, 4)];
	}
	p->phone[0] = '\0';
	if (age >= 16 && pct(r, age >= 75 ? 45 : 75))
		/* a fictional area code (11 is not used in Poland), like the demo institutions' */
		snprintf(p->phone, sizeof(p->phone), "+48 11 5%02u %02u %02u", demo_rng_below(r, 100) % 100,
			 demo_rng_below(r, 100) % 100, demo_rng_below(r, 100) % 100);
}

/* adult_age() draws the age of a single adult applicant: many old people, some young. */
static int adult_age(struct demo_rng *r)
{
	int x = (int)demo_rng_below(r, 100);

	if (x < 22)
		return between(r, 19, 39);
	if (x < 55)
		return between(r, 40, 64);
	return between(r, 65, 92);
}

static int children_count(struct demo_rng *r)
{
	int x = (int)demo_rng_below(r, 100);

	return x < 35 ? 1 : x < 70 ? 2 : x < 88 ? 3 : x < 96 ? 4 : 5;
}

static void add_children(struct demo_gen *g, struct demo_household *h, int n, int mother_age,
			 const char *family)
{
	struct demo_rng *r = &g->rng;
	int i, oldest = mother_age - 19, youngest = mother_age - 45;

	/* born when the mother was 19 to 45, and still living at home (under 25) */
	if (oldest > 24)
		oldest = 24;
	if (youngest < 0)
		youngest = 0;
	for (i = 0; i < n && h->n < DEMO_HOUSEHOLD_MAX; i++) {
		int age = oldest < youngest ? youngest : between(r, youngest, oldest);

		person(g, &h->members[h->n++], pct(r, 49) ? 'K' : 'M', age, family, "child");
	}
}

void demo_gen_household(struct demo_gen *g, struct demo_household *h)
{
	struct demo_rng *r = &g->rng;
	const char *family = demo_gen_surname(g);
	const struct place *pl = pick_place(r, &h->gmina);
	int kind = (int)demo_rng_below(r, 100), i, age;
	char sex;

	memset(h, 0, sizeof(*h));
	h->number = ++g->households;
	for (i = 0; i < demo_ngminas; i++)
		if (strcmp(demo_gminas[i].terc, pl->terc) == 0)
			h->gmina = i;
	if (kind < 40) {
		/* one person: more old women, more middle-aged men */
		age = adult_age(r);
		sex = pct(r, age >= 65 ? 65 : 42) ? 'K' : 'M';
		person(g, &h->members[h->n++], sex, age, family, "applicant");
	} else if (kind < 63 || kind >= 90) {
		/* a couple with children; from 90 three generations */
		int woman = between(r, 22, kind >= 90 ? 52 : 48);
		int man = woman + between(r, -2, 6);
		int woman_applies = pct(r, 60);

		if (woman_applies) {
			person(g, &h->members[h->n++], 'K', woman, family, "applicant");
			person(g, &h->members[h->n++], 'M', man, family, "spouse");
		} else {
			person(g, &h->members[h->n++], 'M', man, family, "applicant");
			person(g, &h->members[h->n++], 'K', woman, family, "spouse");
		}
		if (kind >= 90) {
			/* the applicant's parent(s) live with them */
			int old = h->members[0].age + between(r, 20, 32);

			if (pct(r, 70))
				person(g, &h->members[h->n++], 'K', old, family, "parent");
			if (h->n < 3 || pct(r, 35))
				person(g, &h->members[h->n++], 'M', old + between(r, 0, 4), family,
				       "parent");
			add_children(g, h, between(r, 1, 3), woman, family);
		} else {
			add_children(g, h, children_count(r), woman, family);
		}
	} else if (kind < 78) {
		/* a single parent, usually the mother */
		int parent = between(r, 20, 50);

		person(g, &h->members[h->n++], pct(r, 86) ? 'K' : 'M', parent, family, "applicant");
		add_children(g, h, children_count(r) > 3 ? 3 : children_count(r), parent, family);
	} else {
		/* an older couple whose children have left */
		int woman = between(r, 52, 86);

		person(g, &h->members[h->n++], pct(r, 50) ? 'K' : 'M', woman, family, "applicant");
		person(g, &h->members[h->n++], h->members[0].sex == 'K' ? 'M' : 'K',
		       woman + between(r, -3, 4), family, "spouse");
	}
	address(r, pl, &h->members[0]);
	for (i = 1; i < h->n; i++) {
		struct demo_person *p = &h->members[i];

		memcpy(p->street, h->members[0].street, sizeof(p->street));
		memcpy(p->house_no, h->members[0].house_no, sizeof(p->house_no));
		memcpy(p->flat_no, h->members[0].flat_no, sizeof(p->flat_no));
		memcpy(p->postcode, h->members[0].postcode, sizeof(p->postcode));
		memcpy(p->town, h->members[0].town, sizeof(p->town));
		memcpy(p->terc, h->members[0].terc, sizeof(p->terc));
	}
}

/* ------------------------------------------------------------------ */
/* CSV for benchmarks                                                   */
/* ------------------------------------------------------------------ */

/* Windows-1250 bytes of the characters generated people and headers use. */
static const struct {
	uint32_t cp;
	unsigned char b;
} cp1250[] = {
	{ 0x0104, 0xA5 }, { 0x0105, 0xB9 }, { 0x0106, 0xC6 }, { 0x0107, 0xE6 }, { 0x0118, 0xCA },
	{ 0x0119, 0xEA }, { 0x0141, 0xA3 }, { 0x0142, 0xB3 }, { 0x0143, 0xD1 }, { 0x0144, 0xF1 },
	{ 0x00D3, 0xD3 }, { 0x00F3, 0xF3 }, { 0x015A, 0x8C }, { 0x015B, 0x9C }, { 0x0179, 0x8F },
	{ 0x017A, 0x9F }, { 0x017B, 0xAF }, { 0x017C, 0xBF }, { 0x201E, 0x84 }, { 0x201D, 0x94 },
	{ 0x2013, 0x96 }, { 0x2014, 0x97 }, { 0x00A0, 0xA0 }, { 0x20AC, 0x80 },
};

size_t demo_utf8_to_cp1250(const char *s, char *out, size_t outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0;

	while (*u != '\0' && n + 1 < outlen) {
		uint32_t cp;
		int len, i;

		if (*u < 0x80) {
			out[n++] = (char)*u++;
			continue;
		}
		len = (*u & 0xE0) == 0xC0 ? 2 : (*u & 0xF0) == 0xE0 ? 3 : (*u & 0xF8) == 0xF0 ? 4 : 1;
		cp = len == 2 ? *u & 0x1Fu : len == 3 ? *u & 0x0Fu : *u & 0x07u;
		for (i = 1; i < len && (u[i] & 0xC0) == 0x80; i++)
			cp = cp << 6 | (u[i] & 0x3Fu);
		u += i;
		out[n] = '?';
		for (i = 0; i < N(cp1250); i++)
			if (cp1250[i].cp == cp)
				out[n] = (char)cp1250[i].b;
		n++;
	}
	out[n] = '\0';
	return n;
}

/* field() appends v to the line; generated values hold no ';', quote or line break. */
static void field(char *line, size_t *len, size_t cap, const char *v, int last)
{
	size_t n = strlen(v);

	if (*len + n + 3 >= cap)
		return;
	memcpy(line + *len, v, n);
	*len += n;
	if (last) {
		line[(*len)++] = '\r';
		line[(*len)++] = '\n';
	} else {
		line[(*len)++] = ';';
	}
	line[*len] = '\0';
}

static int put(FILE *f, const char *utf8, enum demo_encoding enc)
{
	char conv[1024];

	if (enc == DEMO_CP1250) {
		size_t n = demo_utf8_to_cp1250(utf8, conv, sizeof(conv));

		return fwrite(conv, 1, n, f) == n ? 0 : -1;
	}
	return fputs(utf8, f) >= 0 ? 0 : -1;
}

int demo_people_csv(FILE *f, int64_t n, uint64_t seed, int today_ymd, enum demo_encoding enc)
{
	static const char header[] = "PESEL;Imię;Nazwisko;Data urodzenia;Płeć;Kod pocztowy;"
				     "Miejscowość;Ulica;Nr domu;Nr lokalu;Telefon;Nr gospodarstwa\r\n";
	struct demo_gen *g = demo_gen_new(seed, today_ymd);
	struct demo_household h;
	char line[1024], hh[24];
	int64_t written = 0;
	int i, rc = 0;

	if (g == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (enc == DEMO_UTF8 && fputs("\xEF\xBB\xBF", f) < 0)
		rc = -1;
	if (rc == 0)
		rc = put(f, header, enc);
	while (rc == 0 && written < n) {
		demo_gen_household(g, &h);
		snprintf(hh, sizeof(hh), "G%07lld", (long long)h.number);
		for (i = 0; i < h.n && written < n && rc == 0; i++, written++) {
			const struct demo_person *p = &h.members[i];
			size_t len = 0;
			char date[11];

			snprintf(date, sizeof(date), "%s", p->birth_date);
			line[0] = '\0';
			field(line, &len, sizeof(line), p->pesel, 0);
			field(line, &len, sizeof(line), p->first_names, 0);
			field(line, &len, sizeof(line), p->surname, 0);
			field(line, &len, sizeof(line), date, 0);
			field(line, &len, sizeof(line), p->sex == 'K' ? "K" : "M", 0);
			field(line, &len, sizeof(line), p->postcode, 0);
			field(line, &len, sizeof(line), p->town, 0);
			field(line, &len, sizeof(line), p->street, 0);
			field(line, &len, sizeof(line), p->house_no, 0);
			field(line, &len, sizeof(line), p->flat_no, 0);
			field(line, &len, sizeof(line), p->phone, 0);
			field(line, &len, sizeof(line), hh, 1);
			rc = put(f, line, enc);
		}
	}
	demo_gen_free(g);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The demo database                                                    */
/* ------------------------------------------------------------------ */

/* Statements */
static const struct db_sql SQL_INSTITUTIONS =
	DB_SQL("SELECT id, kind, terc FROM institution WHERE active = 1 ORDER BY id");
static const struct db_sql SQL_WORKERS = DB_SQL(
	"SELECT u.id, u.institution_id, r.role FROM app_user u JOIN user_role r ON r.user_id = u.id "
	"WHERE u.active = 1 AND r.role IN ('social_worker', 'labour_adviser') ORDER BY u.id");
static const struct db_sql SQL_MAX_PERSON = DB_SQL("SELECT COALESCE(MAX(id), 0) FROM person");
static const struct db_sql SQL_MAX_FAMILY = DB_SQL("SELECT COALESCE(MAX(id), 0) FROM family");
static const struct db_sql SQL_MAX_MEMBER = DB_SQL("SELECT COALESCE(MAX(id), 0) FROM family_member");
/* explicit ids were loaded: move PostgreSQL's identity sequences past them */
static const struct db_sql SQL_SEQ_PERSON = DB_SQL(
	"SELECT setval(pg_get_serial_sequence('person', 'id'), (SELECT MAX(id) FROM person))");
static const struct db_sql SQL_SEQ_FAMILY = DB_SQL(
	"SELECT setval(pg_get_serial_sequence('family', 'id'), (SELECT MAX(id) FROM family))");
static const struct db_sql SQL_SEQ_MEMBER = DB_SQL(
	"SELECT setval(pg_get_serial_sequence('family_member', 'id'), (SELECT MAX(id) FROM family_member))");

#define MAX_OWNERS 64
#define MAX_WORKERS 8

struct owner {
	int64_t id;
	char kind[16];
	char terc[8];
	int64_t workers[MAX_WORKERS];
	int nworkers, next;
};

struct owners {
	struct owner o[MAX_OWNERS];
	int n;
	int pcpr, pup; /* indexes, -1 when missing */
};

/* A household as stored: who owns it, since when, and the ids given. */
struct stored {
	struct demo_household h;
	int owner;              /* index in owners */
	int64_t lead;           /* 0 = none */
	int64_t family_id;
	int64_t person_id[DEMO_HOUSEHOLD_MAX];
	int64_t member_id[DEMO_HOUSEHOLD_MAX];
	char since[11];         /* client since (YYYY-MM-DD) */
	char since_at[21];      /* the same as a timestamp */
};

/* A PUP record of a person also held by an OPS: the registered unemployed. */
struct pup_copy {
	int household, member;
	int64_t id;
	int64_t lead;
	int variant;            /* 0 = the same data; 1..3 = written differently (linkage material) */
	char since[11], since_at[21];
};

static int load_owners(struct db *db, struct owners *ow)
{
	struct db_stmt *st = db_query(db, &SQL_INSTITUTIONS, NULL);
	int rc, i;

	ow->n = 0;
	ow->pcpr = ow->pup = -1;
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && ow->n < MAX_OWNERS) {
		struct owner *o = &ow->o[ow->n];

		memset(o, 0, sizeof(*o));
		o->id = db_col_int(st, 0);
		snprintf(o->kind, sizeof(o->kind), "%s", db_col_text(st, 1));
		snprintf(o->terc, sizeof(o->terc), "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
		if (strcmp(o->kind, "pcpr") == 0 && ow->pcpr < 0)
			ow->pcpr = ow->n;
		if (strcmp(o->kind, "pup") == 0 && ow->pup < 0)
			ow->pup = ow->n;
		ow->n++;
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	st = db_query(db, &SQL_WORKERS, NULL);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t inst = db_col_int(st, 1);

		for (i = 0; i < ow->n; i++)
			if (ow->o[i].id == inst && ow->o[i].nworkers < MAX_WORKERS)
				ow->o[i].workers[ow->o[i].nworkers++] = db_col_int(st, 0);
	}
	db_reset(st);
	return rc < 0 ? -1 : 0;
}

/* ops_of() is the social-assistance centre of the gmina terc (the same first six digits). */
static int ops_of(const struct owners *ow, const char *terc)
{
	int i;

	for (i = 0; i < ow->n; i++)
		if ((strcmp(ow->o[i].kind, "ops") == 0 || strcmp(ow->o[i].kind, "mops") == 0) &&
		    strncmp(ow->o[i].terc, terc, 6) == 0)
			return i;
	return -1;
}

/* lead_of() hands the institution's cases to its workers in turn; 0 when it has none. */
static int64_t lead_of(struct owners *ow, int i)
{
	struct owner *o = &ow->o[i];

	if (o->nworkers == 0)
		return 0;
	return o->workers[o->next++ % o->nworkers];
}

static void date_ago(int64_t today, int64_t days, char date[11], char at[21])
{
	int y, m, d;

	civil_from_days(today - days, &y, &m, &d);
	snprintf(date, 11, "%04d-%02d-%02d", y, m, d);
	snprintf(at, 21, "%04d-%02d-%02dT09:00:00Z", y, m, d);
}

static const char *num(char *buf, int64_t v)
{
	if (v == 0)
		return NULL;
	snprintf(buf, 24, "%lld", (long long)v);
	return buf;
}

static const char *opt(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

static const char *const person_cols[] = {
	"id", "institution_id", "lead_worker_id", "pesel", "first_names", "surname", "sex",
	"birth_date", "citizenship", "street", "house_no", "flat_no", "postcode", "town", "terc",
	"phone", "education", "disability", "disability_from", "surname_fold", "first_fold",
	"town_fold", "street_fold", "created_at", "updated_at",
};
#define PERSON_NCOLS 25

/* person_row() loads one person row; street may differ from p's (a PUP's own spelling). */
static int person_row(struct db_bulk *b, struct arena *a, int64_t id, int64_t inst, int64_t lead,
		      const struct demo_person *p, const char *first, const char *street,
		      const char *flat, const char *since, const char *at)
{
	char ids[3][24];
	const char *v[PERSON_NCOLS] = {
		num(ids[0], id), num(ids[1], inst), num(ids[2], lead), p->pesel, first, p->surname,
		p->sex == 'K' ? "K" : "M", p->birth_date, "PL", opt(street), p->house_no, opt(flat),
		p->postcode, p->town, p->terc, opt(p->phone), p->education, p->disability,
		p->disability != NULL ? since : NULL, str_fold(a, p->surname), str_fold(a, first),
		str_fold(a, p->town), opt(street) ? str_fold(a, street) : NULL, at, at,
	};

	if (v[19] == NULL || v[20] == NULL || v[21] == NULL)
		return DB_ERROR;
	return db_bulk_row(b, v);
}

/* The PUP writes a few things its own way: the linkage issue's material. */
static void pup_variant(const struct pup_copy *c, const struct demo_person *p, char *first,
			size_t firstlen, const char **street, const char **flat)
{
	const char *space = strchr(p->first_names, ' ');

	snprintf(first, firstlen, "%s", p->first_names);
	*street = p->street;
	*flat = p->flat_no;
	if (c->variant == 1 && space != NULL) /* only the first of the first names */
		snprintf(first, firstlen, "%.*s", (int)(space - p->first_names), p->first_names);
	else if (c->variant == 2 && strncmp(p->street, "ul. ", 4) == 0) /* without "ul." */
		*street = p->street + 4;
	else if (c->variant == 3) /* the flat number not given */
		*flat = "";
}

struct build {
	struct db *db;
	struct arena *a;
	struct stored *hh;
	int nhh;
	struct pup_copy *pup;
	int npup;
	struct owners ow;
	struct demo_people_stats *st;
	char *err;
	size_t errlen;
};

static int load_persons(struct build *B)
{
	struct db_bulk *b = db_bulk_begin(B->db, "person", person_cols, PERSON_NCOLS, B->err, B->errlen);
	int i, j, rc = DB_OK;

	if (b == NULL)
		return -1;
	for (i = 0; i < B->nhh && rc == DB_OK; i++) {
		const struct stored *s = &B->hh[i];

		for (j = 0; j < s->h.n && rc == DB_OK; j++) {
			const struct demo_person *p = &s->h.members[j];

			rc = person_row(b, B->a, s->person_id[j], B->ow.o[s->owner].id, s->lead, p,
					p->first_names, p->street, p->flat_no, s->since, s->since_at);
		}
	}
	for (i = 0; i < B->npup && rc == DB_OK; i++) {
		const struct pup_copy *c = &B->pup[i];
		const struct demo_person *p = &B->hh[c->household].h.members[c->member];
		const char *street, *flat;
		char first[64];

		pup_variant(c, p, first, sizeof(first), &street, &flat);
		rc = person_row(b, B->a, c->id, B->ow.o[B->ow.pup].id, c->lead, p, first, street, flat,
				c->since, c->since_at);
	}
	if (rc != DB_OK) {
		snprintf(B->err, B->errlen, "demo persons: %s", db_errmsg(B->db));
		db_bulk_abort(b);
		return -1;
	}
	return db_bulk_end(b) == DB_OK ? 0 : -1;
}

static int load_families(struct build *B)
{
	static const char *const cols[] = { "id", "institution_id", "lead_worker_id", "applicant_id",
					    "street", "house_no", "flat_no", "postcode", "town",
					    "terc", "created_at", "updated_at" };
	struct db_bulk *b = db_bulk_begin(B->db, "family", cols, 12, B->err, B->errlen);
	int i, rc = DB_OK;

	if (b == NULL)
		return -1;
	for (i = 0; i < B->nhh && rc == DB_OK; i++) {
		const struct stored *s = &B->hh[i];
		const struct demo_person *p = &s->h.members[0];
		char ids[4][24];
		const char *v[12] = { num(ids[0], s->family_id), num(ids[1], B->ow.o[s->owner].id),
				      num(ids[2], s->lead), num(ids[3], s->person_id[0]),
				      opt(p->street), p->house_no, opt(p->flat_no), p->postcode,
				      p->town, p->terc, s->since_at, s->since_at };

		rc = db_bulk_row(b, v);
	}
	if (rc != DB_OK) {
		snprintf(B->err, B->errlen, "demo families: %s", db_errmsg(B->db));
		db_bulk_abort(b);
		return -1;
	}
	return db_bulk_end(b) == DB_OK ? 0 : -1;
}

/* member_from() is when a member joined: the household's start, or their birth if later. */
static const char *member_from(const struct stored *s, int j)
{
	const char *born = s->h.members[j].birth_date;

	return strcmp(born, s->since) > 0 ? born : s->since;
}

static int load_members(struct build *B)
{
	static const char *const cols[] = { "id", "family_id", "person_id", "institution_id",
					    "relation", "member_from" };
	struct db_bulk *b = db_bulk_begin(B->db, "family_member", cols, 6, B->err, B->errlen);
	int i, j, rc = DB_OK;

	if (b == NULL)
		return -1;
	for (i = 0; i < B->nhh && rc == DB_OK; i++) {
		const struct stored *s = &B->hh[i];

		for (j = 0; j < s->h.n && rc == DB_OK; j++) {
			char ids[4][24];
			const char *v[6] = { num(ids[0], s->member_id[j]), num(ids[1], s->family_id),
					     num(ids[2], s->person_id[j]),
					     num(ids[3], B->ow.o[s->owner].id),
					     s->h.members[j].relation, member_from(s, j) };

			rc = db_bulk_row(b, v);
			B->st->members++;
		}
	}
	if (rc != DB_OK) {
		snprintf(B->err, B->errlen, "demo family members: %s", db_errmsg(B->db));
		db_bulk_abort(b);
		return -1;
	}
	return db_bulk_end(b) == DB_OK ? 0 : -1;
}

static const char *const history_cols[] = { "institution_id", "entity", "entity_id", "person_id",
					    "family_id", "change", "actor", "at" };

static int history_row(struct build *B, struct db_bulk *b, int64_t inst, const char *entity,
		       int64_t entity_id, int64_t person_id, int64_t family_id, const char *at)
{
	char ids[4][24];
	const char *v[8] = { num(ids[0], inst), entity, num(ids[1], entity_id), num(ids[2], person_id),
			     num(ids[3], family_id), "create", "(demo)", at };

	B->st->history++;
	return db_bulk_row(b, v);
}

/* One "create" row per record, dated when the record was made. */
static int load_history(struct build *B)
{
	struct db_bulk *b = db_bulk_begin(B->db, "record_history", history_cols, 8, B->err, B->errlen);
	int i, j, rc = DB_OK;

	if (b == NULL)
		return -1;
	for (i = 0; i < B->nhh && rc == DB_OK; i++) {
		const struct stored *s = &B->hh[i];
		int64_t inst = B->ow.o[s->owner].id;

		for (j = 0; j < s->h.n && rc == DB_OK; j++)
			rc = history_row(B, b, inst, "person", s->person_id[j], s->person_id[j], 0,
					 s->since_at);
		if (rc == DB_OK)
			rc = history_row(B, b, inst, "family", s->family_id, s->person_id[0],
					 s->family_id, s->since_at);
		for (j = 0; j < s->h.n && rc == DB_OK; j++)
			rc = history_row(B, b, inst, "member", s->member_id[j], s->person_id[j],
					 s->family_id, s->since_at);
	}
	for (i = 0; i < B->npup && rc == DB_OK; i++)
		rc = history_row(B, b, B->ow.o[B->ow.pup].id, "person", B->pup[i].id, B->pup[i].id, 0,
				 B->pup[i].since_at);
	if (rc != DB_OK) {
		snprintf(B->err, B->errlen, "demo history: %s", db_errmsg(B->db));
		db_bulk_abort(b);
		return -1;
	}
	return db_bulk_end(b) == DB_OK ? 0 : -1;
}

/*
 * plan() generates the households and decides who owns each, since when,
 * and which adults the PUP holds too; ids follow those already used.
 */
static int plan(struct build *B, struct demo_gen *g, int households, int64_t today)
{
	struct demo_rng *r = demo_gen_rng(g);
	int64_t pid = 0, fid = 0, mid = 0;
	int i, j;

	if (db_get_int(B->db, &pid, &SQL_MAX_PERSON, NULL) != DB_ROW ||
	    db_get_int(B->db, &fid, &SQL_MAX_FAMILY, NULL) != DB_ROW ||
	    db_get_int(B->db, &mid, &SQL_MAX_MEMBER, NULL) != DB_ROW) {
		snprintf(B->err, B->errlen, "reading the registry: %s", db_errmsg(B->db));
		return -1;
	}
	for (i = 0; i < households; i++) {
		struct stored *s = &B->hh[B->nhh];
		int64_t ago;
		int closed;

		demo_gen_household(g, &s->h);
		s->owner = ops_of(&B->ow, s->h.members[0].terc);
		/* the PCPR serves some families itself (disability, foster care) */
		if (B->ow.pcpr >= 0 && (s->owner < 0 || pct(r, 5)))
			s->owner = B->ow.pcpr;
		if (s->owner < 0)
			continue;
		s->lead = lead_of(&B->ow, s->owner);
		/* clients for up to ten years; a few closed long ago, past any retention period */
		closed = pct(r, 3);
		ago = closed ? between(r, 12 * 365, 16 * 365) : between(r, 20, 10 * 365);
		date_ago(today, ago, s->since, s->since_at);
		s->family_id = ++fid;
		for (j = 0; j < s->h.n; j++) {
			const struct demo_person *p = &s->h.members[j];

			s->person_id[j] = ++pid;
			s->member_id[j] = ++mid;
			/* about one in ten persons is also a PUP record: the unemployed of working age */
			if (B->ow.pup >= 0 && !closed && p->age >= 18 && p->age <= 64 && pct(r, 19)) {
				struct pup_copy *c = &B->pup[B->npup++];

				c->household = B->nhh;
				c->member = j;
				c->lead = lead_of(&B->ow, B->ow.pup);
				c->variant = pct(r, 25) ? between(r, 1, 3) : 0;
				date_ago(today, between(r, 10, 6 * 365), c->since, c->since_at);
			}
		}
		B->nhh++;
	}
	for (i = 0; i < B->npup; i++)
		B->pup[i].id = ++pid;
	B->st->households = B->nhh;
	B->st->pup_pairs = B->npup;
	B->st->persons = pid;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Their situation: reasons, labour-market periods, benefits, interviews */
/* ------------------------------------------------------------------ */

static const struct db_sql SQL_MAX_REASON = DB_SQL("SELECT COALESCE(MAX(id), 0) FROM family_reason");
static const struct db_sql SQL_MAX_STATUS = DB_SQL("SELECT COALESCE(MAX(id), 0) FROM labour_status");
static const struct db_sql SQL_MAX_BENEFIT = DB_SQL("SELECT COALESCE(MAX(id), 0) FROM benefit");
static const struct db_sql SQL_MAX_INTERVIEW = DB_SQL("SELECT COALESCE(MAX(id), 0) FROM interview");
static const struct db_sql SQL_SEQ_REASON = DB_SQL(
	"SELECT setval(pg_get_serial_sequence('family_reason', 'id'), (SELECT MAX(id) FROM family_reason))");
static const struct db_sql SQL_SEQ_STATUS = DB_SQL(
	"SELECT setval(pg_get_serial_sequence('labour_status', 'id'), (SELECT MAX(id) FROM labour_status))");
static const struct db_sql SQL_SEQ_BENEFIT = DB_SQL(
	"SELECT setval(pg_get_serial_sequence('benefit', 'id'), (SELECT MAX(id) FROM benefit))");
static const struct db_sql SQL_SEQ_INTERVIEW = DB_SQL(
	"SELECT setval(pg_get_serial_sequence('interview', 'id'), (SELECT MAX(id) FROM interview))");

/* Rows of one table, as text, gathered before the table is loaded (one COPY at a time). */
struct rows {
	const char *table;
	const char *const *cols;
	int ncols;
	const char **v;  /* n * ncols values */
	int n, cap;
	int64_t next_id; /* the last id given */
};

static const char **rows_add(struct build *B, struct rows *r)
{
	if (r->n == r->cap) {
		int cap = r->cap ? r->cap * 2 : 256;
		const char **v = arena_alloc(B->a, (size_t)cap * (size_t)r->ncols * sizeof(*v));

		if (v == NULL)
			return NULL;
		if (r->n > 0)
			memcpy(v, r->v, (size_t)r->n * (size_t)r->ncols * sizeof(*v));
		r->v = v;
		r->cap = cap;
	}
	memset(&r->v[(size_t)r->n * (size_t)r->ncols], 0, (size_t)r->ncols * sizeof(*r->v));
	return &r->v[(size_t)r->n++ * (size_t)r->ncols];
}

static int rows_load(struct build *B, const struct rows *r)
{
	struct db_bulk *b;
	int i, rc = DB_OK;

	if (r->n == 0)
		return 0;
	b = db_bulk_begin(B->db, r->table, r->cols, r->ncols, B->err, B->errlen);
	if (b == NULL)
		return -1;
	for (i = 0; i < r->n && rc == DB_OK; i++)
		rc = db_bulk_row(b, &r->v[(size_t)i * (size_t)r->ncols]);
	if (rc != DB_OK) {
		snprintf(B->err, B->errlen, "demo %s: %s", r->table, db_errmsg(B->db));
		db_bulk_abort(b);
		return -1;
	}
	return db_bulk_end(b) == DB_OK ? 0 : -1;
}

static const char *istr(struct build *B, int64_t v)
{
	return v == 0 ? NULL : arena_printf(B->a, "%lld", (long long)v);
}

static const char *const reason_cols[] = { "id", "institution_id", "family_id", "reason_code",
					   "period_from", "period_to", "created_at" };
static const char *const status_cols[] = { "id", "institution_id", "person_id", "status", "from_date",
					   "to_date", "dereg_reason", "profile", "source", "created_at" };
static const char *const benefit_cols[] = { "id", "institution_id", "person_id", "family_id",
					    "form_code", "amount_grosze", "period_from", "period_to",
					    "decision_number", "decision_date", "created_at" };
static const char *const interview_cols[] = { "id", "institution_id", "family_id", "person_id",
					      "interview_date", "worker_id", "housing", "income",
					      "employment", "health", "family_relations",
					      "care_upbringing", "conclusions", "work_plan",
					      "created_at", "updated_at" };

struct situation {
	struct rows reason, status, benefit, interview, history;
	struct demo_rng *r;
	int64_t today;
};

static int hist(struct build *B, struct situation *S, int64_t inst, const char *entity, int64_t id,
		int64_t person_id, int64_t family_id, const char *at)
{
	const char **v = rows_add(B, &S->history);

	if (v == NULL)
		return -1;
	v[0] = istr(B, inst);
	v[1] = entity;
	v[2] = istr(B, id);
	v[3] = istr(B, person_id);
	v[4] = istr(B, family_id);
	v[5] = "create";
	v[6] = "(demo)";
	v[7] = at;
	B->st->history++;
	return 0;
}

static const char *day_of(struct build *B, int64_t day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return arena_printf(B->a, "%04d-%02d-%02d", y, m, d);
}

/* day_num() is the day of a generated "YYYY-MM-DD" (always well formed). */
static int64_t day_num(const char *date)
{
	int v[3] = { 0, 0, 0 }, i, k;
	const int at[3] = { 0, 5, 8 }, len[3] = { 4, 2, 2 };

	for (i = 0; i < 3; i++)
		for (k = 0; k < len[i]; k++)
			v[i] = v[i] * 10 + (date[at[i] + k] - '0');
	return days_from_civil(v[0], v[1], v[2]);
}

static int add_reason(struct build *B, struct situation *S, const struct stored *s, const char *code,
		      const char *to)
{
	const char **v = rows_add(B, &S->reason);
	int64_t inst = B->ow.o[s->owner].id, id = ++S->reason.next_id;

	if (v == NULL)
		return -1;
	v[0] = istr(B, id);
	v[1] = istr(B, inst);
	v[2] = istr(B, s->family_id);
	v[3] = code;
	v[4] = s->since;
	v[5] = to;
	v[6] = s->since_at;
	B->st->reasons++;
	return hist(B, S, inst, "reason", id, s->person_id[0], s->family_id, s->since_at);
}

static int add_status(struct build *B, struct situation *S, int64_t inst, int64_t person_id,
		      const char *status, int64_t from, int64_t to, const char *dereg, const char *source)
{
	const char **v = rows_add(B, &S->status);
	const char *f = day_of(B, from), *t = to > 0 ? day_of(B, to) : NULL;
	const char *at = arena_printf(B->a, "%sT10:00:00Z", f);
	int64_t id = ++S->status.next_id;

	if (v == NULL)
		return -1;
	v[0] = istr(B, id);
	v[1] = istr(B, inst);
	v[2] = istr(B, person_id);
	v[3] = status;
	v[4] = f;
	v[5] = t;
	v[6] = dereg;
	/* the 2014–2019 profile, recorded for registrations of those years */
	if (strcmp(status, "registered_unemployed") == 0 && strcmp(f, PROFILE_TO) <= 0 &&
	    (t == NULL || strcmp(t, PROFILE_FROM) >= 0))
		v[7] = pct(S->r, 50) ? "II" : pct(S->r, 60) ? "III" : "I";
	v[8] = source;
	v[9] = at;
	B->st->statuses++;
	return hist(B, S, inst, "status", id, person_id, 0, at);
}

/* the labour-market periods of an adult of working age */
static int statuses(struct build *B, struct situation *S, const struct stored *s, int j, int pup_copy)
{
	static const char *const dereg[] = { "job_taken", "no_show", "refused_offer", "own_request",
					     "job_taken", "other" };
	struct demo_rng *r = S->r;
	int64_t inst = B->ow.o[s->owner].id, pid = s->person_id[j], since = day_num(s->since);
	int64_t start;
	int i;

	if (pup_copy) {
		/* registered now, as the PUP's own record says; a third long ago too */
		for (i = 0; i < B->npup; i++)
			if (B->pup[i].household == (int)(s - B->hh) && B->pup[i].member == j)
				break;
		if (i == B->npup)
			return 0;
		start = day_num(B->pup[i].since);
		if (pct(r, 33) && start - 1200 > since - 4000) {
			int64_t a = start - between(r, 900, 2400), e = start - between(r, 60, 400);

			if (add_status(B, S, inst, pid, "registered_unemployed", a, e,
				       dereg[demo_rng_below(r, 6)], "PUP") != 0 ||
			    add_status(B, S, B->ow.o[B->ow.pup].id, B->pup[i].id, "registered_unemployed",
				       a, e, dereg[demo_rng_below(r, 6)], NULL) != 0)
				return -1;
		}
		return add_status(B, S, inst, pid, "registered_unemployed", start, 0, NULL, "PUP") ||
		       add_status(B, S, B->ow.o[B->ow.pup].id, B->pup[i].id, "registered_unemployed",
				  start, 0, NULL, NULL);
	}
	i = (int)demo_rng_below(r, 100);
	if (i < 30)
		return add_status(B, S, inst, pid, "employed", S->today - between(r, 30, 3000), 0, NULL,
				  "oświadczenie");
	if (i < 45)
		return add_status(B, S, inst, pid, "inactive", since, 0, NULL, "oświadczenie");
	if (i < 55) {
		int64_t a = S->today - between(r, 400, 2500);

		return add_status(B, S, inst, pid, "registered_unemployed", a, a + between(r, 90, 380),
				  dereg[demo_rng_below(r, 6)], "PUP");
	}
	return 0;
}

static int add_benefit(struct build *B, struct situation *S, const struct stored *s, int j,
		       const char *form, int64_t zl, int64_t from, int64_t to)
{
	const char **v = rows_add(B, &S->benefit);
	int64_t inst = B->ow.o[s->owner].id, id = ++S->benefit.next_id, decided = from - between(S->r, 3, 20);
	/* entered when its period starts (never before the household was registered) */
	const char *at = arena_printf(B->a, "%sT11:00:00Z", day_of(B, from));
	int y, m, d;

	if (v == NULL)
		return -1;
	civil_from_days(decided, &y, &m, &d);
	v[0] = istr(B, id);
	v[1] = istr(B, inst);
	v[2] = istr(B, s->person_id[j]);
	v[3] = istr(B, s->family_id);
	v[4] = form;
	v[5] = zl > 0 ? arena_printf(B->a, "%lld", (long long)zl * 100 + (pct(S->r, 20) ? 50 : 0)) : NULL;
	v[6] = day_of(B, from);
	v[7] = to > 0 ? day_of(B, to) : NULL;
	/* a decision number as offices write it: symbol, case, year */
	v[8] = arena_printf(B->a, "%s.8311.%lld.%d", strcmp(B->ow.o[s->owner].kind, "pcpr") == 0 ? "PCPR" : "OPS",
			    (long long)id, y);
	v[9] = day_of(B, decided);
	v[10] = at;
	B->st->benefits++;
	return hist(B, S, inst, "benefit", id, s->person_id[j], s->family_id, at);
}

static const char *const housing[] = {
	"Mieszkanie dwupokojowe w bloku, ogrzewanie miejskie, zadłużenie czynszowe.",
	"Dom jednorodzinny drewniany, ogrzewanie piecem węglowym, brak łazienki.",
	"Mieszkanie komunalne, jeden pokój z kuchnią, wilgoć na ścianach.",
	"Mieszkanie własnościowe, warunki dobre, wyposażenie podstawowe.",
};
static const char *const income[] = {
	"Dochód rodziny poniżej kryterium: zasiłek rodzinny i dorywcze prace.",
	"Emerytura, z której opłacane są leki i rachunki; brak innych dochodów.",
	"Brak stałego dochodu; rodzina korzysta z pomocy krewnych.",
	"Wynagrodzenie minimalne jednego z członków rodziny, alimenty nieregularne.",
};
static const char *const employment[] = {
	"Wnioskodawca zarejestrowany w PUP jako bezrobotny, poszukuje pracy w okolicy.",
	"Pracuje dorywczo przy pracach sezonowych.",
	"Nie pracuje z powodu stanu zdrowia.",
	"Pracuje na umowę zlecenia w niepełnym wymiarze.",
};
static const char *const health[] = {
	"Bez szczególnych problemów zdrowotnych.",
	"Choroba przewlekła, stałe leczenie w poradni specjalistycznej.",
	"Orzeczony umiarkowany stopień niepełnosprawności.",
	"Po hospitalizacji, wymaga pomocy w codziennych czynnościach.",
};
static const char *const relations[] = {
	"Relacje w rodzinie poprawne, członkowie wspierają się.",
	"Konflikty między małżonkami, rodzina korzysta z poradnictwa.",
	"Osoba samotna, kontakt z rodziną sporadyczny.",
	"Dzieci pozostają pod opieką matki, ojciec nie utrzymuje kontaktu.",
};
static const char *const conclusions[] = {
	"Rodzina wymaga wsparcia finansowego i pracy socjalnej.",
	"Zasadne przyznanie zasiłku okresowego oraz pomocy w formie posiłku dla dzieci.",
	"Wskazane usługi opiekuńcze w miejscu zamieszkania.",
	"Konieczna współpraca z PUP w zakresie aktywizacji zawodowej.",
};
static const char *const plans[] = {
	"Spotkania z pracownikiem socjalnym raz w miesiącu; pomoc w kontakcie z PUP.",
	"Zawarcie kontraktu socjalnego; udział w zajęciach KIS.",
	"Pomoc w uzyskaniu orzeczenia o niepełnosprawności; kontakt z PCPR.",
	"Monitorowanie sytuacji dzieci we współpracy ze szkołą.",
};

static int add_interview(struct build *B, struct situation *S, const struct stored *s)
{
	const char **v = rows_add(B, &S->interview);
	int64_t inst = B->ow.o[s->owner].id, id = ++S->interview.next_id;
	const char *date = day_of(B, day_num(s->since) + between(S->r, 1, 14));
	const char *at = arena_printf(B->a, "%sT12:00:00Z", date);
	struct demo_rng *r = S->r;

	if (v == NULL)
		return -1;
	v[0] = istr(B, id);
	v[1] = istr(B, inst);
	v[2] = istr(B, s->family_id);
	v[3] = istr(B, s->person_id[0]);
	v[4] = date;
	v[5] = istr(B, s->lead);
	v[6] = housing[demo_rng_below(r, 4)];
	v[7] = income[demo_rng_below(r, 4)];
	v[8] = employment[demo_rng_below(r, 4)];
	v[9] = health[demo_rng_below(r, 4)];
	v[10] = relations[demo_rng_below(r, 4)];
	v[11] = s->h.n > 1 ? "Dzieci uczęszczają do szkoły, wymagają pomocy w nauce." : NULL;
	v[12] = conclusions[demo_rng_below(r, 4)];
	v[13] = plans[demo_rng_below(r, 4)];
	v[14] = at;
	v[15] = at;
	B->st->interviews++;
	return hist(B, S, inst, "interview", id, s->person_id[0], s->family_id, at);
}

/*
 * household_situation() gives a household its reasons (poverty most
 * often, then illness, unemployment, disability, helplessness, large and
 * single-parent families, a few addiction and violence cases), the
 * labour-market periods of its adults, the benefits granted and, for
 * some, the community interview.
 */
static int household_situation(struct build *B, struct situation *S, const struct stored *s, int old)
{
	struct demo_rng *r = S->r;
	int j, kids = 0, adults = 0, working_age = 0, disabled = 0, elderly = 0, pup = 0, n = 0;
	int64_t since = day_num(s->since), end = old ? since + between(r, 200, 700) : 0;
	const char *to = end > 0 ? day_of(B, end) : NULL;

	for (j = 0; j < s->h.n; j++) {
		const struct demo_person *p = &s->h.members[j];
		int k;

		kids += p->age < 18;
		adults += p->age >= 18;
		working_age += p->age >= 18 && p->age <= 64;
		disabled += p->disability != NULL;
		elderly += p->age >= 65;
		for (k = 0; k < B->npup; k++)
			pup += B->pup[k].household == (int)(s - B->hh) && B->pup[k].member == j;
	}
	/* reasons for assistance, in plausible proportions */
	if (pct(r, 58) && (n++, add_reason(B, S, s, "UBOSTWO", to)) != 0)
		return -1;
	if ((pup > 0 || (working_age > 0 && pct(r, 20))) && (n++, add_reason(B, S, s, "BEZROBOCIE", to)) != 0)
		return -1;
	if (disabled > 0 && pct(r, 70) && (n++, add_reason(B, S, s, "NIEPELNOSPRAWNOSC", to)) != 0)
		return -1;
	if (pct(r, elderly > 0 ? 45 : 15) && (n++, add_reason(B, S, s, "CHOROBA", to)) != 0)
		return -1;
	if (kids > 0 && pct(r, 22) && (n++, add_reason(B, S, s, "BEZRADNOSC", to)) != 0)
		return -1;
	if (kids > 0 && adults == 1 && pct(r, 60) && (n++, add_reason(B, S, s, "RODZINA_NIEPELNA", to)) != 0)
		return -1;
	if (kids >= 3 && pct(r, 70) && (n++, add_reason(B, S, s, "WIELODZIETNOSC", to)) != 0)
		return -1;
	if (pct(r, 5) && (n++, add_reason(B, S, s, "ALKOHOLIZM", to)) != 0)
		return -1;
	if (pct(r, 2) && (n++, add_reason(B, S, s, "PRZEMOC", to)) != 0)
		return -1;
	if (s->h.n == 1 && pct(r, 3) && (n++, add_reason(B, S, s, "BEZDOMNOSC", to)) != 0)
		return -1;
	if (pct(r, 1) && (n++, add_reason(B, S, s, "NARKOMANIA", to)) != 0)
		return -1;
	if (n == 0 && add_reason(B, S, s, "UBOSTWO", to) != 0)
		return -1;
	/* labour-market periods of the adults of working age (not for a household closed long ago) */
	for (j = 0; j < s->h.n && !old; j++) {
		const struct demo_person *p = &s->h.members[j];
		int k, copy = 0;

		for (k = 0; k < B->npup; k++)
			copy |= B->pup[k].household == (int)(s - B->hh) && B->pup[k].member == j;
		if (p->age >= 18 && p->age <= 64 && statuses(B, S, s, j, copy) != 0)
			return -1;
	}
	/* benefits, to the applicant */
	if (pct(r, 35) && add_benefit(B, S, s, 0, "ZASILEK_OKRESOWY", between(r, 200, 900), since,
				      end > 0 ? end : since + between(r, 90, 180)) != 0)
		return -1;
	if ((elderly > 0 || (disabled > 0 && s->h.n == 1)) && s->h.n <= 2 && pct(r, 30) &&
	    add_benefit(B, S, s, 0, "ZASILEK_STALY", between(r, 300, 1229), since, end) != 0)
		return -1;
	if (pct(r, 45) && add_benefit(B, S, s, 0, "ZASILEK_CELOWY", between(r, 100, 800), since,
				      since + between(r, 0, 30)) != 0)
		return -1;
	for (j = 1; j < s->h.n; j++)
		if (s->h.members[j].age >= 3 && s->h.members[j].age < 18 && pct(r, 25) &&
		    add_benefit(B, S, s, j, "POSILEK", 0, since, end > 0 ? end : since + 300) != 0)
			return -1;
	if (elderly > 0 && s->h.n == 1 && pct(r, 20) &&
	    add_benefit(B, S, s, 0, "USLUGI_OPIEKUNCZE", 0, since, end) != 0)
		return -1;
	if (pct(r, 6) && add_interview(B, S, s) != 0)
		return -1;
	return 0;
}

static int build_situation(struct build *B, int64_t today)
{
	struct situation S = {
		.reason = { "family_reason", reason_cols, 7, NULL, 0, 0, 0 },
		.status = { "labour_status", status_cols, 10, NULL, 0, 0, 0 },
		.benefit = { "benefit", benefit_cols, 11, NULL, 0, 0, 0 },
		.interview = { "interview", interview_cols, 16, NULL, 0, 0, 0 },
		.history = { "record_history", history_cols, 8, NULL, 0, 0, 0 },
		.today = today,
	};
	struct demo_rng rng;
	int i;

	demo_rng_seed(&rng, (uint64_t)B->nhh * 7919u + 1u);
	S.r = &rng;
	if (db_get_int(B->db, &S.reason.next_id, &SQL_MAX_REASON, NULL) != DB_ROW ||
	    db_get_int(B->db, &S.status.next_id, &SQL_MAX_STATUS, NULL) != DB_ROW ||
	    db_get_int(B->db, &S.benefit.next_id, &SQL_MAX_BENEFIT, NULL) != DB_ROW ||
	    db_get_int(B->db, &S.interview.next_id, &SQL_MAX_INTERVIEW, NULL) != DB_ROW) {
		snprintf(B->err, B->errlen, "reading the situation tables: %s", db_errmsg(B->db));
		return -1;
	}
	for (i = 0; i < B->nhh; i++)
		if (household_situation(B, &S, &B->hh[i], B->hh[i].since[0] != '\0' &&
					day_num(B->hh[i].since) < today - 11 * 365) != 0) {
			snprintf(B->err, B->errlen, "out of memory");
			return -1;
		}
	if (rows_load(B, &S.reason) != 0 || rows_load(B, &S.status) != 0 ||
	    rows_load(B, &S.benefit) != 0 || rows_load(B, &S.interview) != 0 ||
	    rows_load(B, &S.history) != 0)
		return -1;
	if (db_backend(B->db) == DB_POSTGRES) {
		int64_t x;

		if ((S.reason.n > 0 && db_get_int(B->db, &x, &SQL_SEQ_REASON, NULL) != DB_ROW) ||
		    (S.status.n > 0 && db_get_int(B->db, &x, &SQL_SEQ_STATUS, NULL) != DB_ROW) ||
		    (S.benefit.n > 0 && db_get_int(B->db, &x, &SQL_SEQ_BENEFIT, NULL) != DB_ROW) ||
		    (S.interview.n > 0 && db_get_int(B->db, &x, &SQL_SEQ_INTERVIEW, NULL) != DB_ROW)) {
			snprintf(B->err, B->errlen, "moving the id sequences: %s", db_errmsg(B->db));
			return -1;
		}
	}
	return 0;
}

int demo_people_build(struct db *db, int households, uint64_t seed, struct demo_people_stats *st,
		      char *err, size_t errlen)
{
	struct build B = { .db = db, .st = st, .err = err, .errlen = errlen };
	int today_ymd = clock_today_ymd();
	struct demo_gen *g = demo_gen_new(seed, today_ymd);
	int64_t today = days_from_civil(today_ymd / 10000, today_ymd / 100 % 100, today_ymd % 100);
	int ret = -1;

	memset(st, 0, sizeof(*st));
	B.hh = calloc((size_t)households + 1, sizeof(*B.hh));
	B.pup = calloc((size_t)households * DEMO_HOUSEHOLD_MAX + 1, sizeof(*B.pup));
	B.a = arena_new(64u * 1024u * 1024u);
	if (g == NULL || B.hh == NULL || B.pup == NULL || B.a == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (load_owners(db, &B.ow) != 0) {
		snprintf(err, errlen, "reading the institutions: %s", db_errmsg(db));
		goto out;
	}
	if (B.ow.pup < 0 && B.ow.pcpr < 0 && ops_of(&B.ow, "3050011") < 0) {
		snprintf(err, errlen, "the demo institutions are missing");
		goto out;
	}
	if (plan(&B, g, households, today) != 0 || load_persons(&B) != 0 || load_families(&B) != 0 ||
	    load_members(&B) != 0 || load_history(&B) != 0 || build_situation(&B, today) != 0)
		goto out;
	if (db_backend(db) == DB_POSTGRES) {
		int64_t x;

		if (db_get_int(db, &x, &SQL_SEQ_PERSON, NULL) != DB_ROW ||
		    db_get_int(db, &x, &SQL_SEQ_FAMILY, NULL) != DB_ROW ||
		    db_get_int(db, &x, &SQL_SEQ_MEMBER, NULL) != DB_ROW) {
			snprintf(err, errlen, "moving the id sequences: %s", db_errmsg(db));
			goto out;
		}
	}
	ret = 0;
out:
	demo_gen_free(g);
	free(B.hh);
	free(B.pup);
	arena_free(B.a);
	return ret;
}

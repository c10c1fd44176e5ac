/*
 * person_import.h — importing an institution's client register from the
 * CSV file its current software exports (razem import persons, the import
 * page).
 *
 * The file is read by core/csv (encodings, separators, quoting); its
 * header is mapped to person fields by a mapping file or by well-known
 * Polish header names (matched without case, diacritics or punctuation);
 * each row is converted and validated like the form; valid rows are
 * loaded in ONE transaction (bulk load, then the history rows of the whole
 * load in one statement each), so a killed import leaves nothing. Refused
 * rows go to the rejects file: the original fields plus a column with
 * every reason, in Polish. A PESEL the institution already holds is a
 * duplicate (reported, left alone) unless the import updates (then the
 * record is updated with a history row per changed field). Households
 * come from a household-number column. Every import that read its file is
 * recorded (table person_import, migration 0011) with its counts and its
 * rejects; the rejects are downloaded again through the access policy.
 *
 * Mapping file (docs/IMPORT.md): lines "field = Header in the file",
 * '#' starts a comment; field codes are those of pi_field_code().
 */
#ifndef RAZEM_REGISTRY_PERSON_IMPORT_H
#define RAZEM_REGISTRY_PERSON_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/verr.h"
#include "db/db.h"
#include "policy/policy.h"
#include "registry/person.h"

/* What a column of the file can hold. */
enum pi_field {
	PI_PESEL,
	PI_FIRST_NAMES,   /* Imię / Imiona (all given names) */
	PI_SECOND_NAME,   /* Drugie imię: appended to the first names */
	PI_SURNAME,
	PI_BIRTH_SURNAME,
	PI_SEX,
	PI_BIRTH_DATE,
	PI_CITIZENSHIP,
	PI_STREET,
	PI_HOUSE_NO,
	PI_FLAT_NO,
	PI_POSTCODE,
	PI_TOWN,
	PI_TERC,
	PI_PHONE,
	PI_EMAIL,
	PI_DOC_KIND,
	PI_DOC_NUMBER,
	PI_HOUSEHOLD,     /* household (family) number: rows with one number form one household */
	PI_RELATION,      /* relation to the applicant (wnioskodawca, małżonek, dziecko, ...) */
	PI_APPLICANT,     /* marks the applicant (tak/1/x) */
	PI__MAX
};

/* pi_field_code() is the mapping file's name ("birth_date"); pi_field_parse() the reverse (-1). */
const char *pi_field_code(enum pi_field f);
int pi_field_parse(const char *code);

/* pi_field_label() is the field's translated name ("Data urodzenia"). */
const char *pi_field_label(enum pi_field f);

/*
 * pi_header_field() is the field a header name stands for by the
 * well-known Polish names ("Imię", "NR DOMU", "e-mail", "Data ur."), or
 * -1. Case, diacritics, punctuation and spacing do not matter.
 */
int pi_header_field(const char *header);

/* How a file's columns map to fields. */
struct pi_mapping {
	int col[PI__MAX];        /* the column of each field, -1 when the file has none */
	int ncols;               /* columns of the header */
	char **header;           /* the header's names (arena copies) */
	const char *unmapped;    /* the names of columns nothing maps, "; "-separated, or NULL */
};

/*
 * pi_mapping_build() maps the header (n names) by the mapping file text
 * (NULL: by the well-known names). A mapping that names a field twice or
 * a column the header lacks, a header naming one field twice, or no
 * column for the surname or the first names is refused: -1 with the
 * reason (translated) in err. Returns 0.
 */
int pi_mapping_build(struct pi_mapping *m, struct arena *a, const char *const *header, size_t n,
		     const char *mapping_text, char *err, size_t errlen);

/* One row converted. */
struct pi_row {
	struct person p;
	const char *household;   /* household number, or NULL */
	const char *relation;    /* a family_relations code, or NULL */
	int applicant;           /* marked as the household's applicant */
	int pesel_padded;        /* a 10-digit PESEL (a spreadsheet dropped its 0) was completed */
};

/*
 * pi_convert() fills row from the record's fields (n of them) as the
 * mapping says, converting what offices write (dates DD.MM.RRRR, RRRR-MM-DD
 * or with a time; sex K/M/kobieta/mężczyzna; citizenship "polskie"/PL;
 * relations in words), and validates it as the form does (person_validate()).
 * Strings are arena copies. Adds an error per field at fault to v (field
 * names as in struct person); returns how many.
 */
int pi_convert(const struct pi_mapping *m, const char *const *field, size_t n, struct arena *a,
	       struct pi_row *row, struct verrs *v);

/*
 * pi_fold() is str_fold() of s (case and Polish letters folded, spaces
 * collapsed) with a fast path for ASCII and Polish letters; NULL for NULL.
 */
char *pi_fold(struct arena *a, const char *s);

struct person_import_opts {
	int64_t institution_id;    /* whose register */
	const char *file_name;     /* as the user named it (recorded) */
	const char *mapping;       /* mapping file text, or NULL */
	int update;                /* update the persons whose PESEL is already registered */
	FILE *rejects;             /* also write the rejects here as they come, or NULL */
	int (*progress)(void *arg, long rows); /* every few thousand rows, or NULL; non-zero stops (nothing kept) */
	void *progress_arg;
	int64_t size_hint;         /* the file's size in bytes, 0 = unknown (a large load rebuilds indexes) */
};

struct person_import_result {
	long read;                 /* data rows read */
	long imported;             /* persons created */
	long updated;              /* persons updated */
	long refused;              /* rows refused */
	long duplicates;           /* rows whose PESEL the register already holds, left alone */
	long warnings;             /* rows imported with a warning (no TERC code found, ...) */
	long households;           /* families created */
	double seconds;            /* the import itself, up to its commit */
	long linked, queued;       /* links made, pairs sent to review by the linking that follows */
	double link_seconds;
	char link_error[200];      /* why the linking after the commit failed, "" otherwise (the import stands) */
	int64_t import_id;         /* the person_import row, 0 when none was written */
	char sep;                  /* separator used */
	const char *encoding;      /* "UTF-8", ... */
	const char *unmapped;      /* columns ignored, or NULL (arena) */
	char error[400];           /* why nothing was imported (translated), "" otherwise */
	char first_warnings[5][200]; /* the first warnings, with their lines */
};

/*
 * person_import() imports the records of in into opts->institution_id as
 * writer w, in one transaction of its own (nothing else may be open),
 * ending with the import's row and its "person.import" audit row. Returns
 * 0 when the file was read and its valid rows committed (possibly none:
 * r->imported counts them), 1 when it was refused whole with r->error
 * (unreadable, bad mapping, unknown institution, stopped by the progress
 * callback) and nothing written, -1
 * on a database error (r->error says it; nothing written).
 */
int person_import(struct db *db, struct arena *a, const struct registry_writer *w, struct csv *in,
		  const struct person_import_opts *opts, struct person_import_result *r);

/* A recorded import, for its page. */
struct person_import_info {
	int64_t id, institution_id, user_id;
	const char *actor, *at, *file_name, *encoding, *separator, *unmapped;
	int64_t read, imported, updated, refused, duplicates, warnings, households;
	double seconds;
	int64_t rejects_size;      /* bytes of the stored rejects, 0 when none */
	int rejects_truncated;
};

/*
 * person_import_get() reads import id: PERSON_NOT_FOUND when there is
 * none or it belongs to another institution than institution_id (0 = any:
 * the command line). Returns 0 or -1. Counts and names only: no personal data.
 */
int person_import_get(struct db *db, struct arena *a, int64_t id, int64_t institution_id,
		      struct person_import_info *out);

/*
 * person_import_recent() reads the latest imports of institution_id (at
 * most max, newest first) into out: counts and names only. Returns how
 * many, or -1.
 */
int person_import_recent(struct db *db, struct arena *a, int64_t institution_id, struct person_import_info *out,
			 int max);

/*
 * person_import_rejects() hands the stored rejects of import id to r's
 * reader when the access policy lets them read the persons of the
 * importing institution (POLICY_PERSON, casework), recording the read
 * ("person_import.rejects") in r's read log, written before the data goes out.
 * Returns POLICY_OK with data and len set (arena memory), POLICY_NOT_FOUND (no such
 * import, or another institution's: concealed), POLICY_DENIED
 * (r->decision says why), or -1.
 */
int person_import_rejects(struct policy_read *r, int64_t id, const void **data, size_t *len);

#endif

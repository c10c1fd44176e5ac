/*
 * check.c — text field checks shared by the registry's records (check.h).
 */
#include "registry/check.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/i18n.h"
#include "core/ident.h"
#include "core/str.h"

void registry_blank(struct arena *a, const char **s)
{
	char *t;

	if (*s == NULL)
		return;
	t = arena_strdup(a, *s);
	if (t == NULL)
		return;
	str_trim(t);
	*s = t[0] != '\0' ? t : NULL;
}

int registry_text_ok(struct verrs *v, const char *field, const char *s, size_t max)
{
	if (s == NULL)
		return 1;
	if (!utf8_valid(s, strlen(s)) || utf8_has_hidden(s, 0)) {
		verrs_add(v, field, "invalid", "%s",
			  _("This field contains invisible control characters; type it again."));
		return 0;
	}
	if (utf8_length(s) > max) {
		verrs_add(v, field, "too_long", _("At most %zu characters."), max);
		return 0;
	}
	return 1;
}

int registry_phone_ok(const char *s)
{
	int digits = 0;

	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (strchr(" +-()/", *s) == NULL)
			return 0;
	}
	return digits >= 7 && digits <= 15;
}

void registry_postcode(struct arena *a, struct verrs *v, const char **postcode)
{
	struct ident_error e;
	char msg[256];
	const char *p = *postcode;

	if (p == NULL)
		return;
	/* "99300" is what people type; the form is "99-300" */
	if (strlen(p) == 5 && strspn(p, "0123456789") == 5)
		*postcode = p = arena_printf(a, "%.2s-%s", p, p + 2);
	if (postcode_check(p, &e) != 0)
		verrs_add(v, "postcode", "invalid", "%s", ident_message(&e, msg, sizeof(msg)));
}

void registry_terc(struct verrs *v, const char *terc)
{
	struct terc_info t;
	struct ident_error e;
	char msg[256];
	int bad;

	if (terc == NULL)
		return;
	/*
	 * This field holds a gmina only: a shorter code or a name typed
	 * instead of picked gets one plain request for the 7 digits;
	 * a wrong 7-digit code gets the precise rule that failed.
	 */
	bad = terc_check(terc, &t, &e) != 0;
	if (bad && e.code != IDENT_LENGTH && e.code != IDENT_CHAR)
		verrs_add(v, "terc", "invalid", "%s", ident_message(&e, msg, sizeof(msg)));
	else if (bad || t.level != TERC_GMI)
		verrs_add(v, "terc", "invalid", "%s",
			  _("Pick the gmina from the list or type its 7-digit TERC code."));
}

const char *registry_col(struct arena *a, struct db_stmt *st, int i)
{
	return db_col_is_null(st, i) ? NULL : arena_strdup(a, db_col_text(st, i));
}

const char *registry_clean(struct arena *a, const char *s)
{
	char *t;

	if (str_empty(s))
		return NULL;
	t = arena_strdup(a, s);
	return t == NULL ? NULL : str_trim(t);
}

void registry_today(char out[16])
{
	int ymd = clock_today_ymd();

	snprintf(out, 16, "%04d-%02d-%02d", (ymd / 10000) % 10000, ymd / 100 % 100, ymd % 100);
}

int registry_check_date(struct verrs *v, const char *field, const char *label, const char *value,
			int required)
{
	if (value == NULL) {
		if (required)
			verrs_add(v, field, "required", _("%s: enter a date."), _(label));
		return required ? -1 : 0;
	}
	if (!clock_valid_date(value)) {
		verrs_add(v, field, "invalid", _("%s: enter a real date as YYYY-MM-DD, e.g. 2026-03-31."),
			  _(label));
		return -1;
	}
	return 0;
}

/*
 * input.c — reading declared fields from forms and JSON bodies.
 *
 * Every check takes the path of the value (the error's field: "name",
 * "institutions[1]", "members[0].role") and its label as the message shows
 * it (translated, with the item number for array elements), so one set of
 * checks serves top-level fields and nested ones alike.
 */
#include "web/input.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"

static int allowed(const struct field *f, const char *value)
{
	int i;

	for (i = 0; f->choices != NULL && f->choices[i] != NULL; i++)
		if (strcmp(f->choices[i], value) == 0)
			return 1;
	return 0;
}

/* check_text() trims (except secrets), checks length and choices; stores into in. */
static void check_text(struct req *req, const struct field *f, const char *path, const char *label,
		       const char *raw, struct input *in, struct verrs *v)
{
	char *s = arena_strdup(req->arena, raw != NULL ? raw : "");

	if (s == NULL)
		return;
	if (f->type != F_SECRET)
		str_trim(s);
	in->text = s;
	if (s[0] == '\0') {
		if (f->flags & F_REQUIRED)
			verrs_add(v, path, "required", _("%s: this field is required."), label);
		return;
	}
	if (!utf8_valid(s, strlen(s))) {
		verrs_add(v, path, "invalid", _("%s: the text contains invalid characters."), label);
		return;
	}
	if (f->type != F_SECRET && utf8_has_hidden(s, 0)) {
		verrs_add(v, path, "invalid",
			  _("%s: the text contains invisible control characters (for example ones that "
			    "reverse the direction of writing); type it again without them."),
			  label);
		return;
	}
	if ((f->type == F_TEXT || f->type == F_SECRET) && f->max > 0 &&
	    (int64_t)utf8_length(s) > f->max) {
		verrs_add(v, path, "too_long", _("%s: at most %lld characters (you gave %zu)."), label,
			  (long long)f->max, utf8_length(s));
		return;
	}
	if (f->type == F_CHOICE && !allowed(f, s))
		verrs_add(v, path, "invalid", _("%s: choose one of the listed options."), label);
	if (f->type == F_INT || f->type == F_INTS) {
		int64_t n;

		if (str_to_int64(s, INT64_MIN, INT64_MAX, &n) != 0)
			verrs_add(v, path, "not_a_number", _("%s: enter a whole number."), label);
		else if (n < f->min || n > f->max)
			verrs_add(v, path, "out_of_range", _("%s: enter a number from %lld to %lld."), label,
				  (long long)f->min, (long long)f->max);
		else
			in->num = n;
	}
}

/* item_path() / item_label() name element i of an array value. */
static const char *item_path(struct req *req, const char *path, int i)
{
	return arena_printf(req->arena, "%s[%d]", path, i);
}

static const char *item_label(struct req *req, const char *label, int i)
{
	return arena_printf(req->arena, _("%s, item %d"), label, i + 1);
}

/* count_ok() checks the number of elements of an F_INTS / F_OBJECTS value. */
static int count_ok(const struct field *f, const char *path, const char *label, size_t n,
		    struct verrs *v)
{
	size_t max = f->max_items > 0 ? (size_t)f->max_items : INPUT_MAX_ITEMS;
	size_t min = f->min_items > 0 ? (size_t)f->min_items : (f->flags & F_REQUIRED) ? 1 : 0;

	if (n > max) {
		verrs_add(v, path, "too_many", _("%s: at most %zu items (you gave %zu)."), label, max, n);
		return 0;
	}
	if (n < min) {
		if (n == 0)
			verrs_add(v, path, "required", _("%s: this field is required."), label);
		else
			verrs_add(v, path, "too_few", _("%s: at least %zu items (you gave %zu)."), label,
				  min, n);
		return 0;
	}
	return 1;
}

/* add_num() checks one element of an F_INTS value and appends it to in->nums. */
static void add_num(struct req *req, const struct field *f, const char *path, const char *label,
		    int i, const char *raw, struct input *in, struct verrs *v)
{
	const char *ipath = item_path(req, path, i), *ilabel = item_label(req, label, i);
	struct input one = { 0 };
	int before = v->n, k;

	if (ipath == NULL || ilabel == NULL)
		return;
	if (raw == NULL || raw[0] == '\0') {
		verrs_add(v, ipath, "not_a_number", _("%s: enter a whole number."), ilabel);
		return;
	}
	check_text(req, f, ipath, ilabel, raw, &one, v);
	if (v->n != before)
		return;
	if (one.text == NULL || one.text[0] == '\0') { /* only spaces: no number, whatever F_REQUIRED says */
		verrs_add(v, ipath, "not_a_number", _("%s: enter a whole number."), ilabel);
		return;
	}
	for (k = 0; (f->flags & F_UNIQUE) && k < in->nnums; k++)
		if (in->nums[k] == one.num) {
			verrs_add(v, ipath, "duplicate", _("%s: this value is already on the list."), ilabel);
			return;
		}
	in->nums[in->nnums++] = one.num;
}

static void read_form(struct req *req, const struct field *f, struct input *in, struct verrs *v)
{
	const char *raw = req_form(req, f->name), *label = _(f->label);
	int i, k = 0, n;

	in->present = raw != NULL;
	switch (f->type) {
	case F_BOOL:
		in->num = raw != NULL && (strcmp(raw, "1") == 0 || strcmp(raw, "on") == 0 ||
					 strcmp(raw, "true") == 0);
		in->present = 1;
		return;
	case F_MULTI:
		n = params_count(&req->form, f->name);
		in->present = 1;
		in->multi = arena_zalloc(req->arena, sizeof(*in->multi) * (size_t)(n + 1));
		if (in->multi == NULL)
			return;
		for (i = 0; i < req->form.n; i++) {
			const char *val = req->form.v[i].value;

			if (strcmp(req->form.v[i].name, f->name) != 0 || val[0] == '\0')
				continue;
			if (!allowed(f, val)) {
				verrs_add(v, f->name, "invalid", _("%s: choose from the listed options."),
					  label);
				return;
			}
			in->multi[k++] = val;
		}
		in->nmulti = k;
		if (k == 0 && (f->flags & F_REQUIRED))
			verrs_add(v, f->name, "required", _("%s: choose at least one."), label);
		return;
	case F_INTS:
		n = params_count(&req->form, f->name);
		in->present = 1;
		in->nums = arena_zalloc(req->arena, sizeof(*in->nums) * (size_t)(n + 1));
		if (in->nums == NULL || !count_ok(f, f->name, label, (size_t)n, v))
			return;
		for (i = 0; i < req->form.n; i++)
			if (strcmp(req->form.v[i].name, f->name) == 0)
				add_num(req, f, f->name, label, k++, req->form.v[i].value, in, v);
		return;
	case F_OBJECT:
	case F_OBJECTS:
		in->present = 0; /* nested values come only as JSON */
		return;
	default:
		check_text(req, f, f->name, label, raw, in, v);
	}
}

static void read_object(struct req *req, const struct field *fields, int n, json_t *obj,
			const char *prefix, const char *lprefix, struct input *out, struct verrs *v);

/* read_json() reads the JSON value j (NULL when absent) of field f at path. */
static void read_json(struct req *req, const struct field *f, json_t *j, const char *path,
		      const char *label, struct input *in, struct verrs *v)
{
	char num[32];
	size_t i, n;

	in->present = j != NULL && !json_is_null(j);
	if (!in->present) {
		in->text = "";
		if (f->flags & F_REQUIRED)
			verrs_add(v, path, "required", _("%s: this field is required."), label);
		return;
	}
	switch (f->type) {
	case F_BOOL:
		if (!json_is_boolean(j))
			verrs_add(v, path, "invalid", _("%s: expected true or false."), label);
		in->num = json_is_true(j);
		return;
	case F_INT:
		if (json_is_integer(j)) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(j));
			check_text(req, f, path, label, num, in, v);
		} else if (json_is_string(j)) {
			check_text(req, f, path, label, json_string_value(j), in, v);
		} else {
			verrs_add(v, path, "not_a_number", _("%s: enter a whole number."), label);
		}
		return;
	case F_MULTI:
		if (!json_is_array(j)) {
			verrs_add(v, path, "invalid", _("%s: expected a list."), label);
			return;
		}
		in->multi = arena_zalloc(req->arena, sizeof(*in->multi) * (json_array_size(j) + 1));
		if (in->multi == NULL)
			return;
		for (i = 0; i < json_array_size(j); i++) {
			json_t *e = json_array_get(j, i);

			if (!json_is_string(e) || !allowed(f, json_string_value(e))) {
				verrs_add(v, path, "invalid", _("%s: choose from the listed options."), label);
				return;
			}
			in->multi[in->nmulti++] = json_string_value(e);
		}
		if (in->nmulti == 0 && (f->flags & F_REQUIRED))
			verrs_add(v, path, "required", _("%s: choose at least one."), label);
		return;
	case F_INTS:
		if (!json_is_array(j)) {
			verrs_add(v, path, "invalid", _("%s: expected a list of numbers."), label);
			return;
		}
		n = json_array_size(j);
		in->nums = arena_zalloc(req->arena, sizeof(*in->nums) * (n + 1));
		if (in->nums == NULL || !count_ok(f, path, label, n, v))
			return;
		for (i = 0; i < n; i++) {
			json_t *e = json_array_get(j, i);

			if (json_is_integer(e)) {
				snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(e));
				add_num(req, f, path, label, (int)i, num, in, v);
			} else {
				add_num(req, f, path, label, (int)i, NULL, in, v);
			}
		}
		return;
	case F_OBJECT:
		if (!json_is_object(j)) {
			verrs_add(v, path, "invalid", _("%s: expected an object {...}."), label);
			return;
		}
		in->sub = arena_zalloc(req->arena, sizeof(*in->sub) * (size_t)(f->nsub + 1));
		if (in->sub != NULL)
			read_object(req, f->sub, f->nsub, j, path, label, in->sub, v);
		return;
	case F_OBJECTS:
		if (!json_is_array(j)) {
			verrs_add(v, path, "invalid", _("%s: expected a list of objects."), label);
			return;
		}
		n = json_array_size(j);
		if (!count_ok(f, path, label, n, v))
			return;
		in->sub = arena_zalloc(req->arena, sizeof(*in->sub) * (n * (size_t)f->nsub + 1));
		if (in->sub == NULL)
			return;
		in->nitems = (int)n;
		for (i = 0; i < n; i++) {
			json_t *e = json_array_get(j, i);
			const char *ipath = item_path(req, path, (int)i);
			const char *ilabel = item_label(req, label, (int)i);

			if (ipath == NULL || ilabel == NULL)
				return;
			if (!json_is_object(e)) {
				verrs_add(v, ipath, "invalid", _("%s: expected an object {...}."), ilabel);
				continue;
			}
			read_object(req, f->sub, f->nsub, e, ipath, ilabel, &in->sub[i * (size_t)f->nsub], v);
		}
		return;
	default:
		if (!json_is_string(j)) {
			verrs_add(v, path, "invalid", _("%s: expected text."), label);
			return;
		}
		check_text(req, f, path, label, json_string_value(j), in, v);
	}
}

/* unknown_members() reports members of obj that no field declares. */
static void unknown_members(struct req *req, const struct field *fields, int n, json_t *obj,
			    const char *prefix, struct verrs *v)
{
	const char *key;
	json_t *val;

	json_object_foreach(obj, key, val) {
		int i, known = 0;

		(void)val;
		for (i = 0; i < n && !known; i++)
			known = strcmp(fields[i].name, key) == 0;
		if (known)
			continue;
		if (prefix == NULL)
			verrs_add(v, arena_strdup(req->arena, key), "unknown_field",
				  _("Unknown field \"%s\"."), key);
		else
			verrs_add(v, arena_printf(req->arena, "%s.%s", prefix, key), "unknown_field",
				  _("Unknown field \"%s.%s\"."), prefix, key);
	}
}

/*
 * read_object() reads fields from the JSON object obj. prefix is the
 * object's path and lprefix its label (both NULL at the top level).
 */
static void read_object(struct req *req, const struct field *fields, int n, json_t *obj,
			const char *prefix, const char *lprefix, struct input *out, struct verrs *v)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct field *f = &fields[i];
		const char *path = prefix == NULL ? f->name
						  : arena_printf(req->arena, "%s.%s", prefix, f->name);
		const char *label = lprefix == NULL ? _(f->label)
						    : arena_printf(req->arena, "%s, %s", lprefix, _(f->label));

		out[i].text = "";
		if (path == NULL || label == NULL)
			return;
		read_json(req, f, obj != NULL ? json_object_get(obj, f->name) : NULL, path, label, &out[i],
			  v);
	}
	if (obj != NULL)
		unknown_members(req, fields, n, obj, prefix, v);
}

int input_read(struct req *req, const struct field *fields, int n, struct input *out,
	       struct verrs *v)
{
	int before = v->n, i;

	memset(out, 0, sizeof(*out) * (size_t)n);
	if (req->is_api) {
		read_object(req, fields, n, req->json, NULL, NULL, out, v);
		return v->n - before;
	}
	for (i = 0; i < n; i++) {
		out[i].text = "";
		read_form(req, &fields[i], &out[i], v);
	}
	return v->n - before;
}

const struct input *input_item(const struct field *f, const struct input *in, int i)
{
	if (in->sub == NULL || i < 0 || i >= in->nitems)
		return NULL;
	return &in->sub[(size_t)i * (size_t)f->nsub];
}

/* rank() is the position of field among fields, n for any other. */
static int rank(const struct field *fields, int n, const char *field)
{
	int i;

	for (i = 0; i < n; i++) {
		size_t k = strlen(fields[i].name);

		/* "members[0].role" ranks with "members" */
		if (strncmp(fields[i].name, field, k) == 0 &&
		    (field[k] == '\0' || field[k] == '[' || field[k] == '.'))
			return i;
	}
	return n;
}

void input_order_errors(const struct field *fields, int n, struct verrs *v)
{
	int i, j;

	/* insertion sort: stable, and there are at most VERR_MAX errors */
	for (i = 1; i < v->n; i++) {
		struct verr e = v->e[i];
		int r = rank(fields, n, e.field);

		for (j = i; j > 0 && rank(fields, n, v->e[j - 1].field) > r; j--)
			v->e[j] = v->e[j - 1];
		v->e[j] = e;
	}
}

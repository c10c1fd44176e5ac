/*
 * widget.h — form controls written the same way everywhere: a visible
 * label, the value the user typed (kept when validation fails), the error
 * next to the field tied with aria-describedby, and a summary of all
 * errors at the top of the form with links to the fields.
 */
#ifndef RAZEM_WEB_WIDGET_H
#define RAZEM_WEB_WIDGET_H

#include "core/buf.h"
#include "core/verr.h"
#include "web/http.h"

enum widget_flags {
	W_REQUIRED = 1 << 0,    /* required field (marked, and required attribute) */
	W_AUTOFOCUS = 1 << 1,   /* focus on load */
	W_WIDE = 1 << 3,        /* full-width input */
	W_NARROW = 1 << 4,      /* short input (codes, postcodes) */
	W_DATALIST = 1 << 5,    /* suggestions from <datalist id="dl-NAME"> written by the caller */
};

/* An option of a select or checkbox group. */
struct option {
	const char *value;
	const char *label;
};

/* form_begin() opens a POST form to action with the CSRF token (session or pre-session). */
void form_begin(struct buf *b, struct req *req, const char *action, const char *cls);
void form_end(struct buf *b);

/* form_errors() lists v at the top of a form (nothing when empty). */
void form_errors(struct buf *b, const struct verrs *v);

/*
 * field_input() writes a labelled input of type ("text", "email",
 * "password", "tel", "url", "date", "search") named name; hint (may be
 * NULL) is shown under the label; autocomplete (may be NULL) is the HTML
 * autocomplete token.
 */
void field_input(struct buf *b, const char *type, const char *name, const char *label,
		 const char *value, const struct verrs *v, unsigned flags, const char *hint,
		 const char *autocomplete);

/* field_select() writes a labelled select; empty_label non-NULL adds a first "" option. */
void field_select(struct buf *b, const char *name, const char *label, const struct option *opts,
		  int nopts, const char *selected, const char *empty_label, const struct verrs *v,
		  unsigned flags, const char *hint);

/*
 * Pickers: a labelled select of the records the user may choose, by name,
 * instead of a typed number. The submitted value stays the record's id (the
 * handlers and the API are unchanged and still validate it); selected is the
 * id shown as chosen (0 none), kept when the form is shown again after an
 * error; empty_label non-NULL adds a first "" option ("— wybierz —").
 * Return 0, or -1 when the list cannot be read.
 *
 * field_pick_institution(): active institutions, "Name (kind, gmina)".
 * field_pick_user(): active users, "Name (institution)".
 * field_pick_meeting(): meetings of team_id (0 = all), "DD.MM.RRRR — team".
 */
int field_pick_institution(struct buf *b, struct req *req, const char *name, const char *label, int64_t selected,
			   const char *empty_label, const struct verrs *v, unsigned flags, const char *hint);
int field_pick_user(struct buf *b, struct req *req, const char *name, const char *label, int64_t selected,
		    const char *empty_label, const struct verrs *v, unsigned flags, const char *hint);
int field_pick_meeting(struct buf *b, struct req *req, int64_t team_id, const char *name, const char *label,
		       int64_t selected, const char *empty_label, const struct verrs *v, unsigned flags,
		       const char *hint);

/* field_pick_institutions() offers the active institutions as checkboxes (one value per ticked one). */
int field_pick_institutions(struct buf *b, struct req *req, const char *name, const char *legend,
			    const struct verrs *v, unsigned flags, const char *hint);

/* field_pick_guardian() offers the guardians of the MGI teams, "Name (team)", current or past (the handler checks). */
int field_pick_guardian(struct buf *b, struct req *req, const char *name, const char *label, int64_t selected,
			const char *empty_label, const struct verrs *v, unsigned flags, const char *hint);

/* field_pick_lpiw_action() offers the actions of county terc's adopted LPIW, "No. — title". */
int field_pick_lpiw_action(struct buf *b, struct req *req, const char *terc, const char *name, const char *label,
			   int64_t selected, const char *empty_label, const struct verrs *v, unsigned flags,
			   const char *hint);

/*
 * field_pick_agreement() offers the agreements in force to which
 * institution inst is a party, "No. N — subject (from DD.MM.RRRR)"; with
 * none, the hint says so.
 */
int field_pick_agreement(struct buf *b, struct req *req, int64_t inst, const char *name, const char *label,
			 int64_t selected, const char *empty_label, const struct verrs *v, unsigned flags,
			 const char *hint);

/* pick_empty() is the label of a picker's empty first option, "— choose —". */
const char *pick_empty(void);

/* field_checks() writes a fieldset of checkboxes; checked[i] marks opts[i]. */
void field_checks(struct buf *b, const char *name, const char *legend, const struct option *opts,
		  int nopts, const int *checked, const struct verrs *v, unsigned flags,
		  const char *hint);

/* button() writes a submit button; cls "primary", "secondary" or "danger". */
void button(struct buf *b, const char *label, const char *cls);

/* action_form() writes a small POST form (with its CSRF token) of one button. */
void action_form(struct buf *b, struct req *req, const char *action, const char *label,
		 const char *cls);

/*
 * confirm_page() renders the confirmation step of a destructive action: the
 * question, a button posting confirm=1 to action, and a way back. Returns 200.
 */
int confirm_page(struct req *req, const char *title, const char *question, const char *action,
		 const char *button_label, const char *back_href);

/* dl_row() writes one term/definition pair of a details list (value escaped; "—" if empty). */
void dl_row(struct buf *b, const char *term, const char *value);

#endif

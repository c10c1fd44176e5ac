/*
 * cli_dataprot.c — razem person report (the data-subject report of one
 * person, art. 15 RODO) and razem retention (records past their retention
 * period: listed, or anonymised with --apply).
 *
 * Both act as the machine's administrator (policy actor cli) on behalf of
 * the owning institution, and are audited as (cli:USER).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/html.h"
#include "core/i18n.h"
#include "core/str.h"
#include "registry/dataprot.h"

static int write_out(const struct cli *c, const char *path, const char *data, size_t len)
{
	FILE *f = path == NULL || strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	int ok;

	if (f == NULL)
		return cli_fail(c, "cannot create %s: %s", path, strerror(errno));
	ok = fwrite(data, 1, len, f) == len;
	if (f != stdout)
		ok = fclose(f) == 0 && ok;
	else
		ok = fflush(f) == 0 && ok;
	return ok ? 0 : cli_fail(c, "writing %s: %s", path != NULL ? path : "standard output", strerror(errno));
}

struct report_args {
	int64_t id;
	int html;
	enum lang lang;
};

static int run_report(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	const struct report_args *x = arg;
	struct audit_reads log = AUDIT_READS_INIT;
	struct dataprot_report *rep = arena_zalloc(a, sizeof(*rep));
	struct policy_read r;
	struct audit_actor who;
	struct buf b;
	int64_t owner = dataprot_owner(db, x->id);
	int rc;

	if (rep == NULL)
		return cli_fail(c, "out of memory");
	if (owner < 0)
		return cli_fail(c, "cannot read the database: %s", db_errmsg(db));
	if (owner == 0)
		return cli_fail(c, "no person %lld", (long long)x->id);
	cli_actor(&who);
	who.institution_id = owner;
	memset(&r, 0, sizeof(r));
	r.db = db;
	r.arena = a;
	r.actor.cli = 1;
	r.actor.institution_id = owner; /* on behalf of the owning institution */
	r.kind = POLICY_PERSON;
	r.purpose = PURPOSE_CASEWORK;
	r.log = &log;
	i18n_set_lang(x->lang);
	if (db_begin_read(db) != 0)
		return cli_fail(c, "cannot read the database: %s", db_errmsg(db));
	rc = dataprot_report(&r, x->id, rep);
	db_commit(db);
	i18n_set_lang(LANG_EN);
	if (rc == POLICY_NOT_FOUND)
		return cli_fail(c, "no person %lld", (long long)x->id);
	if (rc != POLICY_OK)
		return cli_fail(c, "cannot prepare the report: %s",
				rc == POLICY_DENIED ? r.decision.reason : db_errmsg(db));
	/* recorded before anything is shown */
	if (audit_reads_flush(db, &who, &log) != 0)
		return cli_fail(c, "cannot write the audit log: %s", db_errmsg(db));
	buf_init(&b, 64u * 1024u * 1024u);
	i18n_set_lang(x->lang);
	if (x->html) {
		html_fmt(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
			     "<title>%s</title>\n<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}"
			     "table{border-collapse:collapse;width:100%%}th,td{border:1px solid #999;padding:.2rem .4rem;"
			     "text-align:left;vertical-align:top}dt{font-weight:bold}</style>\n</head>\n<body>\n"
			     "<h1>%s</h1>\n",
			 i18n_code(x->lang), _("Personal data held and its use (art. 15 RODO)"),
			 _("Personal data held and its use (art. 15 RODO)"));
		dataprot_html(&b, a, rep);
		html_raw(&b, "</body>\n</html>\n");
	} else {
		dataprot_text(&b, a, rep);
	}
	i18n_set_lang(LANG_EN);
	if (b.failed) {
		buf_release(&b);
		return cli_fail(c, "out of memory");
	}
	rc = write_out(c, cli_opt(c, "output"), buf_str(&b), b.len);
	buf_release(&b);
	return rc;
}

static int cmd_report(struct cli *c)
{
	struct report_args x = { 0, 0, LANG_PL };
	const char *format = cli_opt(c, "format"), *lang = cli_opt(c, "lang");

	if (c->npos != 1 || str_to_int64(c->pos[0], 1, INT64_MAX, &x.id) != 0)
		return cli_usage(c, "name the person by number: razem person report ID");
	if (format != NULL && strcmp(format, "html") != 0 && strcmp(format, "text") != 0)
		return cli_usage(c, "--format: expected text or html");
	x.html = format != NULL && strcmp(format, "html") == 0;
	if (lang != NULL) {
		int l = i18n_parse(lang);

		if (l < 0)
			return cli_usage(c, "--lang: expected pl or en");
		x.lang = (enum lang)l;
	}
	return cli_with_db(c, &x, run_report);
}

struct retention_run {
	const struct cli *c;
	struct db *db;
	struct arena *a;
	struct retention_policy p;
	struct audit_actor who;
	struct buf out;
	int apply;
	int64_t found, done, skipped;
};

static int each(void *ctx, const struct retention_item *it)
{
	struct retention_run *x = ctx;
	int applied = 0;

	x->found++;
	if (x->apply) {
		applied = retention_anonymise_tx(x->db, x->a, &x->p, &x->who, it);
		if (applied < 0)
			return -1;
		applied = applied == 0 ? 1 : -1;
		if (applied == 1)
			x->done++;
		else
			x->skipped++;
	}
	buf_adds(&x->out, retention_csv_line(x->a, it, applied));
	return 0;
}

static int run_retention(struct cli *c, struct db *db, struct arena *a, void *arg)
{
	struct retention_run *x = arg;
	int64_t n;
	int rc;

	x->db = db;
	x->a = a;
	cli_actor(&x->who);
	buf_init(&x->out, 256u * 1024u * 1024u);
	buf_adds(&x->out, "\xEF\xBB\xBF");
	buf_adds(&x->out, retention_csv_header);
	n = retention_scan(db, a, &x->p, each, x);
	if (n < 0) {
		buf_release(&x->out);
		return cli_fail(c, "retention failed: %s", db_errmsg(db));
	}
	if (audit_write(db, &x->who, x->apply ? "retention.apply" : "retention.dry_run", NULL, NULL,
			arena_printf(a, "found=%lld anonymised=%lld person_years=%lld interview_years=%lld "
					"institution=%lld",
				     (long long)x->found, (long long)x->done, (long long)x->p.person_years,
				     (long long)x->p.interview_years, (long long)x->p.institution_id)) != DB_OK) {
		buf_release(&x->out);
		return cli_fail(c, "cannot write the audit log: %s", db_errmsg(db));
	}
	rc = 0;
	if (cli_opt(c, "output") != NULL)
		rc = write_out(c, cli_opt(c, "output"), buf_str(&x->out), x->out.len);
	buf_release(&x->out);
	if (rc != 0)
		return rc;
	if (x->apply)
		printf("Anonymised %lld of %lld records past their retention period (%lld no longer due).\n",
		       (long long)x->done, (long long)x->found, (long long)x->skipped);
	else
		printf("%lld records are past their retention period (dry run: nothing changed; "
		       "--apply anonymises them).\n",
		       (long long)x->found);
	return 0;
}

static int cmd_retention(struct cli *c)
{
	static struct retention_run x;
	const char *inst = cli_opt(c, "institution");

	if (c->npos > 0)
		return cli_usage(c, "unexpected argument '%s'", c->pos[0]);
	if (cli_flag(c, "apply") && cli_flag(c, "dry-run"))
		return cli_usage(c, "say --dry-run or --apply, not both");
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.apply = cli_flag(c, "apply");
	x.p.person_years = c->cfg.retention_person_years;
	x.p.interview_years = c->cfg.retention_interview_years;
	if (inst != NULL && str_to_int64(inst, 1, INT64_MAX, &x.p.institution_id) != 0)
		return cli_usage(c, "--institution: expected an institution number");
	return cli_with_db(c, &x, run_retention);
}

const struct cli_command cli_dataprot_commands[] = {
	{ "person", "report", "ID [--format text|html] [--output FILE] [--lang pl|en] --db DB",
	  "the data-subject report of a person (art. 15 RODO)\n"
	  "Writes everything the register holds about person ID — identity, contact, household,\n"
	  "reasons for assistance, labour-market periods, benefits, interviews, the history of\n"
	  "changes — and who saw or changed it (from the audit log), as plain text or a printable\n"
	  "HTML page, in Polish unless --lang en. Read on behalf of the owning institution and\n"
	  "recorded in the audit log as (cli:USER).\n",
	  "format output lang", CLI_DB, cmd_report },
	{ "retention", NULL, "[--dry-run | --apply] [--institution ID] [--output FILE] --db DB",
	  "list or anonymise records past their retention period\n"
	  "Finds persons without activity for retention_person_years and interviews older than\n"
	  "retention_interview_years (razem config --doc). By default (--dry-run) nothing is\n"
	  "changed; --apply anonymises them (identity and contact blanked, statistics kept, a history\n"
	  "row and an audit row each). --output FILE writes the list as CSV; --institution limits it.\n",
	  "dry-run! apply! institution output", CLI_DB, cmd_retention },
	{ NULL },
};

/*
 * role.c — role codes, their names in the UI, and the rules tied to them.
 */
#include "auth/role.h"

#include <string.h>

#include "core/i18n.h"

const char *const role_codes[] = {
	"admin", "social_worker", "labour_adviser", "guardian", "coordinator", "analyst",
	"project_office", NULL,
};

static const char *const labels[ROLE__MAX] = {
	N_("Administrator"),
	N_("Social worker"),
	N_("Labour-office adviser"),
	N_("Family guardian (MGI)"),
	N_("Coordinator (PZKW)"),
	N_("Analyst"),
	N_("Project office"),
};

static const char *const about[ROLE__MAX] = {
	N_("Manages institutions and user accounts and reviews the audit log."),
	N_("Works with persons and families, prepares and monitors social contracts."),
	N_("Works with registered unemployed persons and agrees labour-market actions with social workers."),
	N_("Accompanies families as a member of the mobile interdisciplinary group and reports on their contracts."),
	N_("Sits on the county coordinating team that approves contracts and coordinates institutions."),
	N_("Prepares joint local diagnoses, indicators, maps and statistical reports."),
	N_("Runs project recruitment, trainings and advisory services and reports project indicators."),
};

const char *role_code(enum role r)
{
	return r >= 0 && r < ROLE__MAX ? role_codes[r] : "";
}

int role_parse(const char *code)
{
	int i;

	if (code == NULL)
		return -1;
	for (i = 0; i < ROLE__MAX; i++)
		if (strcmp(code, role_codes[i]) == 0)
			return i;
	return -1;
}

const char *role_label(enum role r)
{
	return r >= 0 && r < ROLE__MAX ? _(labels[r]) : "";
}

const char *role_about(enum role r)
{
	return r >= 0 && r < ROLE__MAX ? _(about[r]) : "";
}

int roles_first(unsigned roles)
{
	int i;

	for (i = 0; i < ROLE__MAX; i++)
		if (roles & ROLE_BIT(i))
			return i;
	return -1;
}

unsigned role_set_parse(const char *csv)
{
	unsigned roles = 0;
	const char *p = csv;

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, ",");
		int r;

		for (r = 0; r < ROLE__MAX; r++)
			if (strlen(role_codes[r]) == n && strncmp(p, role_codes[r], n) == 0)
				roles |= ROLE_BIT(r);
		p += n + (p[n] == ',');
	}
	return roles;
}

/* Shown in every page's header: measured first, then written once into the arena. */
const char *role_set_labels(struct arena *a, unsigned roles)
{
	size_t len = 1, at = 0, n;
	char *s;
	int i;

	for (i = 0; i < ROLE__MAX; i++)
		if (roles & ROLE_BIT(i))
			len += strlen(role_label((enum role)i)) + 2;
	s = arena_alloc(a, len);
	if (s == NULL)
		return NULL;
	for (i = 0; i < ROLE__MAX; i++) {
		if (!(roles & ROLE_BIT(i)))
			continue;
		if (at > 0) {
			memcpy(s + at, ", ", 2);
			at += 2;
		}
		n = strlen(role_label((enum role)i));
		memcpy(s + at, role_label((enum role)i), n);
		at += n;
	}
	s[at] = '\0';
	return s;
}

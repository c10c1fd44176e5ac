/*
 * params_same.h — shared by the urlencoded and cookies fuzz targets: two
 * decoded lists are the same when they hold the same pairs in the same order.
 */
#ifndef RAZEM_FUZZ_PARAMS_SAME_H
#define RAZEM_FUZZ_PARAMS_SAME_H

#include <string.h>

#include "web/params.h"

static int same(const struct params *a, const struct params *b)
{
	int i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, b->v[i].name) != 0 ||
		    strcmp(a->v[i].value, b->v[i].value) != 0)
			return 0;
	return 1;
}

#endif

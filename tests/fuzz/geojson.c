/*
 * tests/fuzz/geojson.c — libFuzzer target for the GeoJSON reader of
 * src/territory/geofile.c: the input is a whole file. Aborts when a read
 * that succeeds breaks the reader's contract (every ring closed, at least
 * 4 finite points, outer rings counter-clockwise and holes clockwise, the
 * first ring of a feature an outer one, codes and names present), or a
 * refusal leaves features behind or says nothing. Accepted layers also go
 * through the topology builder, whose arcs must cover every ring.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "territory/geofile.h"
#include "territory/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_layer(const struct geo_layer *l)
{
	int i, j, k;

	for (i = 0; i < l->n; i++) {
		const struct geo_feature *f = &l->f[i];

		if (f->code == NULL || f->name == NULL || f->nrings < 1 || !f->rings[0].outer || f->index != i + 1)
			abort();
		for (j = 0; j < f->nrings; j++) {
			const struct geo_ring *r = &f->rings[j];
			double a = geo_ring_area2(r->xy, r->n);

			if (r->n < 4 || r->xy[0] != r->xy[2 * r->n - 2] || r->xy[1] != r->xy[2 * r->n - 1])
				abort();
			for (k = 0; k < 2 * r->n; k++)
				if (!isfinite(r->xy[k]))
					abort();
			if ((r->outer && a < 0) || (!r->outer && a > 0))
				abort();
		}
	}
}

static void check_topology(const struct geo_layer *l)
{
	struct tp_input *in = calloc((size_t)l->n + 1, sizeof(*in));
	struct tp_topo t = { 0 };
	char err[256];
	int i, j, k;

	if (in == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		in[i].code = l->f[i].code;
		in[i].name = l->f[i].name;
		in[i].f = &l->f[i];
	}
	if (tp_build(&t, in, l->n, err, sizeof(err)) == 0) {
		for (i = 0; i < t.nshapes; i++)
			for (j = 0; j < t.shapes[i].nrings; j++)
				for (k = 0; k < t.shapes[i].rings[j].n; k++) {
					int id = t.shapes[i].rings[j].arcs[k];

					if ((id < 0 ? ~id : id) >= t.narcs || t.arcs[id < 0 ? ~id : id].n < 2)
						abort();
				}
	} else if (err[0] == '\0') {
		abort();
	}
	tp_free(&t);
	free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct geo_layer l;
	char err[512];

	err[0] = '\0';
	if (geo_read_geojson((const char *)data, size, NULL, &l, err, sizeof(err)) == 0) {
		check_layer(&l);
		if (l.points < 20000)
			check_topology(&l);
		geo_layer_free(&l);
	} else if (l.n != 0 || l.f != NULL || err[0] == '\0') {
		abort();
	}
	return 0;
}

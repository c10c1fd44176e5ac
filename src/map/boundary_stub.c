/*
 * boundary_stub.c — a stand-in for boundary_load() (territory/topo.h)
 * until the boundary importer (branch "boundaries") is merged: a weak
 * definition that finds no boundaries, so the maps answer "import
 * boundaries first". The importer's own definition replaces it; delete
 * this file when merging that branch.
 */
#include "territory/topo.h"

__attribute__((weak)) int boundary_load(struct db *db, struct arena *a, enum topo_level level, const char *within,
					enum topo_scale scale, struct topo *out)
{
	(void)db;
	(void)a;
	(void)level;
	(void)within;
	(void)scale;
	out->narcs = 0;
	out->arcs = NULL;
	out->nshapes = 0;
	out->shapes = NULL;
	return 0;
}

/*
 * tests/fuzz/shapefile.c — libFuzzer target for the Shapefile reader of
 * src/territory/geofile.c (shapelib underneath). The input is split into
 * the .shp, the .shx and the .dbf by two 16-bit little-endian lengths at
 * its start; the three files are written to a private directory and read
 * as a boundary file. Aborts when a read that succeeds breaks the reader's
 * contract (closed rings of at least 4 finite points, outer rings
 * counter-clockwise, holes clockwise) or a refusal says nothing.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "territory/geofile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void put(const char *ext, const uint8_t *p, size_t n)
{
	char path[96];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/f.%s", dir, ext);
	if ((fp = fopen(path, "wb")) == NULL)
		abort();
	if (n > 0 && fwrite(p, 1, n, fp) != n)
		abort();
	fclose(fp);
}

static void cleanup(void)
{
	static const char *const ext[] = { "shp", "shx", "dbf" };
	char path[96];
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/f.%s", dir, ext[i]);
		unlink(path);
	}
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t nshp, nshx;
	struct geo_layer l;
	char path[96], err[512];
	int i, j;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/razem-fuzz-shp-XXXXXX");
		if (mkdtemp(dir) == NULL)
			abort();
		atexit(cleanup);
	}
	if (size < 4)
		return 0;
	nshp = (size_t)data[0] | (size_t)data[1] << 8;
	nshx = (size_t)data[2] | (size_t)data[3] << 8;
	data += 4;
	size -= 4;
	if (nshp > size)
		nshp = size;
	if (nshx > size - nshp)
		nshx = size - nshp;
	put("shp", data, nshp);
	put("shx", data + nshp, nshx);
	put("dbf", data + nshp + nshx, size - nshp - nshx);
	snprintf(path, sizeof(path), "%s/f.shp", dir);
	err[0] = '\0';
	if (geo_read_shapefile(path, NULL, &l, err, sizeof(err)) != 0) {
		if (err[0] == '\0' || l.n != 0)
			abort();
		return 0;
	}
	for (i = 0; i < l.n; i++)
		for (j = 0; j < l.f[i].nrings; j++) {
			const struct geo_ring *r = &l.f[i].rings[j];
			double a = geo_ring_area2(r->xy, r->n);

			if (r->n < 4 || r->xy[0] != r->xy[2 * r->n - 2] || r->xy[1] != r->xy[2 * r->n - 1] ||
			    !isfinite(a) || (r->outer && a < 0) || (!r->outer && a > 0))
				abort();
		}
	geo_layer_free(&l);
	return 0;
}

/*
 * png.c — map_png(): the SVG drawing rasterised by librsvg onto a cairo
 * image surface, so the PNG is the same map as the SVG, pixel for pixel
 * at its intrinsic size (scale 1; a print would want PDF or the SVG).
 */
#include <cairo.h>
#include <librsvg/rsvg.h>
#include <stdio.h>

#include "map/map.h"

#define PNG_MAX_SIDE 4000 /* a drawing larger than this is refused, not allocated */

static cairo_status_t write_png(void *closure, const unsigned char *data, unsigned int length)
{
	return buf_add(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int map_png(const char *svg, size_t len, struct buf *out, char *err, size_t errlen)
{
	GError *gerr = NULL;
	RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)svg, len, &gerr);
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	double w = 0, hh = 0;
	int rc = -1;

	if (h == NULL) {
		snprintf(err, errlen, "SVG not readable: %s", gerr != NULL ? gerr->message : "?");
		goto done;
	}
	if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) || w < 1 || hh < 1 || w > PNG_MAX_SIDE ||
	    hh > PNG_MAX_SIDE) {
		snprintf(err, errlen, "the drawing has no usable size");
		goto done;
	}
	surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)w, (int)hh);
	cr = cairo_create(surface);
	{
		RsvgRectangle vp = { 0, 0, w, hh };

		if (!rsvg_handle_render_document(h, cr, &vp, &gerr)) {
			snprintf(err, errlen, "SVG not drawn: %s", gerr != NULL ? gerr->message : "?");
			goto done;
		}
	}
	cairo_surface_flush(surface);
	if (cairo_surface_write_to_png_stream(surface, write_png, out) != CAIRO_STATUS_SUCCESS || out->failed) {
		snprintf(err, errlen, "PNG not written");
		goto done;
	}
	rc = 0;
done:
	if (gerr != NULL)
		g_error_free(gerr);
	if (cr != NULL)
		cairo_destroy(cr);
	if (surface != NULL)
		cairo_surface_destroy(surface);
	if (h != NULL)
		g_object_unref(h);
	return rc;
}

/*
 * assets.c — embedded static files, served under /static/NAME?v=HASH
 * (the hash of the content, so a URL can be cached for a year and a new
 * build changes it) with an ETag for conditional requests.
 */
#include "web/assets.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/embed.h"
#include "core/str.h"

extern const struct embed razem_assets[];
extern const size_t razem_assets_count;

#define MAX_ASSETS 32

static struct {
	char url[128];  /* "/static/style.css?v=0123abcd" */
	char etag[24];  /* "\"0123abcd4567\"" */
} meta[MAX_ASSETS];

void assets_init(void)
{
	size_t i;

	for (i = 0; i < razem_assets_count && i < MAX_ASSETS; i++) {
		unsigned char h[crypto_generichash_BYTES_MIN];
		char hex[2 * sizeof(h) + 1];

		crypto_generichash(h, sizeof(h), razem_assets[i].data, razem_assets[i].len, NULL, 0);
		hex_encode(hex, h, sizeof(h));
		snprintf(meta[i].url, sizeof(meta[i].url), "/static/%s?v=%.12s", razem_assets[i].name, hex);
		snprintf(meta[i].etag, sizeof(meta[i].etag), "\"%.16s\"", hex);
	}
}

static int find(const char *name)
{
	size_t i;

	for (i = 0; i < razem_assets_count && i < MAX_ASSETS; i++)
		if (strcmp(razem_assets[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *assets_url(const char *name)
{
	int i = find(name);

	return i >= 0 ? meta[i].url : name;
}

static const char *content_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL)
		return "application/octet-stream";
	if (strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	if (strcmp(dot, ".png") == 0)
		return "image/png";
	if (strcmp(dot, ".ico") == 0)
		return "image/x-icon";
	return "application/octet-stream";
}

int assets_serve(struct req *req)
{
	const char *name = req->path + strlen("/static/");
	const char *inm = req_header(req, "if-none-match");
	int i;

	if (req->method != HTTP_GET && req->method != HTTP_HEAD)
		return resp_error(req, 405, "method_not_allowed", _("Not allowed"),
				  _("This address does not accept this kind of request."));
	i = find(name);
	if (i < 0)
		return resp_error(req, 404, "not_found", _("Page not found"),
				  _("There is no page at this address. Check the address or go back "
				    "to the start page."));
	req->cacheable = 1;
	resp_header(req, "etag", meta[i].etag);
	if (inm != NULL && strcmp(inm, meta[i].etag) == 0)
		return 304;
	req->out_type = content_type(name);
	buf_reset(&req->out);
	buf_add(&req->out, razem_assets[i].data, razem_assets[i].len);
	return 200;
}

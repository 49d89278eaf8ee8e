/*
 * calib_fetch.c - the simplest real strategy: one libcurl easy handle,
 * requests one after another.  The end-to-end test runs it against the
 * embedded server.
 */
#include <curl/curl.h>
#include <stddef.h>

#include "calib.h"

struct opts {
	int unused;
};

struct xfer {
	const struct br_host *h;
	struct br_run *run;
	size_t i;
};

CALIB_CREATE(struct opts)

static size_t on_data(char *data, size_t size, size_t n, void *userp)
{
	struct xfer *x = userp;

	if (x->h->body(x->run, x->i, data, size * n))
		return 0; /* too large: abort the transfer */
	return size * n;
}

static int calib_run(void *state, struct br_run *run)
{
	const struct br_host *h = ((struct calib *)state)->host;
	struct xfer x = { h, run, 0 };
	CURL *e = curl_easy_init();
	long status;

	if (!e)
		return -1;
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, 10L);
	for (x.i = 0; x.i < h->count(run); x.i++) {
		CURLcode rc;

		status = 0;
		h->start(run, x.i);
		curl_easy_setopt(e, CURLOPT_URL, h->url(run, x.i));
		rc = curl_easy_perform(e);
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
		h->done(run, x.i, (int)status,
		        rc == CURLE_OK ? NULL : curl_easy_strerror(rc));
	}
	curl_easy_cleanup(e);
	return 0;
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "calib_fetch",
	.description = "sequential libcurl easy fetches (test fixture)",
	.opts_size = sizeof(struct opts),
	.create = calib_create,
	.run = calib_run,
	.destroy = calib_destroy,
};

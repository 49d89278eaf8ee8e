/*
 * sync.c - the baseline: one request after another on ONE libcurl easy
 * handle, reused for every request so that its connection is kept alive
 * (the article's `requests.get` loop, done the way libcurl is meant to be
 * used).  Every other strategy is measured against this one.
 */
#include "config.h"

#include <stdlib.h>

#include <curl/curl.h>
#include <benchrun/plugin.h>

#include "brcurl.h"
#include "brdue.h"

struct sync_opts {
	struct brcurl_opts common;
};

static const struct br_param sync_params[] = {
	BRC_PARAMS(struct sync_opts, common),
	{ NULL },
};

struct sync_state {
	const struct br_host *host;
	const struct sync_opts *opts;
	CURL *easy;
	struct brcurl_xfer xfer;
};

static void sync_free(struct sync_state *s)
{
	if (s->easy)
		curl_easy_cleanup(s->easy);
	brcurl_xfer_release(&s->xfer);
	free(s);
	brcurl_global_cleanup();
}

static struct sync_state *sync_new(const struct br_host *host,
                                   const struct sync_opts *opts)
{
	struct sync_state *s;

	if (brcurl_opts_check(host, &opts->common) < 0)
		return NULL;
	if (brcurl_global_init(host) < 0)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		goto fail_alloc;
	s->host = host;
	s->opts = opts;
	s->easy = curl_easy_init();
	if (!s->easy || brcurl_easy_setup(&s->xfer, s->easy, host, &opts->common) < 0)
		goto fail_easy;
	return s;

fail_easy:
	host->log(NULL, BR_LOG_ERROR, "sync: cannot set up a curl handle");
	sync_free(s);
	return NULL;
fail_alloc:
	host->log(NULL, BR_LOG_ERROR, "sync: out of memory");
	brcurl_global_cleanup();
	return NULL;
}

static void sync_fetch_all(struct sync_state *s, struct br_run *run)
{
	size_t n = s->host->count(run);

	/* Open model: sleep until each request is due; one that is late
	 * (the previous response took longer than the gap) starts at once,
	 * and the backlog shows in its response time. */
	for (size_t i = 0; i < n; i++) {
		brdue_wait(s->host, run, i);
		brcurl_fetch(&s->xfer, run, i);
	}
}

/* ---- hook adapters ---------------------------------------------------- */

static int sync_create(const struct br_host *host, const void *opts,
                       void **state)
{
	*state = sync_new(host, opts);
	return *state ? 0 : -1;
}

static int sync_run(void *state, struct br_run *run)
{
	sync_fetch_all(state, run);
	return 0;
}

static void sync_destroy(void *state)
{
	sync_free(state);
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "sync",
	.description = "sequential requests on one reused libcurl handle "
	               "(the baseline)",
	.params = sync_params,
	.opts_size = sizeof(struct sync_opts),
	.create = sync_create,
	.run = sync_run,
	.destroy = sync_destroy,
	.flags = BR_PLUGIN_F_DUE,
};

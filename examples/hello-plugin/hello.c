/*
 * hello.c - the smallest complete benchrun strategy: fetch every URL one
 * after another with one libcurl easy handle, hand each body to the core,
 * report each request done.  It builds out of tree against an installed
 * benchrun (see Makefile and docs/writing-a-plugin.md) and needs nothing
 * but <benchrun/plugin.h> and libcurl.
 */
#include <stdlib.h>
#include <time.h>

#include <benchrun/plugin.h>
#include <curl/curl.h>

/* The options struct the core fills from the parameter table below. */
struct hello_opts {
	double timeout;         /* BR_PARAM_DURATION: seconds */
	const char *user_agent; /* BR_PARAM_STRING: owned by the core */
};

static const struct br_param hello_params[] = {
	{ "timeout", BR_PARAM_DURATION, offsetof(struct hello_opts, timeout),
	  "30s", 0, 3600, "whole-request timeout (0 = none)" },
	{ "user_agent", BR_PARAM_STRING,
	  offsetof(struct hello_opts, user_agent), "benchrun-hello/1", 0, 0,
	  "User-Agent header" },
	{ NULL },
};

struct hello {
	const struct br_host *host;
	CURL *easy;
	/* The request being fetched, for the write callback. */
	struct br_run *run;
	size_t i;
	int too_big;
};

/* libcurl hands us the body piece by piece; so do we.  Returning less
 * than we were given makes libcurl abort the transfer. */
static size_t hello_on_body(char *data, size_t size, size_t n, void *user)
{
	struct hello *h = user;

	if (h->host->body(h->run, h->i, data, size * n) < 0) {
		h->too_big = 1;
		return 0;
	}
	return size * n;
}

static void hello_fetch(struct hello *h, struct br_run *run, size_t i)
{
	long status = 0;
	CURLcode rc;

	h->run = run;
	h->i = i;
	h->too_big = 0;
	curl_easy_setopt(h->easy, CURLOPT_URL, h->host->url(run, i));
	h->host->start(run, i);
	rc = curl_easy_perform(h->easy);
	curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
	if (h->too_big)
		h->host->done(run, i, (int)status, "body too large");
	else
		h->host->done(run, i, (int)status,
		              rc == CURLE_OK ? NULL : curl_easy_strerror(rc));
}

/* ---- hooks ------------------------------------------------------------ */

/* create: not timed; do the one-time set-up here. */
static int hello_create(const struct br_host *host, const void *opts,
                        void **state)
{
	const struct hello_opts *o = opts;
	struct hello *h;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		host->log(NULL, BR_LOG_ERROR, "hello: curl_global_init failed");
		return -1;
	}
	h = calloc(1, sizeof(*h));
	if (!h || !(h->easy = curl_easy_init())) {
		host->log(NULL, BR_LOG_ERROR, "hello: out of memory");
		free(h);
		curl_global_cleanup();
		return -1;
	}
	h->host = host;
	curl_easy_setopt(h->easy, CURLOPT_WRITEFUNCTION, hello_on_body);
	curl_easy_setopt(h->easy, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(h->easy, CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1000));
	curl_easy_setopt(h->easy, CURLOPT_USERAGENT, o->user_agent);
	curl_easy_setopt(h->easy, CURLOPT_NOSIGNAL, 1L);
	*state = h;
	return 0;
}

/* Open model (ABI 1.1): sleep until request i is due; in the closed
 * model due() is 0 and this returns at once. */
static void hello_wait_due(const struct br_host *host, struct br_run *run,
                           size_t i)
{
	uint64_t now, due = host->due(run, i);

	while ((now = host->now(run)) < due) {
		struct timespec ts = { (time_t)((due - now) / 1000000000u),
		                       (long)((due - now) % 1000000000u) };

		nanosleep(&ts, NULL); /* may wake early: check the clock again */
	}
}

/* run: timed; every request gets start, body..., done exactly once, and
 * never starts before it is due. */
static int hello_run(void *state, struct br_run *run)
{
	struct hello *h = state;
	size_t n = h->host->count(run);

	for (size_t i = 0; i < n; i++) {
		hello_wait_due(h->host, run, i);
		hello_fetch(h, run, i);
	}
	return 0;
}

static void hello_destroy(void *state)
{
	struct hello *h = state;

	curl_easy_cleanup(h->easy);
	free(h);
	curl_global_cleanup();
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "hello",
	.description = "example: sequential libcurl easy fetches",
	.params = hello_params,
	.opts_size = sizeof(struct hello_opts),
	.create = hello_create,
	.run = hello_run,
	.destroy = hello_destroy,
	.flags = BR_PLUGIN_F_DUE, /* honours due(): runs open-model scenarios */
};

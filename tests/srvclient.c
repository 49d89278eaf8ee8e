/*
 * srvclient.c - the client side of the server suite: spawn a server for a
 * scenario written inline, fetch batches of days with one curl multi
 * handle (each transfer's server wait recorded), compare bodies with the
 * generator.
 */
#include "config.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "srvclient.h"
#include "workload/tickets.h"

void srv_load(const char *yaml, struct brc_scenario *sc)
{
	char *text = brc_xasprintf("%s\nstrategies: [{plugin: sync}]\n", yaml);
	char *err = NULL;
	int rc = brc_scenario_load_string("test", text, strlen(text), NULL, 0,
	                                 sc, &err);

	ck_assert_msg(rc == 0, "scenario: %s", err ? err : "?");
	free(err);
	free(text);
}

void srv_spawn(const char *yaml, struct brc_scenario *sc,
                  struct brc_server_proc *srv)
{
	srv_load(yaml, sc);
	ck_assert_int_eq(brc_server_spawn(sc, srv), 0);
	ck_assert_int_gt(srv->port, 0);
	ck_assert_ptr_nonnull(srv->base_url);
}

void srv_finish(struct brc_scenario *sc, struct brc_server_proc *srv)
{
	/* A server that crashed, hung or had a sanitizer report (TSan's
	 * halt_on_error exits it non-zero) fails the test. */
	int rc = brc_server_stop(srv);

	brc_scenario_free(sc);
	ck_assert_msg(rc == 0, "the server did not exit cleanly on SIGTERM");
}

static size_t collect(char *data, size_t size, size_t n, void *cls)
{
	brc_buf_append(cls, data, size * n);
	return size * n;
}

/*
 * Our own time stamps, taken so that descheduling can only lengthen the
 * measured wait (libcurl's PRETRANSFER/STARTTRANSFER stamps may fall after
 * the send): just before the request goes out, and when the first header
 * line is in.
 */
static int stamp_send(void *cls, char *ip, char *local, int port, int lport)
{
	struct xfer *t = cls;

	t->sent = brc_now_ns();
	t->first = 0;
	return CURL_PREREQFUNC_OK;
}

static size_t stamp_first(char *data, size_t size, size_t n, void *cls)
{
	struct xfer *t = cls;

	if (!t->first)
		t->first = brc_now_ns();
	return size * n;
}

static char *day_url(const struct brc_scenario *sc,
                     const struct brc_server_proc *srv, int64_t day)
{
	const char *t = sc->server.url_template;

	return brc_ticket_url(t ? t : "{base}/tickets/{route}/{date}",
	                     srv->base_url, &sc->workload, day);
}

double srv_fetch_days(const struct brc_scenario *sc,
                      const struct brc_server_proc *srv, int64_t first,
                      int64_t n, long parallel, struct xfer *x)
{
	CURLM *m = curl_multi_init();
	uint64_t t0 = brc_now_ns(), deadline = t0 + 60000000000ULL;
	int running = 1, left;
	CURLMsg *msg;

	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, parallel);
	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, parallel);
	for (int64_t k = 0; k < n; k++) {
		char *url = day_url(sc, srv, first + k);

		memset(&x[k], 0, sizeof(x[k]));
		x[k].day = first + k;
		x[k].h = curl_easy_init();
		curl_easy_setopt(x[k].h, CURLOPT_URL, url);
		curl_easy_setopt(x[k].h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(x[k].h, CURLOPT_TIMEOUT, 30L);
		curl_easy_setopt(x[k].h, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(x[k].h, CURLOPT_WRITEDATA, &x[k].body);
		curl_easy_setopt(x[k].h, CURLOPT_PRIVATE, &x[k]);
		curl_easy_setopt(x[k].h, CURLOPT_PREREQFUNCTION, stamp_send);
		curl_easy_setopt(x[k].h, CURLOPT_PREREQDATA, &x[k]);
		curl_easy_setopt(x[k].h, CURLOPT_HEADERFUNCTION, stamp_first);
		curl_easy_setopt(x[k].h, CURLOPT_HEADERDATA, &x[k]);
		curl_multi_add_handle(m, x[k].h);
		free(url);
	}
	while (running && brc_now_ns() < deadline) {
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left))) {
			struct xfer *t;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			                  (char **)&t);
			t->rc = msg->data.result;
			curl_easy_getinfo(t->h, CURLINFO_RESPONSE_CODE, &t->status);
			if (t->sent && t->first > t->sent)
				t->wait = (double)(t->first - t->sent) * 1e-9;
		}
		if (running)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	ck_assert_msg(!running, "transfers still running after 60 s");
	for (int64_t k = 0; k < n; k++) {
		curl_multi_remove_handle(m, x[k].h);
		curl_easy_cleanup(x[k].h);
	}
	curl_multi_cleanup(m);
	return (double)(brc_now_ns() - t0) * 1e-9;
}

void srv_free_xfers(struct xfer *x, int64_t n)
{
	for (int64_t k = 0; k < n; k++)
		brc_buf_free(&x[k].body);
	free(x);
}

bool srv_body_is(const struct brc_scenario *sc, const struct xfer *x)
{
	struct brc_buf want = { 0 };
	bool same;

	brc_ticket_render(&sc->workload, x->day, &want);
	same = x->body.len == want.len &&
	       !memcmp(x->body.data, want.data, want.len);
	brc_buf_free(&want);
	return same;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double srv_median_wait(const struct xfer *x, int64_t n)
{
	double *v = brc_xmalloc((size_t)n * sizeof(*v)), med;

	for (int64_t k = 0; k < n; k++)
		v[k] = x[k].wait;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	med = v[n / 2];
	free(v);
	return med;
}

long srv_get_status(const char *url, const char *method)
{
	CURL *h = curl_easy_init();
	struct brc_buf sink = { 0 };
	long status = 0;

	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
	if (method)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	brc_buf_free(&sink);
	return status;
}

/* Ranks 0..n-1 of v (no ties expected among doubles). */
void srv_ranks(const double *v, int n, double *out)
{
	for (int a = 0; a < n; a++) {
		int r = 0;

		for (int b = 0; b < n; b++)
			r += v[b] < v[a] || (v[b] == v[a] && b < a);
		out[a] = r;
	}
}

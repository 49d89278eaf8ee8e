/*
 * multiplex.c - HTTP/2 multiplexing: `concurrency` requests in flight as
 * streams over `connections` connections (h2c, prior knowledge), one
 * thread, one epoll loop, libnghttp2's client session per connection.
 * The server must speak h2c: the embedded one with `server: {http2: true}`.
 *
 * Why not libcurl's multi interface with CURLPIPE_MULTIPLEX: Debian 12's
 * libcurl 7.88.1 fails every request that reuses a prior-knowledge HTTP/2
 * connection ("Error in the HTTP2 framing layer", curl issue 10634, fixed
 * upstream after 7.88.1), i.e. every multiplexed stream after the first.
 * URLs are still parsed by libcurl (CURLU).
 *
 * This file runs the requests (options, URLs, the loop, the hooks); the
 * connections and their sessions' callbacks are multiplex_conn.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <nghttp2/nghttp2.h>

#include <benchrun/plugin.h>

#include "multiplex.h"

/* ---- the run -------------------------------------------------------- */

/* Send request i (again) on the connection with the fewest streams. */
static void submit(struct mx_state *s, size_t i)
{
	struct mx_req *r = &s->req[i];
	int best = -1;

	for (int k = 0; k < (int)s->o.connections; k++) {
		if (s->conns[k].fd < 0 && mx_conn_open(s, k))
			continue;
		if (best < 0 || s->conns[k].open < s->conns[best].open)
			best = k;
	}
	s->host->start(s->run, i);
	s->in_flight++;
	r->status = 0;
	r->over_limit = r->timed_out = false;
	r->started = mx_now_ns();
	if (best < 0) {
		mx_finish(s, i, "cannot connect to the server");
		return;
	}
	nghttp2_nv nv[] = {
		{ (uint8_t *)":method", (uint8_t *)"GET", 7, 3, 0 },
		{ (uint8_t *)":scheme", (uint8_t *)"http", 7, 4, 0 },
		{ (uint8_t *)":authority", (uint8_t *)r->authority, 10,
		  strlen(r->authority), 0 },
		{ (uint8_t *)":path", (uint8_t *)r->path, 5, strlen(r->path), 0 },
	};
	r->conn = best;
	s->conns[best].open++;
	r->stream = nghttp2_submit_request(s->conns[best].ss, NULL, nv, 4, NULL,
	                                   r);
	if (r->stream < 0) {
		s->conns[best].open--;
		mx_finish(s, i, "cannot open a stream");
	}
}

/* Parse every URL once, before the clock matters more than it must. */
static int parse_urls(struct mx_state *s)
{
	CURLU *u = curl_url();

	if (!u)
		return -1;
	for (size_t i = 0; i < s->count; i++) {
		char *h = NULL, *p = NULL, *path = NULL, *q = NULL;

		if (curl_url_set(u, CURLUPART_URL, s->host->url(s->run, i), 0) ||
		    curl_url_get(u, CURLUPART_HOST, &h, 0) ||
		    curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) ||
		    curl_url_get(u, CURLUPART_PATH, &path, 0)) {
			curl_free(h);
			curl_free(p);
			curl_url_cleanup(u);
			return -1;
		}
		curl_url_get(u, CURLUPART_QUERY, &q, 0);
		if (!s->host_name) {
			s->host_name = strdup(h);
			s->port = strdup(p);
		}
		s->req[i].authority = malloc(strlen(h) + strlen(p) + 2);
		s->req[i].path = malloc(strlen(path) + (q ? strlen(q) + 1 : 0) + 1);
		if (s->req[i].authority)
			sprintf(s->req[i].authority, "%s:%s", h, p);
		if (s->req[i].path)
			sprintf(s->req[i].path, "%s%s%s", path, q ? "?" : "",
			        q ? q : "");
		s->req[i].conn = -1;
		curl_free(h);
		curl_free(p);
		curl_free(path);
		curl_free(q);
	}
	curl_url_cleanup(u);
	return 0;
}

/* Retries due, timeouts: what time says; returns ms to wait at most. */
static int tick(struct mx_state *s)
{
	uint64_t now = mx_now_ns(), wake = now + 100000000ULL;

	for (size_t i = 0; i < s->count && (s->retrying || s->o.timeout > 0); i++) {
		struct mx_req *r = &s->req[i];

		if (r->retry_at && r->retry_at <= now) {
			r->retry_at = 0;
			s->retrying--;
			r->attempt++;
			submit(s, i);
		} else if (r->retry_at && r->retry_at < wake) {
			wake = r->retry_at;
		} else if (r->conn >= 0 && !r->timed_out && s->o.timeout > 0 &&
		           now - r->started > (uint64_t)(s->o.timeout * 1e9)) {
			r->timed_out = true;
			nghttp2_submit_rst_stream(s->conns[r->conn].ss,
			                          NGHTTP2_FLAG_NONE, r->stream,
			                          NGHTTP2_CANCEL);
		}
	}
	/* New requests while there is room, and (open model) due. */
	while (s->in_flight < (size_t)s->o.concurrency && s->next < s->count) {
		uint64_t due = s->has_due ? s->host->due(s->run, s->next) : 0;
		uint64_t at = s->has_due ? s->host->now(s->run) : 0;

		if (due > at) {
			if (now + (due - at) < wake)
				wake = now + (due - at);
			break;
		}
		submit(s, s->next++);
	}
	return wake > now ? (int)((wake - now + 999999) / 1000000) : 0;
}

static void free_run_state(struct mx_state *s)
{
	for (int k = 0; k < (int)s->o.connections; k++) {
		struct mx_conn *c = &s->conns[k];

		if (c->fd >= 0) {
			epoll_ctl(s->ep, EPOLL_CTL_DEL, c->fd, NULL);
			close(c->fd);
			nghttp2_session_del(c->ss);
		}
		free(c->pend);
		memset(c, 0, sizeof(*c));
		c->fd = -1;
	}
	for (size_t i = 0; s->req && i < s->count; i++) {
		free(s->req[i].authority);
		free(s->req[i].path);
	}
	free(s->req);
	free(s->host_name);
	free(s->port);
	s->req = NULL;
	s->host_name = s->port = NULL;
}

static int mx_run(void *state, struct br_run *run)
{
	struct mx_state *s = state;
	struct epoll_event ev[64];
	int rc = 0;

	s->run = run;
	s->count = s->host->count(run);
	s->next = s->done = s->in_flight = s->retrying = 0;
	s->req = calloc(s->count + 1, sizeof(*s->req));
	if (!s->req || parse_urls(s)) {
		s->host->log(run, BR_LOG_ERROR, "multiplex: cannot parse the "
		             "workload's URLs");
		rc = -1;
		goto out;
	}
	while (s->done < s->count) {
		int wait = tick(s), n;

		for (int k = 0; k < (int)s->o.connections; k++)
			if (s->conns[k].fd >= 0 && mx_conn_flush(s, k))
				mx_conn_drop(s, k, "connection error");
		if (s->done >= s->count)
			break;
		n = epoll_wait(s->ep, ev, 64, wait);
		for (int e = 0; e < n; e++)
			if (s->conns[ev[e].data.u32].fd >= 0)
				mx_conn_read(s, (int)ev[e].data.u32);
	}
out:
	/* Connections do not outlive the run: the next one starts cold,
	 * like every other strategy's first run. */
	free_run_state(s);
	return rc;
}

static void mx_destroy(void *state)
{
	struct mx_state *s = state;

	if (!s)
		return;
	if (s->ep >= 0)
		close(s->ep);
	free(s->conns);
	free(s);
}

static int mx_create(const struct br_host *host, const void *opts,
                     void **state)
{
	const struct mx_opts *o = opts;
	struct mx_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	s->host = host;
	s->o = *o;
	s->has_due = BR_HAS_MEMBER(struct br_host, host->size, due);
	s->ep = epoll_create1(EPOLL_CLOEXEC);
	s->conns = calloc((size_t)o->connections, sizeof(*s->conns));
	if (s->ep < 0 || !s->conns) {
		host->log(NULL, BR_LOG_ERROR, "multiplex: out of resources");
		mx_destroy(s);
		return -1;
	}
	for (int64_t k = 0; k < o->connections; k++)
		s->conns[k].fd = -1;
	*state = s;
	return 0;
}

static const struct br_param mx_params[] = {
	{ "concurrency", BR_PARAM_INT, offsetof(struct mx_opts, concurrency),
	  "100", 1, 100000, "requests in flight, as streams spread over the "
	  "connections", .flags = BR_PARAM_F_CONCURRENCY },
	{ "connections", BR_PARAM_INT, offsetof(struct mx_opts, connections),
	  "1", 1, 1000, "HTTP/2 connections the streams share" },
	{ "timeout", BR_PARAM_DURATION, offsetof(struct mx_opts, timeout), "30s",
	  0, 3600, "whole-request timeout (0 = none)" },
	{ "retries", BR_PARAM_INT, offsetof(struct mx_opts, retries), "0", 0, 10,
	  "retries after a transport error or a 5xx status" },
	{ "retry_backoff", BR_PARAM_DURATION,
	  offsetof(struct mx_opts, retry_backoff), "50ms", 0, 60,
	  "delay before the first retry, doubled for each further one" },
	{ NULL },
};

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "multiplex",
	.description = "HTTP/2 streams over a few connections (h2c, nghttp2)",
	.params = mx_params,
	.opts_size = sizeof(struct mx_opts),
	.create = mx_create,
	.run = mx_run,
	.destroy = mx_destroy,
	.flags = BR_PLUGIN_F_DUE,
};

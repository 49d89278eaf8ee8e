/*
 * brcurl.h - what every in-tree libcurl strategy shares, so that the same
 * parameter means the same thing in every plugin: the common options
 * (timeout, connect_timeout, keepalive, retries, retry_backoff,
 * http_version), how an easy handle is set up from them, the write callback
 * that forwards to host->body, the retry rule, and the final host->done.
 *
 * Linked into each curl plugin as a libtool convenience library
 * (plugins/libbrcurl.la); nothing here is exported from the plugins.
 *
 * Blocking plugins call brcurl_fetch() on a reused easy handle.  Event-driven
 * plugins use the pieces: brcurl_easy_setup() once per handle, brcurl_xfer_start()
 * when a transfer (or a retry of it) begins, brcurl_should_retry() and
 * brcurl_backoff() when it completes, and brcurl_finish() to report it.
 */
#ifndef BR_PLUGINS_BRCURL_H
#define BR_PLUGINS_BRCURL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>
#include <benchrun/plugin.h>

/* The common options; embed as a member named `common` of a plugin's
 * options struct and list BRC_PARAMS(...) in its parameter table. */
struct brcurl_opts {
	double timeout;         /* whole request, seconds; 0 = none        */
	double connect_timeout; /* seconds                                 */
	bool keepalive;         /* false: CURLOPT_FORBID_REUSE             */
	int64_t retries;        /* extra attempts after a retryable failure */
	double retry_backoff;   /* seconds before the first retry, doubled
	                           for each further one                     */
	const char *http_version; /* "1.0", "1.1" or "2"                   */
	int64_t recv_buffer;    /* CURLOPT_BUFFERSIZE, bytes              */
};

/* The receive buffer every transfer holds while in flight: libcurl's
 * default is 16 KiB.  6 KiB still takes a 4.8 KiB ticket and its headers
 * in one read (4 KiB needs two), and holds ~2 KiB less per request in
 * flight than 8 KiB did (measured 4-16 KiB, BENCHMARKS.md). */
#define BRCURL_RECV_BUFFER "6KiB"

/*
 * The common br_param entries for `struct brcurl_opts member` inside the
 * options struct `type`, so every plugin declares the same names,
 * defaults, ranges and help.
 */
#define BRC_PARAMS(type, member)                                             \
	{ "timeout", BR_PARAM_DURATION, offsetof(type, member.timeout), "30s",   \
	  0, 3600, "whole-request timeout (0 = none)" },                         \
	{ "connect_timeout", BR_PARAM_DURATION,                                  \
	  offsetof(type, member.connect_timeout), "10s", 0.001, 3600,            \
	  "TCP connect timeout" },                                               \
	{ "keepalive", BR_PARAM_BOOL, offsetof(type, member.keepalive), "true",  \
	  0, 0, "reuse connections (false: a new connection per request)" },     \
	{ "retries", BR_PARAM_INT, offsetof(type, member.retries), "0", 0, 10,   \
	  "retries after a transport error or a 5xx status" },                   \
	{ "retry_backoff", BR_PARAM_DURATION,                                    \
	  offsetof(type, member.retry_backoff), "50ms", 0, 60,                   \
	  "delay before the first retry, doubled for each further one" },        \
	{ "http_version", BR_PARAM_STRING, offsetof(type, member.http_version),  \
	  "1.1", 0, 0, "HTTP version: 1.0, 1.1, 2 (h2c upgrade, falls back) " \
	  "or h2c (HTTP/2 by prior knowledge)" },                               \
	{ "recv_buffer", BR_PARAM_SIZE, offsetof(type, member.recv_buffer),      \
	  BRCURL_RECV_BUFFER, 1024, 524288,                                      \
	  "libcurl's receive buffer per transfer (CURLOPT_BUFFERSIZE)" }

/*
 * One transfer in flight: the request index and what the callbacks need.
 * CURLOPT_PRIVATE and CURLOPT_WRITEDATA point at it.  `user` is free for
 * the plugin (an event loop's per-transfer state).
 */
struct brcurl_xfer {
	const struct br_host *host;
	struct br_run *run;
	const struct brcurl_opts *opts;
	CURL *easy;
	size_t i;
	unsigned attempt;  /* 0 for the first try                       */
	bool over_limit;   /* host->body refused more: transfer aborted  */
	char errbuf[CURL_ERROR_SIZE];
	void *user;
	CURLU *url;        /* the request's URL, parsed by us (CURLOPT_CURLU):
	                      libcurl then skips its own parse and re-split,
	                      ~8k of its ~60k instructions per request      */
};

/* curl_global_init/cleanup (libcurl counts the calls, and makes them
 * thread-safe since 7.84); call from create/destroy.  init returns 0 or -1
 * (logged). */
int brcurl_global_init(const struct br_host *host);
void brcurl_global_cleanup(void);

/* Is RLIMIT_NOFILE large enough for `need` descriptors (plus a little
 * slack for epoll, stdio and logs)?  Sets *limit to the soft limit.  On
 * failure logs "NAME: concurrency ... needs about N file descriptors" and
 * returns -1, so a plugin fails in create, before anything is measured. */
enum { BRC_FD_SLACK = 32 };
int brcurl_check_nofile(const struct br_host *host, const char *name,
                     size_t need, size_t *limit);

/* Check values the parameter table cannot range-check (http_version).
 * Returns 0, or -1 after logging why. */
int brcurl_opts_check(const struct br_host *host, const struct brcurl_opts *o);

/*
 * Bind x to easy and apply the options: timeouts, keep-alive, HTTP version,
 * CURLOPT_NOSIGNAL=1 (no SIGALRM in multithreaded resolving, and no
 * sigaction calls per request), the body write callback, CURLOPT_PRIVATE
 * and the error buffer.  Returns 0 or -1 (logged).
 */
int brcurl_easy_setup(struct brcurl_xfer *x, CURL *easy, const struct br_host *host,
                   const struct brcurl_opts *o);

/* Free what brcurl_easy_setup allocated besides the handle (call beside
 * curl_easy_cleanup; safe on a zeroed or failed x). */
void brcurl_xfer_release(struct brcurl_xfer *x);

/* Begin (or retry) request i on x's handle: set the URL, reset the
 * per-attempt state, call host->start.  attempt 0 is the first try. */
void brcurl_xfer_start(struct brcurl_xfer *x, struct br_run *run, size_t i,
                    unsigned attempt);

/* The CURLOPT_WRITEFUNCTION brcurl_easy_setup installs: forwards to
 * host->body and aborts the transfer when that returns -1. */
size_t brcurl_write_cb(char *data, size_t size, size_t nmemb, void *userdata);

/* Whether a finished attempt deserves another: transport errors and 5xx
 * statuses do; a body over the limit or a 4xx does not. */
bool brcurl_should_retry(CURLcode rc, long status);

/* Whether x's finished attempt (rc) should be retried under its options. */
bool brcurl_xfer_retry(const struct brcurl_xfer *x, CURLcode rc);

/* Seconds to wait before retry number attempt (1-based). */
double brcurl_backoff(const struct brcurl_opts *o, unsigned attempt);

/* Report x's finished transfer: host->done with the HTTP status (0 when no
 * response) and the error text (NULL on transport success).  Returns what
 * done returned. */
int brcurl_finish(struct brcurl_xfer *x, CURLcode rc);

/* Blocking: fetch request i on x's handle with retries and backoff, and
 * report it.  Returns what host->done returned. */
int brcurl_fetch(struct brcurl_xfer *x, struct br_run *run, size_t i);

/* For the event loops (epcurl.c, uvcurl.c): install a loop's socket
 * open/close callbacks on a handle, and make a multi handle for one run
 * with the loop's socket and timer callbacks, keeping up to maxconnects
 * idle connections.  brcurl_multi_new logs and returns NULL on failure. */
void brcurl_easy_sockets(CURL *easy, curl_opensocket_callback open_cb,
                         curl_closesocket_callback close_cb, void *data);
CURLM *brcurl_multi_new(const struct br_host *host, struct br_run *run,
                        const char *name, curl_socket_callback socket_cb,
                        curl_multi_timer_callback timer_cb, void *data,
                        long maxconnects);

/* CLOCK_MONOTONIC in nanoseconds: deadlines and the plugins' own timing. */
uint64_t brcurl_now_ns(void);

#endif /* BR_PLUGINS_BRCURL_H */

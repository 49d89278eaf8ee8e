/*
 * brcurl.c - the libcurl glue shared by the in-tree strategy plugins: one
 * meaning for the common options, one retry rule, one way to report a
 * transfer.  See brcurl.h.
 */
#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <string.h>
#include <time.h>

#include "brcurl.h"

int brcurl_global_init(const struct br_host *host)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK) {
		host->log(NULL, BR_LOG_ERROR, "curl_global_init: %s",
		          curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

void brcurl_global_cleanup(void)
{
	curl_global_cleanup();
}

static long http_version(const char *v)
{
	if (!v || !strcmp(v, "1.1"))
		return CURL_HTTP_VERSION_1_1;
	if (!strcmp(v, "1.0"))
		return CURL_HTTP_VERSION_1_0;
	/* Over http:// this asks for an h2c upgrade; a server that ignores
	 * it (libmicrohttpd) is simply spoken to in HTTP/1.1. */
	if (!strcmp(v, "2") || !strcmp(v, "2.0"))
		return CURL_HTTP_VERSION_2_0;
	/* HTTP/2 from the first byte (prior knowledge): the embedded server
	 * with server.http2, or any h2c server. */
	if (!strcmp(v, "h2c"))
		return CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
	return -1;
}

int brcurl_opts_check(const struct br_host *host, const struct brcurl_opts *o)
{
	if (http_version(o->http_version) < 0) {
		host->log(NULL, BR_LOG_ERROR,
		          "http_version '%s': expected 1.0, 1.1, 2 or h2c",
		          o->http_version);
		return -1;
	}
	return 0;
}

size_t brcurl_write_cb(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct brcurl_xfer *x = userdata;
	size_t n = size * nmemb;

	if (x->host->body(x->run, x->i, data, n) < 0) {
		/* Returning short makes libcurl fail with CURLE_WRITE_ERROR. */
		x->over_limit = true;
		return 0;
	}
	return n;
}

static long ms(double seconds)
{
	return seconds > 0 ? (long)(seconds * 1000.0 + 0.5) : 0;
}

int brcurl_easy_setup(struct brcurl_xfer *x, CURL *easy, const struct br_host *host,
                   const struct brcurl_opts *o)
{
	CURLcode rc = CURLE_OK;

	memset(x, 0, sizeof(*x));
	x->host = host;
	x->opts = o;
	x->easy = easy;

	/* Stop at the first failing option; `rc` carries it out. */
#define SET(opt, val) \
	do { if (rc == CURLE_OK) rc = curl_easy_setopt(easy, opt, val); } while (0)
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_TIMEOUT_MS, ms(o->timeout));
	SET(CURLOPT_CONNECTTIMEOUT_MS, ms(o->connect_timeout));
	SET(CURLOPT_FORBID_REUSE, o->keepalive ? 0L : 1L);
	SET(CURLOPT_HTTP_VERSION, http_version(o->http_version));
	if (o->recv_buffer > 0)
		SET(CURLOPT_BUFFERSIZE, (long)o->recv_buffer);
	SET(CURLOPT_WRITEFUNCTION, brcurl_write_cb);
	SET(CURLOPT_WRITEDATA, (void *)x);
	SET(CURLOPT_PRIVATE, (void *)x);
	SET(CURLOPT_ERRORBUFFER, x->errbuf);
#undef SET
	if (rc != CURLE_OK) {
		host->log(NULL, BR_LOG_ERROR, "curl_easy_setopt: %s",
		          curl_easy_strerror(rc));
		return -1;
	}
	/* Without it, brcurl_xfer_start falls back to CURLOPT_URL. */
	x->url = curl_url();
	return 0;
}

void brcurl_xfer_release(struct brcurl_xfer *x)
{
	if (x->url)
		curl_url_cleanup(x->url);
	x->url = NULL;
}

void brcurl_xfer_start(struct brcurl_xfer *x, struct br_run *run, size_t i,
                    unsigned attempt)
{
	const char *url = x->host->url(run, i);

	x->run = run;
	x->i = i;
	x->attempt = attempt;
	x->over_limit = false;
	x->errbuf[0] = '\0';
	/* Parsed here into the transfer's own CURLU, libcurl reads the parts
	 * instead of parsing the string and re-assembling it.  A URL it
	 * cannot parse goes in as text, so libcurl reports it as usual. */
	if (x->url && url &&
	    curl_url_set(x->url, CURLUPART_URL, url, 0) == CURLUE_OK) {
		curl_easy_setopt(x->easy, CURLOPT_CURLU, x->url);
	} else {
		curl_easy_setopt(x->easy, CURLOPT_CURLU, NULL);
		curl_easy_setopt(x->easy, CURLOPT_URL, url);
	}
	x->host->start(run, i);
}

bool brcurl_should_retry(CURLcode rc, long status)
{
	if (rc != CURLE_OK)
		return true;
	return status >= 500 && status <= 599;
}

static long response_code(CURL *easy)
{
	long status = 0;

	if (curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK)
		status = 0;
	return status;
}

bool brcurl_xfer_retry(const struct brcurl_xfer *x, CURLcode rc)
{
	if (x->over_limit || (int64_t)x->attempt >= x->opts->retries)
		return false;
	return brcurl_should_retry(rc, rc == CURLE_OK ? response_code(x->easy) : 0);
}

double brcurl_backoff(const struct brcurl_opts *o, unsigned attempt)
{
	double d = o->retry_backoff;

	for (unsigned k = 1; k < attempt; k++)
		d *= 2;
	return d;
}

int brcurl_finish(struct brcurl_xfer *x, CURLcode rc)
{
	const char *err = NULL;
	long status = response_code(x->easy);

	if (x->over_limit)
		err = "body over max_body";
	else if (rc != CURLE_OK)
		err = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);
	return x->host->done(x->run, x->i, (int)status, err);
}

static void sleep_seconds(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int brcurl_fetch(struct brcurl_xfer *x, struct br_run *run, size_t i)
{
	CURLcode rc;

	for (unsigned attempt = 0;; attempt++) {
		brcurl_xfer_start(x, run, i, attempt);
		rc = curl_easy_perform(x->easy);
		if (!brcurl_xfer_retry(x, rc))
			break;
		sleep_seconds(brcurl_backoff(x->opts, attempt + 1));
	}
	return brcurl_finish(x, rc);
}

int brcurl_check_nofile(const struct br_host *host, const char *name,
                     size_t need, size_t *limit)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		rl.rlim_cur = 1024;
	*limit = rl.rlim_cur == RLIM_INFINITY ? (size_t)1 << 20 : rl.rlim_cur;
	if (need + BRC_FD_SLACK <= *limit)
		return 0;
	host->log(NULL, BR_LOG_ERROR,
	          "%s: this concurrency needs about %zu file descriptors but "
	          "RLIMIT_NOFILE is %zu; raise the hard limit (ulimit -Hn, "
	          "limits.conf) or lower concurrency",
	          name, need + BRC_FD_SLACK, *limit);
	return -1;
}

uint64_t brcurl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void brcurl_easy_sockets(CURL *easy, curl_opensocket_callback open_cb,
                         curl_closesocket_callback close_cb, void *data)
{
	curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, open_cb);
	curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, data);
	curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, close_cb);
	curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, data);
}

CURLM *brcurl_multi_new(const struct br_host *host, struct br_run *run,
                        const char *name, curl_socket_callback socket_cb,
                        curl_multi_timer_callback timer_cb, void *data,
                        long maxconnects)
{
	CURLM *multi = curl_multi_init();

	if (!multi) {
		host->log(run, BR_LOG_ERROR, "%s: curl_multi_init failed", name);
		return NULL;
	}
	curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, data);
	curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(multi, CURLMOPT_TIMERDATA, data);
	/* Never close an idle connection for lack of room: libcurl checks
	 * this limit against whichever cache a handle uses (the multi's, or
	 * its slot group's, plugins/slotpool.c), and by default it is 4x the
	 * handles added so far, which closes connections while ramping up. */
	curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, maxconnects);
	return multi;
}

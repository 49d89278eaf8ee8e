/*
 * uvcurl.h - drive a libcurl multi handle with libuv, for the libuv plugin:
 * what plugins/epcurl.h does with epoll, on libuv's loop, as in curl's
 * docs/examples/multi-uv.c (a uv_poll_t per socket, a uv_timer_t for
 * curl's timer).  The plugin only says what happens when a transfer ends.
 */
#ifndef BR_PLUGINS_UVCURL_H
#define BR_PLUGINS_UVCURL_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>
#include <uv.h>
#include <benchrun/plugin.h>

struct uvc_sock;

struct uvc {
	const struct br_host *host;
	struct br_run *run;       /* for log messages                  */
	const char *name;
	uv_loop_t loop;
	uv_timer_t timer;         /* curl's timer                      */
	CURLM *multi;             /* between uvc_multi_open and _close */
	struct uvc_sock **socks;  /* per fd, while the fd is open      */
	size_t nfds;
	bool failed;              /* a socket could not be polled      */

	/* A transfer ended (already removed from the multi). */
	void (*on_done)(struct uvc *c, CURL *easy, CURLcode rc);
};

/* Set up c (fd check for `need` transfers, the loop); on_done is set by
 * the caller.  Returns 0 or -1 (logged). */
int uvc_init(struct uvc *c, const struct br_host *host, const char *name,
             size_t need);
/* Free c; every uv handle of the caller must be closed already. */
void uvc_free(struct uvc *c);

/* Install the socket open/close callbacks on an easy handle. */
void uvc_easy_setup(struct uvc *c, CURL *easy);

/* A fresh multi for one run; close it (and run the loop once to free what
 * it closed) when the run is over. */
int uvc_multi_open(struct uvc *c, struct br_run *run, long maxconnects);
void uvc_multi_close(struct uvc *c);

#endif /* BR_PLUGINS_UVCURL_H */

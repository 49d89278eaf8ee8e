/*
 * brthread.c - the thread attributes and per-thread easy handles of the
 * threads and threadpool strategies (brthread.h).
 */
#include "config.h"

#include "brthread.h"

int brthr_attr_init(pthread_attr_t *attr, const struct br_host *host,
                    const char *name, int64_t stack_size)
{
	pthread_attr_init(attr);
	if (pthread_attr_setstacksize(attr, (size_t)stack_size)) {
		host->log(NULL, BR_LOG_ERROR, "%s: bad stack_size %lld", name,
		          (long long)stack_size);
		return -1;
	}
	/* A guard larger than one page: a frame bigger than the guard
	 * would jump it into another thread's stack.  Address space only. */
	pthread_attr_setguardsize(attr, 64 * 1024);
	return 0;
}

int brthr_handle_open(struct brthr_handle *h, const struct br_host *host,
                      const struct brcurl_opts *o)
{
	if (h->easy)
		return 0;
	h->easy = curl_easy_init();
	if (h->easy && brcurl_easy_setup(&h->xfer, h->easy, host, o) < 0) {
		curl_easy_cleanup(h->easy);
		h->easy = NULL;
	}
	return h->easy ? 0 : -1;
}

void brthr_handle_close(struct brthr_handle *h)
{
	if (h->easy)
		curl_easy_cleanup(h->easy);
	h->easy = NULL;
	brcurl_xfer_release(&h->xfer);
}

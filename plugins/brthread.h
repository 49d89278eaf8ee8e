/*
 * brthread.h - what the thread-per-request and thread-pool strategies
 * (threads, threadpool) share: the attributes of their threads (the
 * `stack_size` parameter and a guard larger than a page) and the easy
 * handle each thread fetches on (brcurl_fetch), made and freed alike.
 *
 * Linked into those plugins as the convenience library
 * plugins/libbrthread.la; nothing here is exported from the plugins.
 */
#ifndef BR_PLUGINS_BRTHREAD_H
#define BR_PLUGINS_BRTHREAD_H

#include <pthread.h>
#include <stdint.h>

#include <curl/curl.h>
#include <benchrun/plugin.h>

#include "brcurl.h"

/* One thread's easy handle (NULL until made) and its transfer. */
struct brthr_handle {
	CURL *easy;
	struct brcurl_xfer xfer;
};

/* Initialise *attr for the plugin `name`'s threads: stack_size bytes of
 * stack and a 64 KiB guard.  -1 (logged) for a stack size the system
 * refuses; *attr is initialised either way (pthread_attr_destroy it). */
int brthr_attr_init(pthread_attr_t *attr, const struct br_host *host,
                    const char *name, int64_t stack_size);

/* Make h's easy handle from the common options, unless it is made
 * already.  -1 when it cannot be (h->easy is then NULL). */
int brthr_handle_open(struct brthr_handle *h, const struct br_host *host,
                      const struct brcurl_opts *o);

/* Free what brthr_handle_open made (a zeroed h is fine). */
void brthr_handle_close(struct brthr_handle *h);

#endif /* BR_PLUGINS_BRTHREAD_H */

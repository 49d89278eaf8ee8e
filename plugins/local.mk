# plugins/local.mk - the strategy plugins, installed into $(plugindir).
# Each is one file that includes only <benchrun/plugin.h> and its own
# libraries; only the descriptor symbol is exported.

# brcurl: the common curl options and glue, linked into each curl plugin.
noinst_LTLIBRARIES += plugins/libbrcurl.la
plugins_libbrcurl_la_SOURCES = plugins/brcurl.c plugins/brcurl.h plugins/brdue.h
plugins_libbrcurl_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
plugins_libbrcurl_la_LIBADD = $(CURL_LIBS)

plugin_LTLIBRARIES += plugins/sync.la
plugins_sync_la_SOURCES = plugins/sync.c
plugins_sync_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
plugins_sync_la_LDFLAGS = $(BR_PLUGIN_LINK)
plugins_sync_la_LIBADD = plugins/libbrcurl.la $(CURL_LIBS)

plugin_LTLIBRARIES += plugins/exec.la
plugins_exec_la_SOURCES = plugins/exec.c plugins/exec_proto.c \
	plugins/exec_proto.h plugins/exec_child.c plugins/exec_child.h
plugins_exec_la_LDFLAGS = $(BR_PLUGIN_LINK)

# brthread: the thread attributes and per-thread easy handles of threads
# and threadpool.
noinst_LTLIBRARIES += plugins/libbrthread.la
plugins_libbrthread_la_SOURCES = plugins/brthread.c plugins/brthread.h
plugins_libbrthread_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)

plugin_LTLIBRARIES += plugins/threads.la
plugins_threads_la_SOURCES = plugins/threads.c
plugins_threads_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
plugins_threads_la_LDFLAGS = $(BR_PLUGIN_LINK)
plugins_threads_la_LIBADD = plugins/libbrthread.la plugins/libbrcurl.la \
	$(CURL_LIBS)

# slotpool: the transfer slots, their handles and connection caches, for
# the event-loop plugins (eventloop, greenlets, libuv).
noinst_LTLIBRARIES += plugins/libslotpool.la
plugins_libslotpool_la_SOURCES = plugins/slotpool.c plugins/slotpool.h
plugins_libslotpool_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)

# epcurl: a libcurl multi handle on epoll, for eventloop and greenlets.
noinst_LTLIBRARIES += plugins/libepcurl.la
plugins_libepcurl_la_SOURCES = plugins/epcurl.c plugins/epcurl.h
plugins_libepcurl_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)

# multiplex: HTTP/2 streams over a few connections (h2c, libnghttp2;
# libcurl parses the URLs).
plugin_LTLIBRARIES += plugins/multiplex.la
plugins_multiplex_la_SOURCES = plugins/multiplex.c plugins/multiplex.h \
	plugins/multiplex_conn.c
plugins_multiplex_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(NGHTTP2_CFLAGS)
plugins_multiplex_la_LDFLAGS = $(BR_PLUGIN_LINK)
plugins_multiplex_la_LIBADD = $(CURL_LIBS) $(NGHTTP2_LIBS)

plugin_LTLIBRARIES += plugins/eventloop.la
plugins_eventloop_la_SOURCES = plugins/eventloop.c
plugins_eventloop_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
plugins_eventloop_la_LDFLAGS = $(BR_PLUGIN_LINK)
plugins_eventloop_la_LIBADD = plugins/libepcurl.la plugins/libslotpool.la \
	plugins/libbrcurl.la $(CURL_LIBS)

plugin_LTLIBRARIES += plugins/threadpool.la
plugins_threadpool_la_SOURCES = plugins/threadpool.c
plugins_threadpool_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
plugins_threadpool_la_LDFLAGS = $(BR_PLUGIN_LINK)
plugins_threadpool_la_LIBADD = plugins/libbrthread.la plugins/libbrcurl.la \
	$(CURL_LIBS)

plugin_LTLIBRARIES += plugins/forkpool.la
plugins_forkpool_la_SOURCES = plugins/forkpool.c \
	plugins/forkpool_wire.c plugins/forkpool_wire.h
plugins_forkpool_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
plugins_forkpool_la_LDFLAGS = $(BR_PLUGIN_LINK)
plugins_forkpool_la_LIBADD = plugins/libbrcurl.la $(CURL_LIBS)

plugin_LTLIBRARIES += plugins/null.la
plugins_null_la_SOURCES = plugins/null.c
plugins_null_la_LDFLAGS = $(BR_PLUGIN_LINK)

plugin_LTLIBRARIES += plugins/greenlets.la
plugins_greenlets_la_SOURCES = plugins/greenlets.c
plugins_greenlets_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
plugins_greenlets_la_LDFLAGS = $(BR_PLUGIN_LINK)
plugins_greenlets_la_LIBADD = plugins/libepcurl.la plugins/libslotpool.la \
	plugins/libbrcurl.la $(CURL_LIBS)

plugin_LTLIBRARIES += plugins/libuv.la
plugins_libuv_la_SOURCES = plugins/libuv.c plugins/uvcurl.c plugins/uvcurl.h
plugins_libuv_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(UV_CFLAGS)
plugins_libuv_la_LDFLAGS = $(BR_PLUGIN_LINK)
plugins_libuv_la_LIBADD = plugins/libslotpool.la plugins/libbrcurl.la \
	$(CURL_LIBS) $(UV_LIBS)

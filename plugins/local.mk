# plugins/local.mk - the strategy plugins, installed into $(plugindir).
# Each is one file that includes only <benchrun/plugin.h> and its own
# libraries; only the descriptor symbol is exported.

# brcurl: the common curl options and glue, linked into each curl plugin.
noinst_LTLIBRARIES += plugins/libbrcurl.la
plugins_libbrcurl_la_SOURCES = plugins/brcurl.c plugins/brcurl.h
plugins_libbrcurl_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
plugins_libbrcurl_la_LIBADD = $(CURL_LIBS)

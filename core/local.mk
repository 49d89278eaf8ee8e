# core/local.mk - the benchrun binary and the core library the tests share.
# Each subsystem folder adds its sources (core/README.md maps them).

noinst_LTLIBRARIES += core/libbrcore.la
core_libbrcore_la_SOURCES = \
	core/util.c core/util_parse.c core/util_file.c core/util.h \
	core/util_text.c
include %reldir%/scenario/local.mk
include %reldir%/workload/local.mk
include %reldir%/results/local.mk
include %reldir%/report/local.mk
include %reldir%/server/local.mk
include %reldir%/run/local.mk
include %reldir%/cli/local.mk
core_libbrcore_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(YAML_CFLAGS) \
	$(CJSON_CFLAGS) $(MHD_CFLAGS) $(NGHTTP2_CFLAGS)
core_libbrcore_la_LIBADD = $(CURL_LIBS) $(YAML_LIBS) $(CJSON_LIBS) $(MHD_LIBS) \
	$(NGHTTP2_LIBS)
# Ticket JSON (core/workload/ticket_json.cc) is the one C++ file: simdjson.
# Whatever links the core links with the C++ driver (for its runtime):
# automake picks it when a program has a C++ source, hence the dummy.
core_libbrcore_la_CXXFLAGS = $(AM_CXXFLAGS) $(SIMDJSON_CFLAGS)
core_libbrcore_la_LIBADD += $(SIMDJSON_LIBS)

bin_PROGRAMS += benchrun
benchrun_SOURCES = core/cli/main.c
benchrun_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(YAML_CFLAGS)
benchrun_LDADD = core/libbrcore.la
# Plugins' threads start through the worker's pthread_create, which gives
# each an alternate signal stack (core/run/worker_guard.c).
benchrun_LDFLAGS = -Wl,--export-dynamic-symbol=pthread_create
nodist_EXTRA_benchrun_SOURCES = core/cxx-link.cxx

# The one public header, installed as <benchrun/plugin.h>.
benchrunincludedir = $(includedir)/benchrun
benchruninclude_HEADERS = core/benchrun/plugin.h

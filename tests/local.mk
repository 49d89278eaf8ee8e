# tests/local.mk - one Check runner (tests/check_benchrun) with a suite per
# area, plus fixture plugins built only for the tests.

TESTS += tests/check_benchrun
check_PROGRAMS += tests/check_benchrun
tests_check_benchrun_SOURCES = \
	tests/check_main.c tests/suites.h \
	tests/check_util.c \
	tests/check_stats.c
tests_check_benchrun_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CURL_CFLAGS) \
	$(YAML_CFLAGS) $(CJSON_CFLAGS) $(MHD_CFLAGS)
tests_check_benchrun_LDADD = core/libbrcore.la $(CHECK_LIBS)

# Tests find the build and source trees through the environment.
AM_TESTS_ENVIRONMENT = \
	BR_TEST_BUILDDIR='$(abs_top_builddir)'; export BR_TEST_BUILDDIR; \
	BR_TEST_SRCDIR='$(abs_top_srcdir)'; export BR_TEST_SRCDIR;

# Fixture plugins: built for `make check` only, never installed.
BR_FIXTURE_LINK = -module -avoid-version -shared -rpath /nowhere \
	$(BR_SAN_CFLAGS)

EXTRA_DIST += tests/data

# tests/local.mk - one Check runner (tests/check_benchrun) with a suite per
# area, plus fixture plugins built only for the tests.

TESTS += tests/check_benchrun
# Its suites in two halves side by side: check_benchrun runs part 1 under
# make check (BR_TEST_PART below), this script part 2 (tests/check_main.c).
TESTS += tests/check_part2.sh
EXTRA_DIST += tests/check_part2.sh
# Install into a temporary DESTDIR, build examples/hello-plugin against it.
TESTS += tests/outoftree.sh
EXTRA_DIST += tests/outoftree.sh
# Every scenario in configs/ validates and runs shortened (20 days).
TESTS += tests/configs.sh
EXTRA_DIST += tests/configs.sh
# HTML reports in headless Chromium (skips when it is not installed).
TESTS += tests/browser.sh
EXTRA_DIST += tests/browser.sh tests/browser_check.py tests/cluster.sh
# An installed copy runs its own library and checks every plugin.
TESTS += tests/installed.sh
EXTRA_DIST += tests/installed.sh
# The README against the program (its scenario, commands, exit codes).
TESTS += tests/readme.sh
EXTRA_DIST += tests/readme.sh
# core/ includes run down the flow (core/README.md).
TESTS += tests/layers.sh
EXTRA_DIST += tests/layers.sh core/README.md
# Without clang the fuzz job fails (or skips when asked), never "ok".
TESTS += tests/fuzz-noclang.sh
EXTRA_DIST += tests/fuzz-noclang.sh
check_PROGRAMS += tests/check_benchrun
tests_check_benchrun_SOURCES = \
	tests/check_main.c tests/suites.h \
	tests/check_server.c tests/srvclient.c tests/srvclient.h \
	tests/check_report.c \
	tests/check_scenario.c \
	tests/check_tickets.c tests/check_model.c tests/check_export.c \
	tests/check_util.c tests/testutil.c tests/hostile_server.c tests/hostile_server.h tests/check_hostile.c tests/check_exec.c \
	tests/check_loader.c tests/check_params.c tests/check_plan.c \
	tests/check_stats.c tests/check_histogram.c tests/check_runner.c \
	tests/check_conformance.c tests/check_forkpool.c \
	tests/check_server_model.c tests/check_override.c \
	tests/check_yamltree.c tests/check_results.c \
	tests/results_fixture.c tests/results_fixture.h \
	tests/check_runctx.c tests/check_cli.c
# Plugins built against other ABI versions (issue 10).
tests_check_benchrun_SOURCES += tests/check_abi.c
# The HTML report (issue 19).
tests_check_benchrun_SOURCES += tests/check_html.c
tests_check_benchrun_SOURCES += tests/check_verdicts.c
tests_check_benchrun_SOURCES += tests/check_compare.c tests/check_runloop.c
# Hostile input: no code run, no file clobbered (issue 11).
tests_check_benchrun_SOURCES += tests/check_security.c
tests_check_benchrun_SOURCES += tests/check_security_files.c
tests_check_benchrun_SOURCES += tests/check_security_text.c
tests_check_benchrun_SOURCES += tests/check_security_input.c
tests_check_benchrun_SOURCES += tests/check_security_serve.c
# Cells and merge (issue 17).
tests_check_benchrun_SOURCES += tests/check_merge.c tests/check_cells.c
# HTTP/2 beside HTTP/1.1, the multiplex strategy (issue 18).
tests_check_benchrun_SOURCES += tests/check_h2.c tests/check_programs.c
# Full JSON validation of ticket bodies (issue 14).
tests_check_benchrun_SOURCES += tests/check_validate.c tests/check_proc.c \
	tests/check_timeline.c
# The open model: schedule, scenario, metrics, plugins (issue 16).
tests_check_benchrun_SOURCES += tests/check_openload.c
tests_check_benchrun_SOURCES += tests/check_openload_runs.c
# The journal: a run appended, not the results file rewritten (issue 14).
tests_check_benchrun_SOURCES += tests/check_journal.c tests/check_journal_files.c
# The curl plugins' transfers: receive buffer, connection lifetime (issue 14).
tests_check_benchrun_SOURCES += tests/check_transfers.c
tests_check_benchrun_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CURL_CFLAGS) \
	$(YAML_CFLAGS) $(CJSON_CFLAGS) $(MHD_CFLAGS)
tests_check_benchrun_LDADD = core/libbrcore.la $(CHECK_LIBS)
# check_security_serve.c speaks h2c itself (libnghttp2's client).
tests_check_benchrun_CFLAGS += $(NGHTTP2_CFLAGS)
tests_check_benchrun_LDADD += $(NGHTTP2_LIBS)
# The core has a C++ file (core/local.mk): link with the C++ driver.
nodist_EXTRA_tests_check_benchrun_SOURCES = core/cxx-link.cxx

# Tests find the build and source trees through the environment.
AM_TESTS_ENVIRONMENT = \
	BR_TEST_BUILDDIR='$(abs_top_builddir)'; export BR_TEST_BUILDDIR; \
	BR_TEST_SRCDIR='$(abs_top_srcdir)'; export BR_TEST_SRCDIR; \
	BR_TEST_PART=1; export BR_TEST_PART;

# Fixture plugins: built for `make check` only, never installed.
BR_FIXTURE_LINK = -module -avoid-version -shared -rpath /nowhere \
	$(BR_SAN_CFLAGS)

# Loader fixtures: broken in one way each (tests/check_loader.c asserts the
# loader's message for every one), plus params_demo with one parameter of
# every type.
check_LTLIBRARIES += tests/plugins/broken_abi.la tests/plugins/broken_magic.la \
	tests/plugins/missing_symbol.la tests/plugins/missing_hook.la \
	tests/plugins/create_fails.la tests/plugins/unresolved.la \
	tests/plugins/bad_type.la tests/plugins/bad_dup.la \
	tests/plugins/bad_offset.la tests/plugins/params_demo.la \
	tests/plugins/broken_size.la tests/plugins/bad_default.la
tests_plugins_broken_abi_la_SOURCES = tests/plugins/broken_abi.c \
	tests/plugins/fixture_hooks.h
tests_plugins_broken_abi_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_broken_size_la_SOURCES = tests/plugins/broken_abi.c
tests_plugins_broken_size_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_SIZE
tests_plugins_broken_size_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_broken_magic_la_SOURCES = tests/plugins/broken_magic.c
tests_plugins_broken_magic_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_missing_symbol_la_SOURCES = tests/plugins/missing_symbol.c
tests_plugins_missing_symbol_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_missing_hook_la_SOURCES = tests/plugins/missing_hook.c
tests_plugins_missing_hook_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_create_fails_la_SOURCES = tests/plugins/create_fails.c
tests_plugins_create_fails_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_unresolved_la_SOURCES = tests/plugins/unresolved.c
tests_plugins_unresolved_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_bad_type_la_SOURCES = tests/plugins/bad_params.c
tests_plugins_bad_type_la_CPPFLAGS = $(AM_CPPFLAGS) -DBAD_TYPE
tests_plugins_bad_type_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_bad_dup_la_SOURCES = tests/plugins/bad_params.c
tests_plugins_bad_dup_la_CPPFLAGS = $(AM_CPPFLAGS) -DBAD_DUP
tests_plugins_bad_dup_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_bad_offset_la_SOURCES = tests/plugins/bad_params.c
tests_plugins_bad_offset_la_CPPFLAGS = $(AM_CPPFLAGS) -DBAD_OFFSET
tests_plugins_bad_offset_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_bad_default_la_SOURCES = tests/plugins/bad_params.c
tests_plugins_bad_default_la_CPPFLAGS = $(AM_CPPFLAGS) -DBAD_DEFAULT
tests_plugins_bad_default_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_params_demo_la_SOURCES = tests/plugins/params_demo.c
tests_plugins_params_demo_la_LDFLAGS = $(BR_FIXTURE_LINK)

EXTRA_DIST += tests/data

# Calibration fixtures for tests/check_runner.c: each does one thing of
# known cost (or ends badly in one known way).
check_LTLIBRARIES += tests/plugins/calib_alloc.la \
	tests/plugins/calib_sleep.la tests/plugins/calib_cpu.la \
	tests/plugins/calib_children.la tests/plugins/calib_wrong.la \
	tests/plugins/calib_fetch.la tests/plugins/calib_crash.la \
	tests/plugins/calib_abort.la tests/plugins/calib_hang.la \
	tests/plugins/calib_exit0.la tests/plugins/calib_orphan.la \
	tests/plugins/calib_escape.la
tests_plugins_calib_alloc_la_SOURCES = tests/plugins/calib_alloc.c tests/plugins/calib.h
tests_plugins_calib_alloc_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_calib_sleep_la_SOURCES = tests/plugins/calib_sleep.c
tests_plugins_calib_sleep_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_calib_cpu_la_SOURCES = tests/plugins/calib_cpu.c
tests_plugins_calib_cpu_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_calib_children_la_SOURCES = tests/plugins/calib_children.c
tests_plugins_calib_children_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_calib_wrong_la_SOURCES = tests/plugins/calib_wrong.c
tests_plugins_calib_wrong_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_calib_fetch_la_SOURCES = tests/plugins/calib_fetch.c
tests_plugins_calib_fetch_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
tests_plugins_calib_fetch_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_calib_fetch_la_LIBADD = $(CURL_LIBS)
tests_plugins_calib_crash_la_SOURCES = tests/plugins/calib_fail.c
tests_plugins_calib_crash_la_CPPFLAGS = $(AM_CPPFLAGS) -DCALIB_CRASH -DCALIB_NAME='"calib_crash"'
tests_plugins_calib_crash_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_calib_abort_la_SOURCES = tests/plugins/calib_fail.c
tests_plugins_calib_abort_la_CPPFLAGS = $(AM_CPPFLAGS) -DCALIB_ABORT -DCALIB_NAME='"calib_abort"'
tests_plugins_calib_abort_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_calib_hang_la_SOURCES = tests/plugins/calib_fail.c
tests_plugins_calib_hang_la_CPPFLAGS = $(AM_CPPFLAGS) -DCALIB_HANG -DCALIB_NAME='"calib_hang"'
tests_plugins_calib_hang_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_calib_exit0_la_SOURCES = tests/plugins/calib_fail.c
tests_plugins_calib_exit0_la_CPPFLAGS = $(AM_CPPFLAGS) -DCALIB_EXIT0 -DCALIB_NAME='"calib_exit0"'
tests_plugins_calib_exit0_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_calib_orphan_la_SOURCES = tests/plugins/calib_fail.c
tests_plugins_calib_orphan_la_CPPFLAGS = $(AM_CPPFLAGS) -DCALIB_ORPHAN -DCALIB_NAME='"calib_orphan"'
tests_plugins_calib_orphan_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_calib_escape_la_SOURCES = tests/plugins/calib_fail.c
tests_plugins_calib_escape_la_CPPFLAGS = $(AM_CPPFLAGS) -DCALIB_ESCAPE -DCALIB_NAME='"calib_escape"'
tests_plugins_calib_escape_la_LDFLAGS = $(BR_FIXTURE_LINK)
check_LTLIBRARIES += tests/plugins/calib_noisy.la
tests_plugins_calib_noisy_la_SOURCES = tests/plugins/calib_fail.c
tests_plugins_calib_noisy_la_CPPFLAGS = $(AM_CPPFLAGS) -DCALIB_NOISY -DCALIB_NAME='"calib_noisy"'
tests_plugins_calib_noisy_la_LDFLAGS = $(BR_FIXTURE_LINK)

include %reldir%/robust.mk
EXTRA_DIST += tests/robust.mk

# Memory calibration (issue 12): its own program, run after every other
# test so that no parallel job competes with it (tests/check_memory.c).
TESTS += tests/check_memory
check_PROGRAMS += tests/check_memory
tests_check_memory_SOURCES = tests/check_memory.c
tests_check_memory_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CJSON_CFLAGS)
tests_check_memory_LDADD = core/libbrcore.la $(CHECK_LIBS)
# libbrcore holds one C++ file (simdjson): link with the C++ driver.
nodist_EXTRA_tests_check_memory_SOURCES = core/cxx-link.cxx
# (a prerequisite only; through a variable, so automake keeps its rule)
BR_MEMORY_LOG = tests/check_memory.log
$(BR_MEMORY_LOG): tests/check_benchrun.log tests/check_part2.sh.log \
	tests/outoftree.sh.log \
	tests/installed.sh.log tests/readme.sh.log \
	tests/configs.sh.log tests/layers.sh.log tests/browser.sh.log
check_LTLIBRARIES += tests/plugins/calib_tree.la
tests_plugins_calib_tree_la_SOURCES = tests/plugins/calib_tree.c
tests_plugins_calib_tree_la_LDFLAGS = $(BR_FIXTURE_LINK)

# ABI fixtures for tests/check_abi.c: the same parameters laid out as ABI
# 1.0, 1.1 and a later 1.x would build them, and a bad stride.
check_LTLIBRARIES += tests/plugins/abi_1_0.la tests/plugins/abi_1_1.la \
	tests/plugins/abi_ext.la tests/plugins/abi_newer.la \
	tests/plugins/abi_bad_stride.la
BR_ABI_FIXTURE = tests/plugins/abi_versions.c tests/plugins/abi_opts.h
tests_plugins_abi_1_0_la_SOURCES = $(BR_ABI_FIXTURE)
tests_plugins_abi_1_0_la_CPPFLAGS = $(AM_CPPFLAGS) -DABI_1_0
tests_plugins_abi_1_0_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_abi_1_1_la_SOURCES = $(BR_ABI_FIXTURE)
tests_plugins_abi_1_1_la_CPPFLAGS = $(AM_CPPFLAGS) -DABI_1_1
tests_plugins_abi_1_1_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_abi_ext_la_SOURCES = $(BR_ABI_FIXTURE)
tests_plugins_abi_ext_la_CPPFLAGS = $(AM_CPPFLAGS) -DABI_EXT
tests_plugins_abi_ext_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_abi_newer_la_SOURCES = $(BR_ABI_FIXTURE)
tests_plugins_abi_newer_la_CPPFLAGS = $(AM_CPPFLAGS) -DABI_NEWER
tests_plugins_abi_newer_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_abi_bad_stride_la_SOURCES = $(BR_ABI_FIXTURE)
tests_plugins_abi_bad_stride_la_CPPFLAGS = $(AM_CPPFLAGS) -DABI_BAD_STRIDE
tests_plugins_abi_bad_stride_la_LDFLAGS = $(BR_FIXTURE_LINK)
# The newcomer's path (issue 15).
tests_check_benchrun_SOURCES += tests/check_newcomer.c \
	tests/check_newcomer_report.c
# The fast results reader: simdjson, timelines packed (issue 14).
tests_check_benchrun_SOURCES += tests/check_results_doc.c

# tests/robust.mk - fixtures of tests/check_robust*.c: plugins that break
# the contract in one way each (tests/plugins/robust.c, one flag each).
# The constructor fixtures live in their own directory: a test that lists
# tests/plugins/.libs must not wait for the one that hangs.

check_LTLIBRARIES += tests/plugins/robust_overlap.la \
	tests/plugins/ctor/robust_ctor_crash.la tests/plugins/ctor/robust_ctor_exit.la \
	tests/plugins/ctor/robust_ctor_hang.la tests/plugins/robust_bad_index.la \
	tests/plugins/robust_late.la tests/plugins/robust_huge_body.la \
	tests/plugins/robust_recurse.la tests/plugins/robust_oom.la \
	tests/plugins/robust_thread_recurse.la
tests_check_benchrun_SOURCES += tests/check_robust.c \
	tests/strategies.c tests/strategies.h
tests_check_benchrun_SOURCES += tests/check_robust_stack.c \
	tests/check_robust_cli.c tests/robust_util.c tests/robust_util.h
tests_plugins_robust_overlap_la_SOURCES = tests/plugins/robust.c
tests_plugins_robust_overlap_la_CPPFLAGS = $(AM_CPPFLAGS) -DROBUST_OVERLAP -DROBUST_NAME='"robust_overlap"'
tests_plugins_robust_overlap_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_ctor_robust_ctor_crash_la_SOURCES = tests/plugins/robust.c
tests_plugins_ctor_robust_ctor_crash_la_CPPFLAGS = $(AM_CPPFLAGS) -DROBUST_CTOR_CRASH -DROBUST_NAME='"robust_ctor_crash"'
tests_plugins_ctor_robust_ctor_crash_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_ctor_robust_ctor_exit_la_SOURCES = tests/plugins/robust.c
tests_plugins_ctor_robust_ctor_exit_la_CPPFLAGS = $(AM_CPPFLAGS) -DROBUST_CTOR_EXIT -DROBUST_NAME='"robust_ctor_exit"'
tests_plugins_ctor_robust_ctor_exit_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_ctor_robust_ctor_hang_la_SOURCES = tests/plugins/robust.c
tests_plugins_ctor_robust_ctor_hang_la_CPPFLAGS = $(AM_CPPFLAGS) -DROBUST_CTOR_HANG -DROBUST_NAME='"robust_ctor_hang"'
tests_plugins_ctor_robust_ctor_hang_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_robust_bad_index_la_SOURCES = tests/plugins/robust.c
tests_plugins_robust_bad_index_la_CPPFLAGS = $(AM_CPPFLAGS) -DROBUST_BAD_INDEX -DROBUST_NAME='"robust_bad_index"'
tests_plugins_robust_bad_index_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_robust_late_la_SOURCES = tests/plugins/robust.c
tests_plugins_robust_late_la_CPPFLAGS = $(AM_CPPFLAGS) -DROBUST_LATE -DROBUST_NAME='"robust_late"'
tests_plugins_robust_late_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_robust_huge_body_la_SOURCES = tests/plugins/robust.c
tests_plugins_robust_huge_body_la_CPPFLAGS = $(AM_CPPFLAGS) -DROBUST_HUGE_BODY -DROBUST_NAME='"robust_huge_body"'
tests_plugins_robust_huge_body_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_robust_recurse_la_SOURCES = tests/plugins/robust.c
tests_plugins_robust_recurse_la_CPPFLAGS = $(AM_CPPFLAGS) -DROBUST_RECURSE -DROBUST_NAME='"robust_recurse"'
tests_plugins_robust_recurse_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_robust_thread_recurse_la_SOURCES = tests/plugins/robust.c
tests_plugins_robust_thread_recurse_la_CPPFLAGS = $(AM_CPPFLAGS) -DROBUST_THREAD_RECURSE -DROBUST_NAME='"robust_thread_recurse"'
tests_plugins_robust_thread_recurse_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_plugins_robust_thread_recurse_la_LIBADD = -lpthread
tests_plugins_robust_oom_la_SOURCES = tests/plugins/robust.c
tests_plugins_robust_oom_la_CPPFLAGS = $(AM_CPPFLAGS) -DROBUST_OOM -DROBUST_NAME='"robust_oom"'
tests_plugins_robust_oom_la_LDFLAGS = $(BR_FIXTURE_LINK)

# The exec strategy against programs that break its protocol.
tests_check_benchrun_SOURCES += tests/check_exec_hostile.c
# An LD_PRELOAD shim that makes curl_multi_add_handle fail in workers
# (tests/check_robust_cli.c: libuv's last slot failing to start).
check_LTLIBRARIES += tests/preload/fail_add.la
tests_preload_fail_add_la_SOURCES = tests/preload/fail_add.c
tests_preload_fail_add_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS)
tests_preload_fail_add_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_preload_fail_add_la_LIBADD = -ldl
# An LD_PRELOAD shim that logs fsync and rename below a directory
# (tests/check_security_files.c: the atomic write's O_CLOEXEC and the
# directory's fsync after the rename).
check_LTLIBRARIES += tests/preload/syncwatch.la
tests_preload_syncwatch_la_SOURCES = tests/preload/syncwatch.c
tests_preload_syncwatch_la_LDFLAGS = $(BR_FIXTURE_LINK)
tests_preload_syncwatch_la_LIBADD = -ldl

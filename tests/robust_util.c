/*
 * robust_util.c - the fixtures of the robust suites: where the built
 * contract-breaking plugins are, and one run of one of them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "robust_util.h"
#include "workload/tickets.h"
#include "suites.h"
#include "util.h"

char *brc_test_robust_fixture(const char *name)
{
	/* The constructor fixtures have a directory of their own. */
	char *rel = brc_xasprintf("tests/plugins/%s.libs/%s.so",
	                         strstr(name, "_ctor_") ? "ctor/" : "", name);
	char *path = brc_test_builddir(rel);

	free(rel);
	return path;
}

void brc_test_robust_run(const char *name, int64_t days,
                         struct brc_run_result *out)
{
	struct brc_workload w = brc_test_workload(days);
	char *plugin = brc_test_robust_fixture(name);
	char *exe = brc_test_builddir("benchrun");
	struct brc_runner_job job = {
		.exe = exe, .plugin_path = plugin, .w = &w,
		.url_template = "{base}/tickets/{route}/{date}",
		.base = "http://127.0.0.1:9", .concurrency = 1,
		.timeout = 60, .sample_interval = 0.05,
	};

	brc_runner_run(&job, out);
	free(plugin);
	free(exe);
}

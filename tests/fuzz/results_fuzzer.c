/*
 * results_fuzzer.c - libFuzzer target over the results reader: a results
 * file is input from anywhere (`compare`, `plot`, `report`, `merge` read
 * files people send each other).  Whatever the bytes, the reader returns 0
 * or -1 with a reason, never crashes or leaks; what it accepts must print
 * as a table, and every string it hands on must be clean text
 * (brc_sanitize: no control characters, well-formed UTF-8).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "report/report.h"
#include "results/results.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must_be_clean(const char *s)
{
	if (s && !brc_is_clean(s, BRC_TEXT_KEEP_NL | BRC_TEXT_KEEP_TAB))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The reader takes a path: a memfd gives one without touching the
	 * disk (it is a regular file, as the reader requires). */
	static int fd = -1;
	static char path[64];
	struct brc_results r;
	char *err = NULL, *out = NULL;
	size_t out_len = 0;
	FILE *f;

	if (fd < 0) {
		fd = memfd_create("results", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	brc_verbosity = -1;
	if (brc_results_json_read(path, &r, &err)) {
		free(err);
		return 0;
	}
	must_be_clean(r.scenario_name);
	must_be_clean(r.server_desc);
	for (size_t i = 0; i < r.n_groups; i++) {
		must_be_clean(r.groups[i].label);
		must_be_clean(r.groups[i].point);
		for (size_t k = 0; k < r.groups[i].n_runs; k++)
			must_be_clean(r.groups[i].runs[k].reason);
	}
	f = open_memstream(&out, &out_len);
	if (f) {
		brc_report_table(f, &r, false);
		fclose(f);
	}
	free(out);
	brc_results_free(&r);
	return 0;
}

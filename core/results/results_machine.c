/*
 * results_machine.c - how busy the machine is when a scenario starts, for
 * the metadata and as warnings (like pyperf's system checks): the load
 * average, the CPUs busy over a short sample, the other runnable threads,
 * and the CPU frequency governor and turbo boost where Linux exposes
 * them.  `benchrun --strict` turns the warnings into an error.
 *
 * Everything is read from /proc and /sys; what cannot be read (a
 * container without cpufreq, another OS) stays unknown, never guessed.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "results/results.h"
#include "util.h"

/* Busier than this share of the cores (load or CPU use): warn. */
#define BUSY_SHARE 0.25

static char *first_line(const char *path)
{
	size_t len;
	char *s = brc_read_file(path, 4096, &len);

	if (s)
		s[strcspn(s, "\n")] = '\0';
	return s;
}

/* Total and idle jiffies over all CPUs ("cpu ..." in /proc/stat), and
 * procs_running. */
static int read_stat(double *total, double *idle, int *running)
{
	FILE *f = fopen("/proc/stat", "r");
	char line[512];
	int got = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[8] = { 0 };

		if (!strncmp(line, "cpu ", 4) &&
		    sscanf(line + 4, "%llu %llu %llu %llu %llu %llu %llu %llu",
		           &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
		           &v[7]) >= 4) {
			*total = 0;
			for (int i = 0; i < 8; i++)
				*total += (double)v[i];
			*idle = (double)(v[3] + v[4]); /* idle + iowait */
			got |= 1;
		} else if (sscanf(line, "procs_running %d", running) == 1) {
			got |= 2;
		}
	}
	fclose(f);
	return got == 3 ? 0 : -1;
}

static int boost_state(void)
{
	char *s = first_line("/sys/devices/system/cpu/cpufreq/boost");
	int b = -1;

	if (s) {
		b = atoi(s) != 0;
	} else if ((s = first_line("/sys/devices/system/cpu/intel_pstate/"
	                           "no_turbo"))) {
		b = atoi(s) == 0;
	}
	free(s);
	return b;
}

void brc_machine_probe(struct brc_machine_state *st)
{
	double t0, i0, t1, i1;
	int r0, r1;
	char *s;

	st->load1 = NAN;
	st->busy_cpus = NAN;
	st->runnable = -1;
	st->governor = first_line("/sys/devices/system/cpu/cpu0/cpufreq/"
	                          "scaling_governor");
	st->boost = boost_state();
	s = first_line("/proc/loadavg");
	if (s)
		st->load1 = strtod(s, NULL);
	free(s);
	if (read_stat(&t0, &i0, &r0))
		return;
	/* 0.2 s: long enough to see a busy core (20 jiffies at 100 Hz). */
	nanosleep(&(struct timespec){ 0, 200000000 }, NULL);
	if (read_stat(&t1, &i1, &r1) || t1 <= t0)
		return;
	st->busy_cpus = (double)sysconf(_SC_NPROCESSORS_ONLN) *
	                (1 - (i1 - i0) / (t1 - t0));
	/* procs_running counts benchrun itself. */
	st->runnable = (r0 < r1 ? r0 : r1) - 1;
	if (st->runnable < 0)
		st->runnable = 0;
}

static void add(struct brc_buf *b, size_t *n, const char *text)
{
	brc_buf_printf(b, "%s\n", text);
	(*n)++;
}

size_t brc_machine_warnings(const struct brc_machine_state *st, int cores,
                           char **out)
{
	struct brc_buf b = { 0 };
	double limit = BUSY_SHARE * (cores > 0 ? cores : 1);
	char line[256];
	size_t n = 0;

	if (st->load1 > limit) {
		snprintf(line, sizeof(line), "the load average is %.2f on %d "
		         "core%s: other work will add noise", st->load1, cores,
		         cores == 1 ? "" : "s");
		add(&b, &n, line);
	}
	if (st->busy_cpus > limit) {
		snprintf(line, sizeof(line), "%.1f of %d CPUs were busy before "
		         "the first run", st->busy_cpus, cores);
		add(&b, &n, line);
	}
	if (st->runnable > 0) {
		snprintf(line, sizeof(line), "%d other runnable thread%s at "
		         "start", st->runnable, st->runnable == 1 ? "" : "s");
		add(&b, &n, line);
	}
	if (st->governor && strcmp(st->governor, "performance")) {
		snprintf(line, sizeof(line), "CPU frequency governor '%s' (not "
		         "'performance'): the clock may change during runs",
		         st->governor);
		add(&b, &n, line);
	}
	if (st->boost == 1)
		add(&b, &n, "turbo boost is on: the clock depends on temperature "
		    "and load");
	*out = b.data;
	return n;
}

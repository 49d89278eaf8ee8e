/*
 * cli_progress.c - where a long scenario is: on a terminal a live line
 * ("[ 3/12] threads concurrency=10 run 2/3  ETA 1m05s") redrawn every
 * second; anywhere else (a CI log, a pipe) a status line every 15 s, like
 * fio's --status-interval, so a log never stays silent for minutes.
 * --progress=auto|always|never chooses (cli.h).
 *
 * A thread does the periodic part.  It starts after the embedded server is
 * forked, and the only fork after that (the worker) execs at once, so no
 * child inherits a lock it holds.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util.h"

#define STATUS_INTERVAL 15.0 /* seconds between lines off a terminal */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool on, tty, stop, drawn;
	size_t done, total;
	char what[256];
	uint64_t t0;
	double interval;
} pg = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void fmt_time(char *buf, size_t n, double s)
{
	int t = (int)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, n, "%dh%02dm", t / 3600, t / 60 % 60);
	else
		snprintf(buf, n, "%dm%02ds", t / 60, t % 60);
}

/* Draw (tty) or print (log) the current state; lock held. */
static void show(void)
{
	double elapsed = (double)(brc_now_ns() - pg.t0) / 1e9;
	char e[32], eta[48] = "";

	if (!pg.what[0])
		return;
	if (pg.done > 0) {
		fmt_time(e, sizeof(e), elapsed / (double)pg.done *
		                       (double)(pg.total - pg.done));
		snprintf(eta, sizeof(eta), "  ETA %s", e);
	}
	fmt_time(e, sizeof(e), elapsed);
	if (pg.tty) {
		fprintf(stderr, "\r\033[K[%*zu/%zu] %s  %s%s",
		        pg.total >= 100 ? 3 : 2, pg.done + 1, pg.total, pg.what,
		        e, eta);
		pg.drawn = true;
	} else {
		fprintf(stderr, "status: [%zu/%zu] %s, %s elapsed%s\n",
		        pg.done + 1, pg.total, pg.what, e, eta);
	}
	fflush(stderr);
}

static void *ticker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pg.lock);
	while (!pg.stop) {
		struct timespec ts;
		double secs = pg.tty ? 1.0 : pg.interval;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += (time_t)secs;
		ts.tv_nsec += (long)((secs - (double)(time_t)secs) * 1e9);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&pg.wake, &pg.lock, &ts) != 0 &&
		    !pg.stop)
			show();
	}
	pthread_mutex_unlock(&pg.lock);
	return NULL;
}

void brc_progress_begin(int mode)
{
	pthread_condattr_t ca;
	const char *iv = getenv("BENCHRUN_PROGRESS_INTERVAL");

	pg.on = mode == BRC_PROGRESS_ALWAYS ||
	        (mode == BRC_PROGRESS_AUTO && brc_verbosity >= 0);
	if (!pg.on)
		return;
	pg.tty = isatty(STDERR_FILENO);
	pg.total = 0;
	pg.done = 0;
	pg.what[0] = '\0';
	pg.stop = false;
	pg.t0 = brc_now_ns();
	pg.interval = iv && atof(iv) > 0 ? atof(iv) : STATUS_INTERVAL;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&pg.wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&pg.thread, NULL, ticker, NULL)) {
		pthread_cond_destroy(&pg.wake);
		pg.on = false;
	}
}

void brc_progress_step(size_t done, size_t total, const char *label,
                       const char *point, const char *what)
{
	if (!pg.on)
		return;
	pthread_mutex_lock(&pg.lock);
	pg.done = done;
	pg.total = total > done ? total : done + 1;
	snprintf(pg.what, sizeof(pg.what), "%s%s%s %s", label,
	         *point ? " " : "", point, what);
	if (pg.tty)
		show();
	pthread_mutex_unlock(&pg.lock);
}

void brc_progress_clear(void)
{
	if (!pg.on)
		return;
	pthread_mutex_lock(&pg.lock);
	if (pg.tty && pg.drawn)
		fputs("\r\033[K", stderr);
	pg.drawn = false;
	pthread_mutex_unlock(&pg.lock);
}

void brc_progress_end(void)
{
	if (!pg.on)
		return;
	pthread_mutex_lock(&pg.lock);
	pg.stop = true;
	pthread_cond_signal(&pg.wake);
	pthread_mutex_unlock(&pg.lock);
	pthread_join(pg.thread, NULL);
	pthread_cond_destroy(&pg.wake);
	brc_progress_clear();
	pg.on = false;
}

#define REASON_LINES 3

/* Print up to REASON_LINES lines of text starting with `prefix` (first
 * ones) or not (last ones, where a traceback ends). */
static void show_lines(const char *log, bool requests)
{
	const char *lines[64];
	size_t n = 0, first, total = 0;

	for (const char *p = log; *p && n < BR_ARRAY_SIZE(lines);) {
		const char *nl = strchr(p, '\n');
		bool req = !strncmp(p, "request ", 8);

		if (nl != p && req == requests && strncmp(p, "warning: ", 9))
			lines[n++] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
	for (size_t i = 0; i < n; i++)
		total += lines[i] != NULL;
	first = requests || n <= REASON_LINES ? 0 : n - REASON_LINES;
	for (size_t i = first; i < n && i < first + REASON_LINES; i++) {
		const char *nl = strchr(lines[i], '\n');
		int len = nl ? (int)(nl - lines[i]) : (int)strlen(lines[i]);

		fprintf(stderr, "    %.*s\n", len > 200 ? 200 : len, lines[i]);
	}
	if (requests && total > REASON_LINES)
		fprintf(stderr, "    (%zu more in the results' log)\n",
		        total - REASON_LINES);
}

void brc_show_reasons(const char *log)
{
	if (!log || !*log || brc_verbosity < 0 || brc_verbosity > 0)
		return;
	brc_progress_clear();
	show_lines(log, true);
	show_lines(log, false);
	fflush(stderr);
}

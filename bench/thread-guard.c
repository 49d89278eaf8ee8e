/*
 * bench/thread-guard.c - what the worker's stack-overflow guard adds to
 * creating a thread (core/run/worker_guard.c: every thread starts through
 * a trampoline that installs a recycled alternate signal stack): N threads
 * created and joined one after another, as the `threads` strategy does per
 * request, without the guard and with it, alternating, 9 rounds each (each
 * round a fresh child process: the guard cannot be removed once in); the
 * median CPU and wall time per thread of each, and their ratio.
 *
 *   cc -O2 -I _build/main -I core -o /tmp/thread-guard \
 *      bench/thread-guard.c core/run/worker_guard.c -lpthread &&
 *   /tmp/thread-guard 20000
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/worker_guard.h"

#define ROUNDS 9

static void *nothing(void *arg)
{
	return arg;
}

static double now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds of CPU and of wall per thread, over n threads. */
static void round_of(long n, double *cpu, double *wall)
{
	double c0 = now(CLOCK_PROCESS_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
	pthread_attr_t a;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	for (long i = 0; i < n; i++) {
		pthread_t t;

		if (pthread_create(&t, &a, nothing, NULL))
			abort();
		pthread_join(t, NULL);
	}
	pthread_attr_destroy(&a);
	*cpu = (now(CLOCK_PROCESS_CPUTIME_ID) - c0) / (double)n;
	*wall = (now(CLOCK_MONOTONIC) - w0) / (double)n;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	double cpu[2][ROUNDS], wall[2][ROUNDS];

	for (int r = 0; r < ROUNDS; r++)
		for (int g = 0; g < 2; g++) {
			double v[2];
			int fd[2];
			pid_t pid;

			if (pipe(fd) || (pid = fork()) < 0)
				abort();
			if (pid == 0) {
				if (g)
					brc_worker_guard_install();
				round_of(n, &v[0], &v[1]);
				if (write(fd[1], v, sizeof(v)) != sizeof(v))
					_exit(1);
				_exit(0);
			}
			close(fd[1]);
			if (read(fd[0], v, sizeof(v)) != sizeof(v))
				abort();
			close(fd[0]);
			waitpid(pid, NULL, 0);
			cpu[g][r] = v[0];
			wall[g][r] = v[1];
		}
	for (int g = 0; g < 2; g++) {
		qsort(cpu[g], ROUNDS, sizeof(double), cmp);
		qsort(wall[g], ROUNDS, sizeof(double), cmp);
	}
	printf("threads created+joined: %ld per round, %d rounds\n", n, ROUNDS);
	printf("without guard: %.2f us CPU, %.2f us wall per thread\n",
	       cpu[0][ROUNDS / 2] * 1e6, wall[0][ROUNDS / 2] * 1e6);
	printf("with guard:    %.2f us CPU, %.2f us wall per thread\n",
	       cpu[1][ROUNDS / 2] * 1e6, wall[1][ROUNDS / 2] * 1e6);
	printf("ratio with/without: CPU %.3f, wall %.3f\n",
	       cpu[1][ROUNDS / 2] / cpu[0][ROUNDS / 2],
	       wall[1][ROUNDS / 2] / wall[0][ROUNDS / 2]);
	return 0;
}

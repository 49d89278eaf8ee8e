/*
 * bench/proc-cost.c - what reading /proc costs per process, for a tree of
 * N sleeping children (each 8 MiB touched by the parent before the fork):
 * open+read+close of statm, stat, status and smaps_rollup, and a pread of
 * stat and of the children file through descriptors kept open (what the
 * run's sampler does every tick).  CPU time of this process, 5 passes.
 *
 *   cc -O2 -o /tmp/proc-cost bench/proc-cost.c && /tmp/proc-cost 1000
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PASSES 5

static double cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	static const char *const files[] = { "statm", "stat", "status",
	                                     "smaps_rollup" };
	pid_t *pid = calloc((size_t)n, sizeof(*pid));
	int *fd = calloc((size_t)n, sizeof(*fd));
	char *mem = malloc(8 << 20), path[64], buf[4096];
	double t0;

	if (!pid || !fd || !mem)
		return 1;
	memset(mem, 1, 8 << 20);
	for (int i = 0; i < n; i++)
		if ((pid[i] = fork()) == 0) {
			pause();
			_exit(0);
		}
	usleep(300000);
	for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		t0 = cpu_now();
		for (int r = 0; r < PASSES; r++)
			for (int i = 0; i < n; i++) {
				int f;

				snprintf(path, sizeof(path), "/proc/%d/%s", pid[i],
				         files[k]);
				if ((f = open(path, O_RDONLY)) >= 0) {
					if (read(f, buf, sizeof(buf)) < 0)
						perror(path);
					close(f);
				}
			}
		printf("%-13s open+read+close: %5.1f us a process\n", files[k],
		       (cpu_now() - t0) / PASSES / n * 1e6);
	}
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n; i++) {
			if (pass)
				snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
				         pid[i], pid[i]);
			else
				snprintf(path, sizeof(path), "/proc/%d/stat", pid[i]);
			fd[i] = open(path, O_RDONLY);
		}
		t0 = cpu_now();
		for (int r = 0; r < PASSES; r++)
			for (int i = 0; i < n; i++)
				if (pread(fd[i], buf, sizeof(buf), 0) < 0)
					perror("pread");
		printf("%-13s pread, kept open: %5.1f us a process\n",
		       pass ? "children" : "stat", (cpu_now() - t0) / PASSES / n * 1e6);
		for (int i = 0; i < n; i++)
			close(fd[i]);
	}
	for (int i = 0; i < n; i++)
		kill(pid[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}

/* common.h - shared by the ticket-json micro-benchmarks: load the ticket
 * named on the command line, run parse+walk R times, print the CPU time per
 * ticket.  Every program does the same work as the core's summary: validate
 * the whole document, then read route, date and each trip's id, departure,
 * price.amount and free_seats.  The clock is process CPU time (a parse makes
 * no system calls), so other jobs on the machine inflate it less. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* 64 bytes of slack after the document: simdjson reads up to 64 bytes past
 * the end (its SIMDJSON_PADDING); the others ignore them. */
static char doc[1 << 20];
static size_t doc_len;

static void load(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	doc_len = fread(doc, 1, sizeof(doc) - 64, f);
	fclose(f);
}

/* What every walk computes, so nothing is optimised away. */
struct sums {
	long trips, seats;
	double cents;
	uint64_t digest;
};

static uint64_t fnv(const char *s, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* argv: ticket path, repetitions (default 20000). */
#define BENCH_MAIN(name, one)                                               \
	int main(int argc, char **argv)                                     \
	{                                                                   \
		struct sums s = { 0, 0, 0, 0 };                             \
		long reps = argc > 2 ? atol(argv[2]) : 20000;               \
		double t;                                                   \
		load(argc > 1 ? argv[1] : "ticket.json");                   \
		if (one(&s)) {                                              \
			fprintf(stderr, name ": ticket rejected\n");        \
			return 1;                                           \
		}                                                           \
		t = cpu_now();                                              \
		for (long r = 0; r < reps; r++)                             \
			if (one(&s))                                        \
				return 1;                                   \
		t = cpu_now() - t;                                          \
		printf("%s %.2f us/ticket (trips %ld seats %ld)\n", name,   \
		       reps ? t / (double)reps * 1e6 : 0.0, s.trips / (reps + 1), \
		       s.seats / (reps + 1));                               \
		return 0;                                                   \
	}

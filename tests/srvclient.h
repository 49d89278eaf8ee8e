/*
 * srvclient.h - helpers of the server suite (tests/check_server.c): a
 * scenario from inline YAML, a spawned server, batches of requests with
 * curl multi and what each one saw.
 */
#ifndef BR_TEST_SRVCLIENT_H
#define BR_TEST_SRVCLIENT_H

#include <check.h>
#include <curl/curl.h>
#include <stdbool.h>

#include "scenario/scenario.h"
#include "server/server.h"
#include "util.h"

/* One transfer of a batch. */
struct xfer {
	CURL *h;
	int64_t day;
	struct brc_buf body;
	long status;
	CURLcode rc;
	uint64_t sent, first; /* ns: request about to go, first header in */
	double wait; /* s, from one to the other: >= the server's delay */
};

/* Load yaml (+ a strategy) into sc; fails the test on an error. */
void srv_load(const char *yaml, struct brc_scenario *sc);
/* srv_load, then spawn its server; fails the test unless it runs. */
void srv_spawn(const char *yaml, struct brc_scenario *sc,
               struct brc_server_proc *srv);
void srv_finish(struct brc_scenario *sc, struct brc_server_proc *srv);

/* Fetch days first..first+n-1 with at most `parallel` connections (curl
 * queues the rest) from one thread; x[0..n-1] filled.  Returns the wall
 * time in s; fails the test after 60 s. */
double srv_fetch_days(const struct brc_scenario *sc,
                      const struct brc_server_proc *srv, int64_t first,
                      int64_t n, long parallel, struct xfer *x);
void srv_free_xfers(struct xfer *x, int64_t n);

/* The body of x is exactly the generator's for its day. */
bool srv_body_is(const struct brc_scenario *sc, const struct xfer *x);
/* Median of x[].wait. */
double srv_median_wait(const struct xfer *x, int64_t n);
/* One request; its HTTP status, 0 on a transfer error. */
long srv_get_status(const char *url, const char *method);
/* Ranks 0..n-1 of v. */
void srv_ranks(const double *v, int n, double *out);

#endif /* BR_TEST_SRVCLIENT_H */

/*
 * metrics.h - what a results model knows about itself: the table of
 * metrics (how to get each from a run, its name, which direction is
 * better), statistics of a group, finding groups and sweep points, run
 * status names (results.c), and the table of every scalar field of a run
 * with its JSON form (run_fields.c).  Reports, the runner and the
 * worker read runs through these tables, so they cannot drift apart.
 */
#ifndef BR_METRICS_H
#define BR_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "results/results.h"
#include "results/stats.h"

enum brc_metric_kind {
	BR_MK_TIME,    /* seconds      */
	BR_MK_SIZE,    /* bytes        */
	BR_MK_RATE,    /* per second   */
	BR_MK_PERCENT, /* fraction 0..1 */
};

struct brc_metric {
	const char *key;   /* JSON summary and compare name */
	const char *title; /* for people                    */
	enum brc_metric_kind kind;
	bool higher_is_better;
	double (*get)(const struct brc_run_result *run);
};

enum {
	BR_M_WALL,
	BR_M_CPU,       /* user + sys */
	BR_M_REQS,
	BR_M_P50,
	BR_M_P99,
	BR_M_PEAK_RSS,
	BR_M_TREE_PEAK, /* PSS of the process tree */
	BR_M_TREE_MEAN,
	BR_M_EFFICIENCY,
	BR_M_TREE_MEM,    /* cgroup peak (exact) or tree PSS peak (sampled) */
	BR_M_TREE_GROWTH, /* the same over its value at "ready"             */
	BR_M_COUNT
};
extern const struct brc_metric brc_metrics[BR_M_COUNT];

/* A run that produced measurements (status ok or errors); crashed,
 * timed-out... runs are reported but never averaged. */
bool brc_run_measured(const struct brc_run_result *run);

/* Summary of metric m over the measured runs of g; values[] (may be NULL,
 * else room for g->n_runs) receives them in run order. */
void brc_group_stats(const struct brc_group *g, int m, struct brc_stats *s,
                    double *values);

/* Throughput of g: valid tickets over wall time, both summed over the
 * measured runs, i.e. mean tickets / mean wall: the same runs and the same
 * aggregation as the wall column (the mean of per-run rates is not, and
 * can be 10-20% off it in noisy groups).  NaN when nothing was measured. */
double brc_group_rate(const struct brc_group *g);
/* Mean of get(run) over g's measured runs (a NaN value is averaged in,
 * unlike brc_group_stats); NaN when none was measured. */
double brc_group_mean(const struct brc_group *g,
                      double (*get)(const struct brc_run_result *run));
/* Latency over every request of g's measured runs, from their merged
 * histograms (never from averaged percentiles).  Returns the number of
 * runs merged; 0 (and *out zeroed) when a measured run has no histogram
 * (an older results file). */
size_t brc_group_latency(const struct brc_group *g,
                         struct brc_latency_summary *out);

/* The memory metric worth comparing: the tree's growth over its baseline
 * when the tree was measured, else the largest peak RSS. */
int brc_group_mem_metric(const struct brc_group *g);

/* "ok", "errors", "failed", "crashed", "timeout", "exited", "interrupted";
 * parse returns -1 for an unknown name. */
const char *brc_run_status_name(enum brc_run_status st);
int brc_run_status_parse(const char *name);

/* Distinct sweep points in order of first appearance (malloc'd array of
 * borrowed strings). */
const char **brc_results_points(const struct brc_results *r, size_t *n);
const struct brc_group *brc_results_find(const struct brc_results *r,
                                       const char *label, const char *point);
/* Whether the sweep point has a group other than g (to compare with it). */
bool brc_results_point_has_others(const struct brc_results *r, const char *point,
                                 const struct brc_group *g);
/* The baseline group for a sweep point: the baseline strategy at that
 * point, else at no point (a strategy the sweep does not reach); NULL if
 * there is none. */
const struct brc_group *brc_results_baseline(const struct brc_results *r,
                                           const char *point);

/*
 * Open model (open_verdict.c): a run kept up when it started at least
 * BR_KEPT_UP_RATE of the schedule's rate (`schedule_rate`, <= 0: the
 * offered rate) and its start lag p99 stayed within BR_KEPT_UP_LAG
 * seconds: a backlog, not the scheduling noise of a busy machine (a
 * response-time target, as in the capacity search, judges the rest).  `why` (may be NULL) receives the reason when it did not, e.g.
 * "started 20.1 of 100 req/s offered".  A closed-model run keeps up.
 */
#define BR_KEPT_UP_RATE 0.9
#define BR_KEPT_UP_LAG  0.25
bool brc_open_kept_up(const struct brc_open_result *o, double schedule_rate,
                      char *why, size_t len);
/* Whether a field is one of the open model's ("open", "service" groups),
 * left out of files whose runs are all closed; whether any run of r is
 * an open-model run. */
struct brc_run_field;
bool brc_run_field_is_open(const struct brc_run_field *f);
bool brc_results_open(const struct brc_results *r);

/*
 * Every scalar field of a run, for the JSON writer and reader and the CSV
 * columns, so the three cannot drift apart.  `group` is the JSON
 * sub-object ("latency", "failures", "server") or NULL; the CSV column is
 * "<group>_<key>" or "<key>".  status, timeline and the strings are
 * handled by each format itself.
 */
enum brc_field_type { BR_F_DOUBLE, BR_F_U64, BR_F_I64, BR_F_I32, BR_F_INT,
                     BR_F_BOOL };
struct brc_run_field {
	const char *group, *key;
	enum brc_field_type type;
	size_t offset;
};
extern const struct brc_run_field brc_run_fields[];
extern const size_t brc_n_run_fields;
double brc_run_field_get(const struct brc_run_result *run,
                        const struct brc_run_field *f);
void brc_run_field_set(struct brc_run_result *run, const struct brc_run_field *f,
                      double v);

/* Every scalar field of run into / out of a JSON object (groups as
 * sub-objects): the results file, and the worker's report to the runner. */
struct cJSON;
void brc_run_fields_to_json(struct cJSON *o, const struct brc_run_result *run);
void brc_run_fields_from_json(const struct cJSON *o,
                             struct brc_run_result *run);

#endif /* BR_METRICS_H */

/*
 * run_fields.c - the table of a run's scalar fields (metrics.h), shared by
 * the JSON writer (results_json.c), the JSON reader (results_read.c), the
 * worker's report and the CSV columns.  Adding a field to struct
 * brc_run_result means adding one line to the table.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "results/metrics.h"

#define F(grp, key, type, member) \
	{ grp, key, BR_F_##type, offsetof(struct brc_run_result, member) }

const struct brc_run_field brc_run_fields[] = {
	F(NULL, "repetition", INT, repetition),
	F(NULL, "seq", INT, seq),
	F(NULL, "wall", DOUBLE, wall),
	F(NULL, "cpu_user", DOUBLE, cpu_user),
	F(NULL, "cpu_sys", DOUBLE, cpu_sys),
	F(NULL, "cpu_processing", DOUBLE, cpu_processing),
	F(NULL, "startup_wall", DOUBLE, startup_wall),
	F(NULL, "startup_cpu", DOUBLE, startup_cpu),
	F(NULL, "ctx_voluntary", U64, ctx_voluntary),
	F(NULL, "ctx_involuntary", U64, ctx_involuntary),
	F(NULL, "minor_faults", U64, minor_faults),
	F(NULL, "major_faults", U64, major_faults),
	F(NULL, "requests", U64, requests),
	F(NULL, "ok", U64, ok),
	F(NULL, "retries", U64, retries),
	F(NULL, "bytes", U64, bytes),
	F(NULL, "req_per_s", DOUBLE, req_per_s),
	F(NULL, "mb_per_s", DOUBLE, mb_per_s),
	F("failures", "http_status", U64, fail.http_status),
	F("failures", "transport", U64, fail.transport),
	F("failures", "corrupt", U64, fail.corrupt),
	F("failures", "too_large", U64, fail.too_large),
	F("failures", "missing", U64, fail.missing),
	F("failures", "duplicate", U64, fail.duplicate),
	F("latency", "p50", DOUBLE, latency.p50),
	F("latency", "p90", DOUBLE, latency.p90),
	F("latency", "p99", DOUBLE, latency.p99),
	F("latency", "p999", DOUBLE, latency.p999),
	F("latency", "max", DOUBLE, latency.max),
	F("latency", "mean", DOUBLE, latency.mean),
	F("latency", "min", DOUBLE, latency.min),
	F("latency", "count", U64, latency.count),
	F("open", "offered_rate", DOUBLE, open.offered_rate),
	F("open", "achieved_rate", DOUBLE, open.achieved_rate),
	F("open", "kept_up", BOOL, open.kept_up),
	F("open", "early_starts", U64, open.early_starts),
	F("open", "lag_p50", DOUBLE, open.lag_p50),
	F("open", "lag_p99", DOUBLE, open.lag_p99),
	F("open", "lag_max", DOUBLE, open.lag_max),
	F("open", "lag_mean", DOUBLE, open.lag_mean),
	F("service", "p50", DOUBLE, open.service.p50),
	F("service", "p90", DOUBLE, open.service.p90),
	F("service", "p99", DOUBLE, open.service.p99),
	F("service", "p999", DOUBLE, open.service.p999),
	F("service", "max", DOUBLE, open.service.max),
	F("service", "mean", DOUBLE, open.service.mean),
	F("service", "min", DOUBLE, open.service.min),
	F("service", "count", U64, open.service.count),
	F(NULL, "peak_rss", I64, peak_rss),
	F(NULL, "tree_peak_pss", I64, tree_peak_pss),
	F(NULL, "tree_mean_pss", I64, tree_mean_pss),
	F(NULL, "tree_peak_rss", I64, tree_peak_rss),
	F(NULL, "peak_vsize", I64, peak_vsize),
	F(NULL, "baseline_pss", I64, baseline_pss),
	F(NULL, "peak_threads", I32, peak_threads),
	F(NULL, "peak_procs", I32, peak_procs),
	F("memory", "instrument", INT, mem_instrument),
	F("memory", "tree_peak", I64, tree_peak),
	F("memory", "tree_baseline", I64, tree_baseline),
	F("memory", "anon", I64, mem_anon),
	F("memory", "file", I64, mem_file),
	F("memory", "kernel", I64, mem_kernel),
	F("memory", "kernel_stack", I64, mem_kstack),
	F("memory", "pagetables", I64, mem_pagetables),
	F("memory", "sock", I64, mem_sock),
	F("memory", "kernel_peak", I64, mem_kernel_peak),
	F("memory", "tree_peak_uss", I64, tree_peak_uss),
	F("memory", "baseline_uss", I64, baseline_uss),
	F("memory", "largest_rss", I64, largest_rss),
	F("memory", "largest_child", BOOL, largest_child),
	F("memory", "interval", DOUBLE, interval),
	F("memory", "interval_median", DOUBLE, interval_median),
	F("memory", "interval_max", DOUBLE, interval_max),
	F(NULL, "ideal", DOUBLE, ideal),
	F(NULL, "efficiency", DOUBLE, efficiency),
	F(NULL, "lower_bound", DOUBLE, lower_bound),
	F("server", "cpu", DOUBLE, server_cpu),
	F("server", "rss", I64, server_rss),
	F("server", "requests", U64, server_requests),
	F("server", "queue_max", DOUBLE, server_queue_max),
	F("server", "h2_max_streams", DOUBLE, server_h2_streams),
	F("server", "bound", BOOL, server_bound),
};
const size_t brc_n_run_fields = sizeof(brc_run_fields) / sizeof(brc_run_fields[0]);

double brc_run_field_get(const struct brc_run_result *run,
                        const struct brc_run_field *f)
{
	const char *p = (const char *)run + f->offset;

	switch (f->type) {
	case BR_F_DOUBLE:
		return *(const double *)(const void *)p;
	case BR_F_U64:
		return (double)*(const uint64_t *)(const void *)p;
	case BR_F_I64:
		return (double)*(const int64_t *)(const void *)p;
	case BR_F_I32:
		return (double)*(const int32_t *)(const void *)p;
	case BR_F_INT:
		return (double)*(const int *)(const void *)p;
	case BR_F_BOOL:
		return *(const bool *)(const void *)p;
	}
	return NAN;
}

/* Integers from a file may be anything: clamp instead of invoking
 * undefined behaviour on the conversion. */
static double clamp(double v, double lo, double hi)
{
	if (isnan(v))
		return 0;
	return v < lo ? lo : v > hi ? hi : v;
}

void brc_run_field_set(struct brc_run_result *run, const struct brc_run_field *f,
                      double v)
{
	char *p = (char *)run + f->offset;

	switch (f->type) {
	case BR_F_DOUBLE:
		*(double *)(void *)p = v;
		break;
	case BR_F_U64:
		*(uint64_t *)(void *)p = (uint64_t)clamp(v, 0, 0x1p64 - 2048);
		break;
	case BR_F_I64:
		*(int64_t *)(void *)p = (int64_t)clamp(v, -0x1p63, 0x1p63 - 1024);
		break;
	case BR_F_I32:
		*(int32_t *)(void *)p = (int32_t)clamp(v, INT32_MIN, INT32_MAX);
		break;
	case BR_F_INT:
		*(int *)(void *)p = (int)clamp(v, INT32_MIN, INT32_MAX);
		break;
	case BR_F_BOOL:
		*(bool *)(void *)p = v != 0 && !isnan(v);
		break;
	}
}

/*
 * results_fields.c - the table of a run's scalar fields (report_util.h),
 * shared by the JSON writer, the JSON reader and the CSV columns.  Adding
 * a field to struct br_run_result means adding one line here.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "report_util.h"

#define F(grp, key, type, member) \
	{ grp, key, BR_F_##type, offsetof(struct br_run_result, member) }

const struct br_run_field br_run_fields[] = {
	F(NULL, "repetition", INT, repetition),
	F(NULL, "wall", DOUBLE, wall),
	F(NULL, "cpu_user", DOUBLE, cpu_user),
	F(NULL, "cpu_sys", DOUBLE, cpu_sys),
	F(NULL, "cpu_processing", DOUBLE, cpu_processing),
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
	F(NULL, "peak_rss", I64, peak_rss),
	F(NULL, "tree_peak_pss", I64, tree_peak_pss),
	F(NULL, "tree_mean_pss", I64, tree_mean_pss),
	F(NULL, "tree_peak_rss", I64, tree_peak_rss),
	F(NULL, "peak_vsize", I64, peak_vsize),
	F(NULL, "baseline_pss", I64, baseline_pss),
	F(NULL, "peak_threads", I32, peak_threads),
	F(NULL, "peak_procs", I32, peak_procs),
	F(NULL, "ideal", DOUBLE, ideal),
	F(NULL, "efficiency", DOUBLE, efficiency),
	F("server", "cpu", DOUBLE, server_cpu),
	F("server", "rss", I64, server_rss),
	F("server", "requests", U64, server_requests),
	F("server", "queue_max", DOUBLE, server_queue_max),
	F("server", "bound", BOOL, server_bound),
};
const size_t br_n_run_fields = sizeof(br_run_fields) / sizeof(br_run_fields[0]);

double br_run_field_get(const struct br_run_result *run,
                        const struct br_run_field *f)
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

void br_run_field_set(struct br_run_result *run, const struct br_run_field *f,
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

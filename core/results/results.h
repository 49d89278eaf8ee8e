/*
 * results.h - what one benchmark produces: every measured run's raw values,
 * grouped by (strategy, sweep point), plus the metadata needed to compare
 * two result files later.  The runner fills it; the reports (table, JSON,
 * CSV, Markdown, plot, compare) only read it; report_json.c can also load it
 * back from a results file.
 */
#ifndef BR_RESULTS_H
#define BR_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BR_RESULTS_SCHEMA 1

enum brc_run_status {
	BR_RUN_OK = 0,      /* every ticket arrived and validated          */
	BR_RUN_ERRORS,      /* finished, but some tickets failed           */
	BR_RUN_FAILED,      /* plugin returned -1 / create failed          */
	BR_RUN_CRASHED,     /* worker killed by a signal (signal_name)      */
	BR_RUN_TIMEOUT,     /* killed after runs.timeout                   */
	BR_RUN_EXITED,      /* worker exited without a report              */
	BR_RUN_INTERRUPTED, /* the user pressed Ctrl-C                      */
};

/* Latency percentiles of one run, seconds. */
struct brc_latency_summary {
	double p50, p90, p99, p999, max, mean, min;
	uint64_t count;
};

struct brc_hist;

/* One point of the memory timeline, sampled by the parent. */
struct brc_mem_sample {
	double t;          /* seconds since the run hook started (negative: before) */
	int64_t tree_pss;  /* bytes, summed over the worker's process tree      */
	int64_t tree_rss;  /* bytes                                             */
	int32_t procs;     /* processes in the tree                             */
	int32_t threads;   /* threads in the tree                               */
};

/* Failures by kind. */
struct brc_failures {
	uint64_t http_status;  /* response with a non-2xx status            */
	uint64_t transport;    /* no response: reset, refused, timeout      */
	uint64_t corrupt;      /* body not the expected ticket              */
	uint64_t too_large;    /* body over workload.max_body               */
	uint64_t missing;      /* done() never called                       */
	uint64_t duplicate;    /* done() called twice                       */
};

struct brc_run_result {
	int repetition;        /* 0-based; warmups are not stored           */
	int seq;               /* 0-based position among the scenario's
	                          measured runs (runs.order)                */
	enum brc_run_status status;
	char *reason;          /* human text for non-OK status, or NULL     */

	/* time */
	double wall;           /* seconds, run hook, monotonic              */
	double cpu_user, cpu_sys; /* seconds, worker tree during the run hook */
	double cpu_processing; /* seconds the core spent parsing/validating */
	/* Start-up before the plugin said "ready" (host->ready: the exec
	 * plugin's interpreter and imports), not in wall or CPU; 0: none. */
	double startup_wall, startup_cpu;
	uint64_t ctx_voluntary, ctx_involuntary, minor_faults, major_faults;

	/* work */
	uint64_t requests;     /* count()                                   */
	uint64_t ok;           /* valid tickets                              */
	uint64_t retries;
	uint64_t bytes;        /* body bytes received                       */
	struct brc_failures fail;
	double req_per_s, mb_per_s;
	struct brc_latency_summary latency;

	/* open model (docs/open-model.md); all 0 in the closed model.  In
	 * the open model `latency` is the response time, from when each
	 * request was due (coordinated-omission corrected). */
	struct brc_open_result {
		double offered_rate;   /* requests/s the schedule offered     */
		double achieved_rate;  /* requests/s actually started         */
		bool kept_up;          /* see brc_open_verdict (metrics.h)    */
		uint64_t early_starts; /* started before due: a plugin bug    */
		struct brc_latency_summary service; /* from the actual start */
		double lag_p50, lag_p99, lag_max, lag_mean; /* start - due, s  */
	} open;

	/* memory, bytes */
	int64_t peak_rss;      /* worker's kernel high-water mark (VmHWM)   */
	int64_t tree_peak_pss, tree_mean_pss; /* sampled over the run     */
	int64_t tree_peak_rss;
	int64_t peak_vsize;
	int64_t baseline_pss;  /* tree PSS after create, before run         */
	int32_t peak_threads, peak_procs;
	/* The tree's memory by the best instrument (docs/reading-results.md):
	 * the run's cgroup when mem_instrument is 1 (v1) or 2 (v2), else the
	 * sampled PSS.  Growth is tree_peak - tree_baseline. */
	int mem_instrument;
	int64_t tree_peak, tree_baseline;
	int64_t mem_anon, mem_file, mem_kernel, mem_kstack, mem_pagetables,
		mem_sock, mem_kernel_peak; /* cgroup, at the end; -1 unknown */
	int64_t tree_peak_uss, baseline_uss; /* private memory, sampled     */
	int64_t largest_rss;   /* largest peak RSS of any process of the tree */
	bool largest_child;    /* ... and it was not the worker's own        */
	double interval, interval_median, interval_max; /* sample spacing, s */
	struct brc_mem_sample *timeline;
	size_t n_timeline;
	size_t timeline_from;  /* samples measured, when a file kept fewer
	                          (thinned: results/timeline.h); else 0     */

	/* ideal and efficiency (docs/reading-results.md) */
	double ideal;          /* seconds, in-order schedule of the delays:
	                          requests started in index order on the
	                          first free slot, zero client overhead    */
	double efficiency;     /* ideal / wall; NaN unless every ticket of
	                          the run arrived valid                     */
	double lower_bound;    /* seconds, no schedule beats it: max of the
	                          longest delay and total delay / slots     */

	/* embedded server during the run */
	double server_cpu;     /* seconds                                   */
	int64_t server_rss;    /* bytes, at the end                         */
	uint64_t server_requests;
	double server_queue_max; /* most requests waiting on max_in_flight  */
	double server_h2_streams; /* most HTTP/2 streams open on one
	                             connection (server.http2)              */
	bool server_bound;     /* server used most of a core                */

	char *log;             /* plugin log lines and captured output tail */

	/* where it ran, and every latency, so runs merge exactly */
	char *host;            /* hostname of the machine, or NULL          */
	struct brc_hist *hist; /* latency histogram, or NULL (older files)  */
};

/* How busy the machine was when the scenario started (results_machine.c),
 * like pyperf's system checks: a benchmark on a loaded machine measures
 * the load. */
struct brc_machine_state {
	double load1;          /* 1-minute load average; NaN: unknown        */
	double busy_cpus;      /* CPUs busy over ~0.2 s at start; NaN        */
	int runnable;          /* other runnable threads at start; -1        */
	char *governor;        /* cpu0's cpufreq governor; NULL: unreadable  */
	int boost;             /* turbo/boost 1 on, 0 off, -1 unknown        */
};

/* The runs of one strategy at one sweep point. */
struct brc_group {
	char *label;           /* strategy label                             */
	char *plugin;          /* plugin name                                */
	char *point;           /* sweep point, "concurrency=100", "" if none */
	char **param_names, **param_values; /* effective params, as text    */
	size_t n_params;
	int64_t concurrency;   /* 0 when the strategy has none               */
	int64_t item;          /* index in the scenario's plan; -1 unknown   */
	struct brc_run_result *runs;
	size_t n_runs;
};

/* The capacity search (docs/open-model.md): one probe, a short open-model
 * run at `rate`, and per strategy every probe and the answer. */
struct brc_probe {
	double rate;           /* offered, requests/s                      */
	double value;          /* response time at the quantile, seconds   */
	double achieved;       /* requests/s started                       */
	bool kept_up, pass;    /* pass: ok, kept up, value <= target       */
	enum brc_run_status status;
};

struct brc_capacity {
	char *label, *point;   /* strategy and sweep point                 */
	double quantile, target; /* e.g. 0.99 and 0.150 s                  */
	double min, max;       /* the range searched                       */
	double capacity;       /* highest passing rate; 0: none passed     */
	struct brc_probe *probes; /* in the order they ran                 */
	size_t n_probes;
};

struct brc_results {
	int schema;            /* BR_RESULTS_SCHEMA                          */
	char *scenario_name, *scenario_path, *scenario_hash;
	char *scenario_yaml;   /* the scenario file's text, or NULL          */
	char *started_at;      /* ISO-8601 UTC                                */
	bool incomplete;       /* interrupted before every run finished      */
	char *baseline;        /* label of the baseline strategy             */

	/* machine and software */
	char *host_kernel, *host_cpu, *benchrun_version, *libcurl_version,
		*compiler;
	int host_cores;

	/* workload, for the record and for ideal time */
	uint64_t requests;
	uint64_t seed;
	char *server_desc;     /* "embedded, fixed 100 ms" or the URL        */
	char *mem_instrument;  /* how tree memory was measured, for people   */

	/* How the runs were taken: "interleaved", "random" or "blocked"
	 * (NULL in files from before it was recorded), and whether the
	 * number of repetitions was "auto". */
	char *order;
	bool auto_reps;
	/* The scenario's settings after overrides, "path" = "value", for
	 * compare to name the fields that differ (none in older files). */
	char **setting_keys, **setting_values;
	size_t n_settings;
	struct brc_machine_state state;

	struct brc_group *groups;
	size_t n_groups;

	/* Cells (benchrun plan): how many the scenario has, 0 when unknown.
	 * A file of `benchrun --cell` holds some of them; merge joins them. */
	int64_t cells_total;

	/* The capacity search's answers, one per strategy (results_capacity.c
	 * writes them as "capacity"). */
	struct brc_capacity *capacity;
	size_t n_capacity;
};

/* results_capacity.c: free the search's answers of r; add them to a
 * results JSON object (nothing when there are none). */
void brc_capacity_free(struct brc_results *r);
struct cJSON;
void brc_capacity_to_json(struct cJSON *root, const struct brc_results *r);

void brc_results_free(struct brc_results *r);

/* results_machine.c: probe the machine's state now (takes ~0.2 s to
 * count busy CPUs); and append one warning line per sign of a noisy
 * machine to out, returning how many. */
void brc_machine_probe(struct brc_machine_state *st);
size_t brc_machine_warnings(const struct brc_machine_state *st, int cores,
                           char **out);
/* Free what a run owns (strings, timeline, histogram), not run itself, and
 * leave it empty. */
void brc_run_result_clear(struct brc_run_result *run);
/* Free what a group owns (strings, params, runs), not g itself. */
void brc_group_free(struct brc_group *g);

/* Fill the machine and software fields of *r (host_kernel, host_cpu,
 * host_cores, benchrun_version, libcurl_version, compiler) and started_at
 * (now, ISO-8601 UTC).  Fields already set are replaced. */
void brc_results_fill_host(struct brc_results *r);

/* Load a results file written by brc_results_json_write.  Returns 0, or -1
 * with a message in *err (malloc'd). */
int brc_results_json_read(const char *path, struct brc_results *out,
                         char **err);
/* The same without the runs' memory timelines (n_timeline 0; their shape
 * is still checked): `compare` shows none, and skips 5 numbers a sample. */
int brc_results_json_read_lean(const char *path, struct brc_results *out,
                               char **err);

/* Full results with schema version, metadata, every run's raw values and
 * timelines.  Return 0, or -1 with errno set (the old file is kept). */
int brc_results_json_write(const char *path, const struct brc_results *r);

#endif /* BR_RESULTS_H */

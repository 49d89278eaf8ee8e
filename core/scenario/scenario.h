/*
 * scenario.h - a benchmark scenario as plain, validated structs.
 *
 * brc_scenario_load() reads a YAML file (libyaml), applies --set overrides,
 * and validates everything it can without loading plugins.  No YAML node
 * survives past it: the rest of benchrun only sees these structs.  Every
 * error is reported as "file:line:col: path: message".
 *
 * The schema is documented in docs/scenario.md and benchrun-scenario(5).
 */
#ifndef BR_SCENARIO_H
#define BR_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a value came from, for messages after parsing (e.g. the loader
 * rejecting a parameter value). */
struct brc_mark {
	const char *file; /* scenario path, or "--set" for overrides */
	int line, col;    /* 1-based; 0 when unknown                  */
};

enum brc_latency_model {
	BR_LAT_NONE = 0,  /* no added delay */
	BR_LAT_FIXED,     /* value                                  */
	BR_LAT_UNIFORM,   /* min..max                               */
	BR_LAT_NORMAL,    /* mean, stddev (clamped at 0)            */
	BR_LAT_LOGNORMAL, /* median and (p99 or sigma)              */
	BR_LAT_EXPONENTIAL, /* mean                                 */
};

struct brc_latency {
	enum brc_latency_model model;
	double value, min, max, mean, stddev, median, p99, sigma; /* seconds,
	                                         sigma dimensionless */
	double tail_fraction; /* share of requests slowed down, 0..1   */
	double tail_factor;   /* their delay multiplier, >= 1          */
};

struct brc_faults {
	double error_rate;    /* share answered with error_status     */
	int error_status;     /* default 503                          */
	double reset_rate;    /* share whose connection is closed mid-response */
	double truncate_rate; /* share whose body is cut short        */
};

/* When requests are due (docs/open-model.md).  Closed: every request is
 * due at once and a strategy starts the next when a slot frees up.  Open:
 * request i is due at a time fixed by the rate, the process and the seed,
 * identical for every strategy (workload/arrival.h). */
enum brc_arrival_model { BR_ARRIVAL_CLOSED = 0, BR_ARRIVAL_OPEN };
enum brc_arrival_process { BR_PROCESS_CONSTANT = 0, BR_PROCESS_POISSON };

struct brc_arrival {
	enum brc_arrival_model model;
	double rate;           /* requests/s offered; 0 when closed (or
	                          given by a rate sweep or search)    */
	enum brc_arrival_process process;
};

struct brc_workload {
	uint64_t seed;
	int64_t days;          /* requests = days (one route)          */
	char *start_date;      /* "YYYY-MM-DD"                         */
	char *route;           /* e.g. "MOW-LED"                       */
	int64_t trips_min, trips_max; /* trips per day (equal: fixed)  */
	double cpu_us_per_trip;       /* processing cost done by the core */
	int64_t max_body;      /* bytes; a longer body is an error     */
	bool validate;         /* compare against the generator        */
	struct brc_arrival arrival;
	double duration;       /* open model: seconds; > 0 replaces days
	                          (requests = rate x duration)          */
};

/* Requests of a workload: days, or rate x duration (at least 1) when an
 * open model gives a duration. */
int64_t brc_workload_requests(const struct brc_workload *w);

/* The capacity search (`search: {rate: {p99: 150ms, min, max}}`): per
 * strategy, the highest offered rate whose run keeps up with a response
 * time percentile under the target, by bisection over short runs. */
struct brc_search {
	bool enabled;
	double quantile;       /* 0.5, 0.9, 0.99 or 0.999              */
	double target;         /* seconds, response time at quantile   */
	double min, max;       /* requests/s                           */
	double duration;       /* seconds per probe, default 2         */
	double precision;      /* stop when max/min of the bracket is
	                          below 1 + precision, default 0.1     */
	int64_t max_probes;    /* default 12                           */
	struct brc_mark mark;
};

struct brc_server {
	bool embedded;         /* false when url is set                */
	char *url;             /* external: URL template               */
	char *url_template;    /* path template, default
	                          "{base}/tickets/{route}/{date}"      */
	char *host;            /* embedded: bind address, 127.0.0.1    */
	int port;              /* embedded: 0 = ephemeral              */
	int threads;           /* embedded: MHD thread pool size       */
	int64_t max_connections; /* refuse beyond                      */
	int64_t max_in_flight; /* queue beyond; 0 = unlimited          */
	int64_t backlog;       /* listen backlog                       */
	int64_t conn_memory;   /* MHD per-connection memory pool bytes */
	double rate;           /* bytes/s per connection; 0 = unlimited */
	bool http2;            /* embedded: h2c (prior knowledge) too  */
	struct brc_latency latency;
	struct brc_faults faults;
};

/* One parameter as written in the scenario; typed by the loader against
 * the plugin's declared table. */
struct brc_param_value {
	char *name;
	char **items;          /* scalar: one item; list: n_items      */
	size_t n_items;
	bool is_list;
	/* A scalar written in quotes (or tagged): text, so never taken for a
	 * number, size, duration or boolean, as in the scenario's own keys
	 * ("4" is refused where an integer is expected: docs/scenario.md). */
	bool quoted;
	struct brc_mark mark;
};

struct brc_strategy {
	char *plugin;          /* name or path (contains '/')          */
	char *label;           /* unique; default: plugin name         */
	struct brc_param_value *params;
	size_t n_params;
	struct brc_mark mark;
};

struct brc_sweep {
	char *param;           /* e.g. "concurrency"                   */
	char **values;         /* as written                           */
	bool *quoted;          /* per value: written in quotes         */
	size_t n_values;
	struct brc_mark mark;
};

/* The order measured runs are taken in (scenario_runs.c).  Interleaved:
 * each round runs every plan item once, the starting item rotating from
 * round to round; random: each round in a seeded random order; blocked:
 * all repetitions of one item, then the next (machine drift then becomes
 * a "difference" between strategies). */
enum brc_run_order { BR_ORDER_INTERLEAVED, BR_ORDER_RANDOM, BR_ORDER_BLOCKED };
const char *brc_run_order_name(enum brc_run_order o);

struct brc_runs {
	int64_t repetitions;   /* >= 1; with auto_reps, max_repetitions */
	enum brc_run_order order;
	/* repetitions: auto - run rounds until every group's 95% CI of the
	 * wall time is within target_ci of its mean (min..max rounds). */
	bool auto_reps;
	int64_t min_repetitions, max_repetitions;
	double target_ci;      /* fraction of the mean, half width     */
	int64_t warmup;        /* >= 0                                 */
	double timeout;        /* seconds per run                      */
	double sample_interval;/* seconds, memory timeline             */
	char *baseline;        /* strategy label; NULL: the first      */
	bool tolerate_errors;  /* a run with failed tickets still "ok" */
};

struct brc_outputs {
	char *json, *csv, *markdown, *plot, *html; /* NULL: not written */
};

struct brc_scenario {
	char *path;            /* as given                             */
	char *name;
	char *description;
	struct brc_workload workload;
	struct brc_server server;
	struct brc_strategy *strategies;
	size_t n_strategies;
	struct brc_sweep *sweeps;
	size_t n_sweeps;
	struct brc_runs runs;
	struct brc_outputs outputs;
	struct brc_search search;
	char *hash;            /* sha-like hex digest of the file + overrides */
	char *text;            /* the file as read, then "# --set P=V" lines */
	/* Every scalar of the scenario after overrides as "path" = "value"
	 * ("workload.days" = "1000"), in file order, for compare. */
	char **setting_keys, **setting_values;
	size_t n_settings;
	/* Owned "--set PATH=VALUE" strings that override marks point at
	 * (their line is 0: print "file: " without a position). */
	char **mark_files;
	size_t n_mark_files;
};

/* A --set PATH=VALUE override, e.g. {"workload.days", "20"}; VALUE is
 * parsed as YAML, so lists ("[1,10]") work. */
struct brc_override {
	const char *path;
	const char *value;
};

/*
 * Load, override and validate a scenario.  On success returns 0 and fills
 * *out (free with brc_scenario_free).  On failure prints every error found
 * to stderr (or appends it to `errbuf` when non-NULL, one per line),
 * returns -1 and leaves *out zeroed.
 */
int brc_scenario_load(const char *path, const struct brc_override *ov,
                     size_t n_ov, struct brc_scenario *out, char **errbuf);

/* Same, but on failure *out keeps what was valid (its strategies, so
 * that `validate` can check plugins and parameters in the same pass); free
 * it with brc_scenario_free either way. */
int brc_scenario_load_partial(const char *path, const struct brc_override *ov,
                             size_t n_ov, struct brc_scenario *out,
                             char **errbuf);

/* Same as brc_scenario_load, from a string (tests, fuzzing); `name` is
 * used in messages. */
int brc_scenario_load_string(const char *name, const char *text, size_t len,
                            const struct brc_override *ov, size_t n_ov,
                            struct brc_scenario *out, char **errbuf);

void brc_scenario_free(struct brc_scenario *sc);

/* URL templates (url_template.c).  The placeholder at p: its index
 * ({base} 0, {route} 1, {date} 2, {i} 3) with its length in *len, or -1.
 * Check a template: 0, or -1 with a reason (static string) in *why for an
 * unknown "{name}" or an unclosed '{'; expansion (workload/tickets.h)
 * leaves unknown placeholders as they are. */
int brc_url_placeholder_at(const char *p, size_t *len);
int brc_url_template_check(const char *tmpl, const char **why);

#endif /* BR_SCENARIO_H */

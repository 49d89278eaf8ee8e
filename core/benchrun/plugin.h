/*
 * benchrun/plugin.h - the whole public interface of a benchrun strategy plugin.
 *
 * A strategy is a shared object that exports exactly one symbol,
 * BR_PLUGIN_SYMBOL ("benchrun_plugin"), a `const struct br_plugin`.  It
 * fetches the workload's URLs however it likes (libcurl, libuv, raw sockets,
 * a child program) and hands every response to the core through the
 * `struct br_host` service table.  The core parses and validates every
 * ticket, so every strategy does identical work and a strategy that drops or
 * corrupts a ticket fails loudly.
 *
 * Nothing here needs the benchrun binary at link time: an out-of-tree plugin
 * compiles with `pkg-config --cflags benchrun` and links with nothing but the
 * libraries it uses itself.
 *
 * Compatibility rules:
 *  - The core loads a plugin when magic matches, abi_major equals the core's
 *    BR_ABI_MAJOR, and abi_minor is <= the core's BR_ABI_MINOR.
 *  - New members are only ever appended to struct br_plugin, struct
 *    br_host and struct br_param, with a minor bump.  The `size` members
 *    say how much of each struct the other side knows about; read a member
 *    only when the struct is large enough to contain it (BR_HAS_MEMBER
 *    below).  The parameter table is an array, so its element size travels
 *    in the descriptor (`param_size`, set by BR_PLUGIN_HEADER): the core
 *    walks a table with the plugin's stride and treats members the plugin
 *    did not know as zero.
 *
 * History:
 *  1.0  the first ABI.
 *  1.1  br_host: logv, now, due (open-model arrivals); br_plugin:
 *       param_size, flags (BR_PLUGIN_F_DUE); br_param: flags (with
 *       BR_PARAM_F_CONCURRENCY) and reserved room.  A 1.0 plugin still
 *       loads; it cannot run an open-model scenario.
 */
#ifndef BENCHRUN_PLUGIN_H
#define BENCHRUN_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BR_PLUGIN_MAGIC  0x42524e50u /* "BRNP" */
#define BR_ABI_MAJOR     1
#define BR_ABI_MINOR     1
#define BR_PLUGIN_SYMBOL "benchrun_plugin"

/* True when a struct of `size` bytes (its size member) contains `member`. */
#define BR_HAS_MEMBER(type, size, member) \
	((size) >= offsetof(type, member) + sizeof(((type *)0)->member))

/* ------------------------------------------------------------------------
 * Parameters.  A plugin declares its parameters as a table; the core parses
 * and range-checks scenario values against it and writes them into an
 * options struct of `opts_size` bytes at each parameter's `offset`, which the
 * create hook receives.  `benchrun plugins` prints the table.
 * ---------------------------------------------------------------------- */
enum br_param_type {
	BR_PARAM_INT = 1,  /* int64_t; integer literal                        */
	BR_PARAM_DOUBLE,   /* double                                          */
	BR_PARAM_BOOL,     /* bool; true/false/yes/no/on/off                  */
	BR_PARAM_STRING,   /* const char *, owned by the core                 */
	BR_PARAM_SIZE,     /* int64_t bytes; "64KiB", "1M", "4096"            */
	BR_PARAM_DURATION, /* double seconds; "100ms", "2s", "1.5"            */
	BR_PARAM_STRLIST,  /* const char *const *, NULL-terminated, core-owned */
};

struct br_param {
	const char *name;        /* [a-z0-9_]+; NULL ends the table           */
	enum br_param_type type;
	size_t offset;           /* offsetof(your_opts, member)                */
	const char *def;         /* default, written as in a scenario; NULL:
	                            zero / NULL / empty list                     */
	double min, max;         /* inclusive range for INT/DOUBLE/SIZE/
	                            DURATION; ignored when min == max == 0      */
	const char *help;        /* one line for `benchrun plugins`           */
	/* ---- ABI 1.1 ---- */
	uint32_t flags;          /* BR_PARAM_F_*                              */
	uint32_t reserved_u32;   /* zero                                      */
	void *reserved[2];       /* NULL: room for later 1.x members          */
};

/* This INT parameter bounds the requests in flight: the core shows it as
 * the strategy's concurrency (a column, and the value a `concurrency`
 * sweep sets).  At most one parameter of a table has it. */
#define BR_PARAM_F_CONCURRENCY 0x1u
/* This STRLIST parameter is a program and its arguments (an argv, like
 * exec's `command`): `benchrun validate` checks that the program exists
 * and can be executed, relative paths against the scenario's directory. */
#define BR_PARAM_F_PROGRAM 0x2u

/* ------------------------------------------------------------------------
 * Core services.  The run context `struct br_run` is opaque.
 *
 * Request indices run from 0 to count()-1.  For each request the plugin:
 *   1. calls start(i) when it begins the request (latency starts here);
 *      calling start(i) again before done(i) means "retrying": the body
 *      received so far is discarded, the retry is counted, and latency still
 *      runs from the first start;
 *   2. calls body(i, data, len) zero or more times with the response body
 *      in order (it may also pass the whole body at once);
 *   3. calls done(i, status, error) exactly once: `status` is the HTTP
 *      status (0 when no response arrived) and `error` is NULL on transport
 *      success or a short human text ("connection reset", "timeout").
 *
 * Thread safety: count, url, log, logv, now and due may be called from any
 * thread at any time during run.  start, body and done are thread-safe for
 * different i (one request is driven by one thread at a time), and may be
 * called from any thread of the worker process -- not from a forked child:
 * children send their results back to the process that called run.  No
 * service may be called after run has returned (the run context is gone).
 *
 * Arrivals (ABI 1.1): in a closed-model scenario (the default) every
 * request is due at once, due(i) == 0, and a plugin starts the next
 * request whenever a slot is free.  In an open-model scenario request i is
 * due at due(i) nanoseconds after the run began (the same clock as now()):
 * a plugin must never call start(i) before now() >= due(i), and should
 * start it as soon as it can after; its concurrency still bounds what is
 * in flight, so a strategy that cannot keep up builds a backlog, which the
 * core measures.  Only plugins that set BR_PLUGIN_F_DUE run open-model
 * scenarios.
 * ---------------------------------------------------------------------- */
struct br_run;

enum br_log_level { BR_LOG_ERROR = 0, BR_LOG_WARN, BR_LOG_INFO, BR_LOG_DEBUG };

struct br_host {
	uint32_t size;      /* sizeof(struct br_host) in the core */
	uint32_t abi_minor; /* the core's BR_ABI_MINOR */

	/* Number of requests in the workload. */
	size_t (*count)(const struct br_run *run);
	/* URL of request i, NUL-terminated, valid until run returns. */
	const char *(*url)(const struct br_run *run, size_t i);
	/* Request i begins (again).  See above. */
	void (*start)(struct br_run *run, size_t i);
	/* Append body bytes of request i.  Returns 0, or -1 when the body has
	 * grown past the scenario's limit: the plugin should abort the
	 * transfer and still call done(). */
	int (*body)(struct br_run *run, size_t i, const void *data, size_t len);
	/* Request i finished; the core parses and validates the body now.
	 * Returns 0 when the ticket was valid, -1 otherwise (already recorded:
	 * the plugin need not report it again). */
	int (*done)(struct br_run *run, size_t i, int status, const char *error);
	/* Diagnostics, printf-style, shown with -v (INFO/DEBUG) or always
	 * (WARN/ERROR) and kept in the run's record. */
	void (*log)(struct br_run *run, enum br_log_level level,
	            const char *fmt, ...)
#if defined(__GNUC__)
		__attribute__((format(printf, 3, 4)))
#endif
		;
	/*
	 * For strategies that prepare tickets themselves (the exec plugin's
	 * programs in other languages): request i finished and the program
	 * computed its summary, given in the canonical text form
	 *   "trips=20 cheapest=1250 total=48210 seats=311 first=365 digest=9f3a..."
	 * (integers; prices in cents; first departure in minutes after
	 * midnight; digest: FNV-1a 64 over the trip ids, hex).  The core
	 * checks it against the expected summary.  Like done(), exactly once
	 * per request, instead of done().  Returns 0 when it matched.
	 */
	int (*done_summary)(struct br_run *run, size_t i, int status,
	                    const char *error, const char *summary);

	/* ---- ABI 1.1: check BR_HAS_MEMBER(struct br_host, host->size, x) ---- */

	/* log() for a caller that already holds a va_list. */
	void (*logv)(struct br_run *run, enum br_log_level level,
	             const char *fmt, va_list ap);
	/* Nanoseconds since the run began, CLOCK_MONOTONIC. */
	uint64_t (*now)(const struct br_run *run);
	/* When request i is due, in nanoseconds since the run began (the
	 * clock of now()); 0 for every i in the closed model.  Non-decreasing
	 * in i. */
	uint64_t (*due)(const struct br_run *run, size_t i);
	/*
	 * The measured part of the run begins now: for a strategy whose
	 * start-up is not what is compared (the exec plugin's interpreter and
	 * imports, announced by the program's `ready` record).  Wall time and
	 * CPU are counted from this call, the start-up is reported apart.
	 * child_user_ns / child_sys_ns: CPU already spent by child processes
	 * the plugin has not waited for yet (the core cannot see it until
	 * they are reaped), so it is moved to the start-up too.  At most once
	 * per run, from the thread that called run.  Check
	 * BR_HAS_MEMBER(struct br_host, host->size, ready): older cores lack it.
	 */
	void (*ready)(struct br_run *run, uint64_t child_user_ns,
	              uint64_t child_sys_ns);
};

/* ------------------------------------------------------------------------
 * The descriptor.  Hooks marked "required" must be non-NULL or the loader
 * refuses the plugin.
 * ---------------------------------------------------------------------- */
struct br_plugin {
	uint32_t magic;          /* BR_PLUGIN_MAGIC                         */
	uint16_t abi_major;      /* BR_ABI_MAJOR the plugin was built with  */
	uint16_t abi_minor;      /* BR_ABI_MINOR the plugin was built with  */
	uint32_t size;           /* sizeof(struct br_plugin)                */

	const char *name;        /* short name, e.g. "eventloop"            */
	const char *description; /* one line                                */
	const struct br_param *params; /* table ended by {NULL}, or NULL    */
	size_t opts_size;        /* size of the options struct params fill  */

	/*
	 * create (required): called once in the worker process after the
	 * plugin is loaded, before measuring starts.  `opts` holds every
	 * declared parameter, defaults applied, valid until destroy.  Allocate
	 * the instance and do expensive one-time set-up here (it is not
	 * timed).  `host` stays valid until destroy.  Return the instance
	 * through *state and 0, or -1 after logging why with host->log (NULL
	 * run is allowed here).
	 */
	int (*create)(const struct br_host *host, const void *opts, void **state);

	/*
	 * run (required): fetch all host->count(run) requests and report each
	 * through start/body/done; return when every request is done.  This
	 * is what benchrun measures: wall time, CPU and memory of the worker
	 * process tree while it runs.  Threads and child processes created
	 * here must be joined/waited before returning.  Return 0, or -1 when
	 * the strategy itself failed (not for failed requests, which done()
	 * already recorded).  The core calls run once per instance in a
	 * measured worker; a plugin must still leave its instance reusable
	 * (a second run on the same instance, with a new br_run, must work:
	 * the conformance suite does this), and must not keep pointers into a
	 * br_run past the return.
	 */
	int (*run)(void *state, struct br_run *run);

	/* destroy (optional): free the instance.  Not timed. */
	void (*destroy)(void *state);

	/* ---- ABI 1.1 ---- */
	uint32_t param_size;     /* sizeof(struct br_param): the stride of
	                            params (BR_PLUGIN_HEADER sets it)          */
	uint32_t flags;          /* BR_PLUGIN_F_*                           */
};

/* The plugin honours host->due(): it runs open-model scenarios. */
#define BR_PLUGIN_F_DUE 0x1u
/* The plugin fetches nothing by design (null: a probe of benchrun's own
 * overhead): `benchrun check-plugin` holds it to loading and empty runs
 * only. */
#define BR_PLUGIN_F_NO_FETCH 0x2u

/* Fill the header fields of a descriptor: `BR_PLUGIN_HEADER, .name = ...`. */
#define BR_PLUGIN_HEADER                                         \
	.magic = BR_PLUGIN_MAGIC, .abi_major = BR_ABI_MAJOR,         \
	.abi_minor = BR_ABI_MINOR, .size = sizeof(struct br_plugin), \
	.param_size = sizeof(struct br_param)

#ifdef __cplusplus
}
#endif

#endif /* BENCHRUN_PLUGIN_H */

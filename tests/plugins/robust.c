/*
 * robust.c - plugins that break the contract in one way each, built once
 * per flag, for tests/check_robust.c:
 *   ROBUST_OVERLAP     two parameters share bytes of the options struct
 *   ROBUST_CTOR_CRASH  a constructor that dies of SIGSEGV
 *   ROBUST_CTOR_EXIT   a constructor that calls _exit(0)
 *   ROBUST_CTOR_HANG   a constructor that never returns
 *   ROBUST_BAD_INDEX   done() with an index past count()
 *   ROBUST_LATE        done() after run returned (from destroy, as a
 *                      forgotten thread would)
 *   ROBUST_HUGE_BODY   body(i, p, SIZE_MAX) after a few bytes
 *   ROBUST_RECURSE     unbounded recursion on the worker's main thread
 *   ROBUST_THREAD_RECURSE  the same on a thread of its own with a 64 KiB
 *                      stack, which never calls the host
 *   ROBUST_OOM         a body that cannot be parsed under a tight
 *                      RLIMIT_AS
 */
#include <benchrun/plugin.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

struct opts {
	int64_t a;
	int64_t b;
};

struct robust {
	const struct br_host *host;
	struct br_run *run; /* kept past run on purpose (ROBUST_LATE) */
};

static const struct br_param robust_params[] = {
#if defined(ROBUST_OVERLAP)
	{ .name = "a", .type = BR_PARAM_INT, .offset = offsetof(struct opts, a) },
	{ .name = "s", .type = BR_PARAM_STRING, .offset = offsetof(struct opts, a),
	  .def = "text" },
#endif
	{ NULL },
};

#if defined(ROBUST_CTOR_CRASH) || defined(ROBUST_CTOR_EXIT) || \
	defined(ROBUST_CTOR_HANG)
__attribute__((constructor)) static void robust_ctor(void)
{
#if defined(ROBUST_CTOR_CRASH)
	signal(SIGSEGV, SIG_DFL); /* not a sanitizer's report and exit(1) */
	raise(SIGSEGV);
#elif defined(ROBUST_CTOR_EXIT)
	_exit(0);
#else
	for (;;)
		pause();
#endif
}
#endif

static int robust_create(const struct br_host *host, const void *opts,
                         void **state)
{
	struct robust *r = calloc(1, sizeof(*r));

	(void)opts;
	if (!r)
		return -1;
	r->host = host;
	*state = r;
	return 0;
}

#if defined(ROBUST_RECURSE) || defined(ROBUST_THREAD_RECURSE)
/* A bound the compiler cannot see through (no -Winfinite-recursion) and the
 * stack never reaches: 512-byte frames overflow any stack_size long before. */
static volatile unsigned recurse_limit = UINT32_MAX;

/* Not a tail call, and a frame the compiler cannot drop. */
static unsigned recurse(volatile char *prev, unsigned depth)
{
	volatile char frame[512];

	if (depth == recurse_limit)
		return 0;
	frame[0] = (char)depth;
	frame[511] = prev ? prev[0] : 0;
	return recurse(frame, depth + 1) + frame[511];
}
#endif

#if defined(ROBUST_THREAD_RECURSE)
static void *recurse_thread(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)recurse(NULL, 0);
}

/* A thread of 64 KiB that never calls the host before it overflows. */
static int thread_recurse(void)
{
	pthread_attr_t a;
	pthread_t t;
	void *rv;

	if (pthread_attr_init(&a) || pthread_attr_setstacksize(&a, 65536) ||
	    pthread_create(&t, &a, recurse_thread, NULL))
		return -1;
	pthread_attr_destroy(&a);
	pthread_join(t, &rv);
	return (int)(uintptr_t)rv;
}
#endif

#if defined(ROBUST_OOM)
/* A body of many tiny objects: cheap to hold, costly to parse. */
static char *many_objects(size_t n, size_t *len)
{
	char *b = malloc(3 * n + 2);

	b[0] = '[';
	for (size_t k = 0; k < n; k++)
		memcpy(b + 1 + 3 * k, "{},", 3);
	b[3 * n] = ']';
	*len = 3 * n + 1;
	return b;
}

static long vm_size_kib(void)
{
	char buf[4096], *p;
	long kib = 0;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(buf, sizeof(buf), f))
		if ((p = strstr(buf, "VmSize:")))
			kib = strtol(p + 7, NULL, 10);
	if (f)
		fclose(f);
	return kib;
}
#endif

static int robust_run(void *state, struct br_run *run)
{
	struct robust *r = state;
	const struct br_host *h = r->host;

	r->run = run;
	(void)h; /* unused by the flags that break the contract elsewhere */
#if defined(ROBUST_BAD_INDEX)
	h->start(run, h->count(run) + 5);
	h->done(run, h->count(run) + 5, 200, NULL);
#elif defined(ROBUST_HUGE_BODY)
	for (size_t i = 0; i < h->count(run); i++) {
		static const char bytes[16] = "0123456789abcdef";

		h->start(run, i);
		h->body(run, i, bytes, sizeof(bytes));
		/* Must be refused without reading a byte. */
		if (h->body(run, i, bytes, SIZE_MAX) == 0) {
			h->log(run, BR_LOG_ERROR, "body(SIZE_MAX) accepted");
			return -1;
		}
		h->done(run, i, 200, NULL);
	}
#elif defined(ROBUST_RECURSE)
	return (int)recurse(NULL, 0);
#elif defined(ROBUST_THREAD_RECURSE)
	return thread_recurse();
#elif defined(ROBUST_OOM)
	{
		size_t len;
		char *body = many_objects(1 << 20, &len);
		struct rlimit lim;

		getrlimit(RLIMIT_AS, &lim);
		h->start(run, 0);
		h->body(run, 0, body, len);
		/* Room for a few MiB more, not for 1M parsed objects. */
		setrlimit(RLIMIT_AS, &(struct rlimit){
		          (rlim_t)(vm_size_kib() + 4096) * 1024, lim.rlim_max });
		h->done(run, 0, 200, NULL);
		setrlimit(RLIMIT_AS, &lim);
		free(body);
	}
#endif
	return 0;
}

static void robust_destroy(void *state)
{
	struct robust *r = state;

#if defined(ROBUST_LATE)
	r->host->done(r->run, 0, 200, NULL);
#endif
	free(r);
}

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = ROBUST_NAME,
	.description = "a plugin that breaks the contract (test fixture)",
	.params = robust_params,
	.opts_size = sizeof(struct opts),
	.create = robust_create,
	.run = robust_run,
	.destroy = robust_destroy,
};

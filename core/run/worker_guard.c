/*
 * worker_guard.c - the worker's stack-overflow report (worker_guard.h).
 *
 * The handler runs on an alternate stack (sigaltstack): the overflowed one
 * has no room left.  It only calls write(2), which is async-signal-safe,
 * and re-arms the default action (SA_RESETHAND), so returning re-executes
 * the faulting instruction and the process dies of the same signal: the
 * runner still sees "killed by SIGSEGV".
 *
 * An alternate stack belongs to one thread, and a thread without one that
 * overflows its stack cannot run any handler: the kernel kills the process
 * at once.  Threads a plugin creates (threads, threadpool: one per request,
 * at `stack_size`) are where small stacks are, so the worker gives every
 * thread one: the benchrun executable defines pthread_create and exports it
 * (core/local.mk), so a plugin's, libcurl's or libuv's calls reach this
 * wrapper first (the executable comes first in the dynamic linker's
 * lookup), which starts the thread through a trampoline that installs an
 * alternate stack, and notes the thread's stack size for the message.  The
 * stacks are recycled when threads end: threads is thread-per-request, and
 * creating threads is what it measures.
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "run/worker_guard.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GUARD_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GUARD_SANITIZED 1
#endif
#endif

/* A fault this close to the stack pointer is the stack running into its
 * guard: a frame is at most this large (bigger ones probe page by page). */
#define NEAR_SP (256 * 1024)

/* A thread's alternate stack: the kernel's signal frame (a few KiB with
 * AVX-512 state) and a handler that only writes.  Untouched, it costs no
 * memory, only address space. */
#define ALT_SIZE (32 * 1024)
/* Alternate stacks kept for the next threads. */
#define ALT_KEEP 1024

#ifndef GUARD_SANITIZED
/* Set once the worker's guard is in place: only then does pthread_create
 * add anything (the parent, the server and the tests are left alone). */
static atomic_bool guard_on;
/* The size of this thread's stack when it was started through the
 * trampoline; 0 on the main thread (where green threads run). */
static __thread size_t thread_stack;

static pthread_key_t alt_key;
static pthread_mutex_t alt_lock = PTHREAD_MUTEX_INITIALIZER;
static void *alt_free[ALT_KEEP];
static size_t alt_n;

static uintptr_t stack_pointer(const void *uc_void)
{
	const ucontext_t *uc = uc_void;

#if defined(__x86_64__)
	return (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
	return (uintptr_t)uc->uc_mcontext.sp;
#else
	(void)uc;
	return 0;
#endif
}

static void say(const char *s)
{
	ssize_t n = write(STDERR_FILENO, s, strlen(s));

	(void)n;
}

/* n in decimal, without stdio (not async-signal-safe). */
static void say_size(size_t n)
{
	char buf[24], *p = buf + sizeof(buf) - 1;

	*p = '\0';
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10) && p > buf);
	say(p);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	uintptr_t addr = (uintptr_t)si->si_addr;
	uintptr_t sp = stack_pointer(uc);

	(void)sig;
	if (!sp || addr + NEAR_SP <= sp || addr >= sp + NEAR_SP)
		return;
	if (!thread_stack) {
		say("benchrun: " BRC_STACK_OVERFLOW_TEXT " in the strategy: "
		    "give it a larger stack (its stack_size parameter)\n");
		return;
	}
	/* The runner reads the size back (runner.c). */
	say("benchrun: " BRC_STACK_OVERFLOW_TEXT " " BRC_STACK_THREAD_TEXT);
	say_size(thread_stack);
	say("-byte stack: give the strategy larger thread stacks (its "
	    "stack_size parameter)\n");
}

static void *alt_get(void)
{
	void *p = NULL;

	pthread_mutex_lock(&alt_lock);
	if (alt_n)
		p = alt_free[--alt_n];
	pthread_mutex_unlock(&alt_lock);
	if (p)
		return p;
	p = mmap(NULL, ALT_SIZE, PROT_READ | PROT_WRITE,
	         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* The key's destructor, on the ending thread: no more signals on it. */
static void alt_put(void *p)
{
	stack_t off = { .ss_flags = SS_DISABLE };

	sigaltstack(&off, NULL);
	pthread_mutex_lock(&alt_lock);
	if (alt_n < ALT_KEEP) {
		alt_free[alt_n++] = p;
		p = NULL;
	}
	pthread_mutex_unlock(&alt_lock);
	if (p)
		munmap(p, ALT_SIZE);
}

struct tramp {
	void *(*fn)(void *);
	void *arg;
	size_t stack;
};

static void *trampoline(void *v)
{
	struct tramp t = *(struct tramp *)v;
	void *alt = alt_get();

	free(v);
	if (alt) {
		stack_t ss = { .ss_sp = alt, .ss_size = ALT_SIZE };

		if (sigaltstack(&ss, NULL) == 0 &&
		    pthread_setspecific(alt_key, alt) == 0)
			thread_stack = t.stack;
		else
			alt_put(alt);
	}
	return t.fn(t.arg);
}

typedef int create_fn(pthread_t *, const pthread_attr_t *,
                      void *(*)(void *), void *);

int pthread_create(pthread_t *th, const pthread_attr_t *attr,
                   void *(*fn)(void *), void *arg)
{
	static _Atomic(create_fn *) real;
	create_fn *next = atomic_load(&real);
	struct tramp *t;
	pthread_attr_t def;
	int rc;

	if (!next) {
		next = (create_fn *)dlsym(RTLD_NEXT, "pthread_create");
		atomic_store(&real, next);
	}
	if (!atomic_load(&guard_on) || !(t = malloc(sizeof(*t))))
		return next(th, attr, fn, arg);
	t->fn = fn;
	t->arg = arg;
	t->stack = 0;
	if (attr) {
		pthread_attr_getstacksize(attr, &t->stack);
	} else if (pthread_getattr_default_np(&def) == 0) {
		pthread_attr_getstacksize(&def, &t->stack);
		pthread_attr_destroy(&def);
	}
	rc = next(th, attr, trampoline, t);
	if (rc)
		free(t);
	return rc;
}
#endif

void brc_worker_guard_install(void)
{
#ifndef GUARD_SANITIZED
	/* Static: the handler may run when malloc's state is the problem. */
	static char alt[64 * 1024];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
	struct sigaction sa = { .sa_sigaction = on_fault };

	if (sigaltstack(&ss, NULL))
		return;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	if (pthread_key_create(&alt_key, alt_put) == 0)
		atomic_store(&guard_on, true);
#endif
}

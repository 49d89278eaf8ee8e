/*
 * worker_guard.c - the worker's stack-overflow report (worker_guard.h).
 *
 * The handler runs on its own stack (sigaltstack): the overflowed one has
 * no room left.  It only calls write(2), which is async-signal-safe, and
 * re-arms the default action (SA_RESETHAND), so returning re-executes the
 * faulting instruction and the process dies of the same signal: the
 * runner still sees "killed by SIGSEGV".
 */
#include "config.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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

#ifndef GUARD_SANITIZED
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

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	uintptr_t addr = (uintptr_t)si->si_addr;
	uintptr_t sp = stack_pointer(uc);

	(void)sig;
	if (sp && addr + NEAR_SP > sp && addr < sp + NEAR_SP)
		say("benchrun: " BRC_STACK_OVERFLOW_TEXT " in the strategy: "
		    "give it a larger stack (its stack_size parameter)\n");
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
#endif
}

/*
 * worker_guard.h - what the worker process says when it crashes on a
 * stack overflow: strategies run code on small stacks (green threads,
 * threads at `stack_size: 16KiB`), and "killed by SIGSEGV" alone does not
 * tell the user which parameter to raise.
 */
#ifndef BR_WORKER_GUARD_H
#define BR_WORKER_GUARD_H

/* The text the worker writes to stderr before dying of a stack overflow;
 * the runner looks for it in the worker's output. */
#define BRC_STACK_OVERFLOW_TEXT "stack overflow"
/* ... followed by this and "N-byte stack" on a thread that is not the
 * main one. */
#define BRC_STACK_THREAD_TEXT "on a thread of the strategy with a "

/*
 * Give the calling (main) thread an alternate signal stack and a SIGSEGV/
 * SIGBUS handler on it that writes "benchrun: stack overflow ..." when
 * the faulting address lies next to the stack pointer, then lets the
 * signal kill the process as before.  Green threads run on the main
 * thread, so their overflows are caught; a thread created by a plugin has
 * no alternate stack and dies silently (the runner's reason still names
 * stack_size).  A no-op in sanitizer builds, whose own handler reports
 * stack overflows.
 */
void brc_worker_guard_install(void);

#endif /* BR_WORKER_GUARD_H */

/*
 * worker.h - the measured process.  `benchrun __worker` (run_spawn.c
 * starts it) reads a run spec on stdin, loads the plugin, measures one
 * run and writes the report on fd 3.
 */
#ifndef BR_WORKER_H
#define BR_WORKER_H

/* The whole life of a worker process; returns its exit code. */
int brc_worker_main(void);

#endif /* BR_WORKER_H */

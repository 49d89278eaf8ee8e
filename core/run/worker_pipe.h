/*
 * worker_pipe.h - the worker process's side of its two pipes to the
 * parent (run_spawn.c): the run spec arrives as one line on stdin, each
 * handshake is a line out on fd 3 and one byte back on stdin, and the
 * report is the last thing written to fd 3.
 */
#ifndef BR_WORKER_PIPE_H
#define BR_WORKER_PIPE_H

#include <stdbool.h>

struct cJSON;

/* Move the pipes off fds 0 and 3 (close-on-exec), /dev/null on stdin;
 * -1 when fd 3 is not open (not started by a runner) or they cannot be. */
int brc_worker_pipes_open(void);
/* The spec line (malloc'd; NULL when the parent sent nothing). */
char *brc_worker_read_spec(void);
/* Send msg and block until the parent says go; false when it is gone. */
bool brc_worker_handshake(const char *msg);
/* Write the report (its JSON) and close the report pipe. */
void brc_worker_send_report(struct cJSON *r);

#endif /* BR_WORKER_PIPE_H */

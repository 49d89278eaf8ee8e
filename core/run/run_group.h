/*
 * run_group.h - the worker's process group, for run_spawn.c: how the
 * worker process starts, and how everything it started is ended.
 */
#ifndef BR_RUN_GROUP_H
#define BR_RUN_GROUP_H

#include <stddef.h>
#include <sys/types.h>

#include "run/cgroup.h"
#include "run/runner.h"

/* In the forked child: its own process group, inside cg (when it has a
 * version), dies with `parent`, signals back to default, fds 0-3 wired
 * (stdin in_fd, stdout and stderr out_fd, the report pipe rep_fd on 3),
 * then `exe __worker`.  Never returns (exit status 127 on failure). */
_Noreturn void brc_group_exec_worker(const char *exe, int in_fd, int out_fd,
                                     int rep_fd, pid_t parent,
                                     const struct brc_cgroup *cg);

/* After the run: kill the worker's process group and reap it (the
 * worker's wait status into o when it had not been reaped), kill what is
 * left in cg, then every child of ours not in before[] (escaped
 * descendants, reparented to us as the subreaper). */
void brc_group_reap(pid_t pid, struct brc_spawn_out *o,
                    const struct brc_cgroup *cg, const pid_t *before,
                    size_t n_before);

#endif /* BR_RUN_GROUP_H */

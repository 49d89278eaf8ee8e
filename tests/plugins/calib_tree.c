/*
 * calib_tree.c - ground truth for the memory of a process tree: forks
 * `children` processes that each touch `mib` MiB, then all hold it
 * together for `hold` seconds (a barrier: none lets go before the last
 * one has touched its memory, however slowly a busy machine forks), then
 * exit.  With `orphan`, each child instead starts a grandchild in a new
 * session (setsid) and exits at once: the orphan touches and holds the
 * memory, and the run waits for it.  So the tree's peak is known: the
 * harness plus children x mib MiB plus what each process costs the
 * kernel (measured by a run with mib = 0).
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "calib.h"

struct opts {
	int64_t children, mib;
	double hold;
	bool orphan;
};

CALIB_CREATE(struct opts)

/* Touch, tell the parent (ready pipe), wait for everyone (barrier pipe
 * reaches EOF), hold, tell the run it is done, exit. */
static void holder(const struct opts *o, int ready, int barrier, int done)
{
	size_t len = (size_t)o->mib << 20;
	char *p = len ? malloc(len) : NULL, c;
	struct timespec ts = { (time_t)o->hold,
	                       (long)((o->hold - (time_t)o->hold) * 1e9) };

	if (len && !p)
		_exit(1);
	if (p)
		memset(p, 0x5a, len);
	/* Keep the compiler from dropping the unused buffer. */
	__asm__ volatile("" : : "r"(p) : "memory");
	if (write(ready, "r", 1) != 1)
		_exit(1);
	while (read(barrier, &c, 1) > 0)
		;
	nanosleep(&ts, NULL);
	if (done >= 0 && write(done, "d", 1) != 1)
		_exit(1);
	_exit(0);
}

static int calib_run(void *state, struct br_run *run)
{
	const struct opts *o = (const void *)((struct calib *)state)->opts;
	int ready[2], barrier[2], done[2], rc = 0, st;
	int64_t started = 0;
	char c;

	(void)run;
	if (pipe(ready) || pipe(barrier) || pipe(done))
		return -1;
	for (int64_t i = 0; i < o->children; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			rc = -1;
			break;
		}
		if (pid)
			continue;
		close(barrier[1]);
		close(ready[0]);
		close(done[0]);
		if (!o->orphan)
			holder(o, ready[1], barrier[0], -1);
		if (fork() == 0) {
			setsid();
			holder(o, ready[1], barrier[0], done[1]);
		}
		_exit(0); /* the grandchild is an orphan now */
	}
	close(ready[1]);
	close(barrier[0]);
	close(done[1]);
	/* Everyone has touched its memory before anyone lets go. */
	while (started < o->children && read(ready[0], &c, 1) == 1)
		started++;
	close(barrier[1]);
	if (started < o->children)
		rc = -1;
	for (int64_t i = 0; o->orphan && i < started; i++)
		if (read(done[0], &c, 1) != 1)
			rc = -1;
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			rc = -1;
	close(ready[0]);
	close(done[0]);
	return rc;
}

static const struct br_param params[] = {
	{ "children", BR_PARAM_INT, offsetof(struct opts, children), "4", 0,
	  2000, "processes to fork" },
	{ "mib", BR_PARAM_INT, offsetof(struct opts, mib), "16", 0, 1024,
	  "MiB each one touches" },
	{ "hold", BR_PARAM_DURATION, offsetof(struct opts, hold), "0.3", 0, 60,
	  "how long they hold it together" },
	{ "orphan", BR_PARAM_BOOL, offsetof(struct opts, orphan), "false", 0, 0,
	  "hold it in a setsid grandchild whose parent has exited" },
	{ NULL },
};

const struct br_plugin benchrun_plugin = {
	BR_PLUGIN_HEADER,
	.name = "calib_tree",
	.description = "a tree of processes holding known memory together",
	.params = params,
	.opts_size = sizeof(struct opts),
	.create = calib_create,
	.run = calib_run,
	.destroy = calib_destroy,
};

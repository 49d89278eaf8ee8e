/*
 * loader_probe.c - describe a plugin without loading it into benchrun.
 *
 * dlopen runs the plugin's constructors (and its libraries'), and a
 * constructor can do anything: crash, exit(0), hang.  benchrun's own
 * process only needs the descriptor (names, parameter table) for
 * `plugins`, `validate` and planning a run, so a child process loads the
 * plugin, checks it with brc_plugin_open and sends the checked descriptor
 * back as JSON; the parent rebuilds it (with no hooks: only the worker,
 * another process, calls them).  A child that dies, exits without an
 * answer or takes longer than the timeout becomes an error that names the
 * plugin and what went wrong.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/loader.h"
#include "util.h"

/* The child: load, check, describe on fd `out`, never return. */
static void describe_child(const char *name, const char *base_dir,
                           const char *extra, int out)
{
	struct brc_loaded pl;
	cJSON *j = cJSON_CreateObject();
	char *err = NULL, *text;
	size_t len, off = 0;
	ssize_t n;

	/* Whatever a constructor prints must not mix with benchrun's own
	 * output on stdout. */
	dup2(STDERR_FILENO, STDOUT_FILENO);
	if (brc_plugin_open(name, base_dir, extra, &pl, &err)) {
		cJSON_AddStringToObject(j, "error", err);
	} else {
		const struct br_plugin *d = pl.desc;
		cJSON *params = cJSON_AddArrayToObject(j, "params");

		cJSON_AddStringToObject(j, "path", pl.path);
		cJSON_AddStringToObject(j, "name", d->name);
		if (d->description)
			cJSON_AddStringToObject(j, "description", d->description);
		cJSON_AddNumberToObject(j, "abi_major", d->abi_major);
		cJSON_AddNumberToObject(j, "abi_minor", d->abi_minor);
		cJSON_AddNumberToObject(j, "opts_size", (double)d->opts_size);
		cJSON_AddNumberToObject(j, "flags", d->flags);
		for (const struct br_param *p = d->params; p && p->name; p++) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "name", p->name);
			cJSON_AddNumberToObject(o, "type", p->type);
			cJSON_AddNumberToObject(o, "offset", (double)p->offset);
			if (p->def)
				cJSON_AddStringToObject(o, "def", p->def);
			cJSON_AddNumberToObject(o, "min", p->min);
			cJSON_AddNumberToObject(o, "max", p->max);
			if (p->help)
				cJSON_AddStringToObject(o, "help", p->help);
			cJSON_AddNumberToObject(o, "flags", p->flags);
			cJSON_AddItemToArray(params, o);
		}
	}
	text = cJSON_PrintUnformatted(j);
	len = text ? strlen(text) : 0;
	while (off < len) {
		n = write(out, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	/* Freed although the process ends: valgrind (the CI's valgrind
	 * job) reports what a child leaves unreachable. */
	free(text);
	cJSON_Delete(j);
	free(err);
	/* _exit: no atexit handlers or destructors of the plugin's, and
	 * nothing of the parent's flushed twice. */
	_exit(0);
}

static char *dup_str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(o, key));

	return s ? brc_xstrdup(s) : NULL;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* The descriptor the child sent, rebuilt (no hooks), into *out. */
static int rebuild(const cJSON *j, struct brc_loaded *out)
{
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(j, "params");
	struct br_plugin *d = brc_xcalloc(1, sizeof(*d));
	struct br_param *p;
	const cJSON *o;
	size_t k = 0;

	d->magic = BR_PLUGIN_MAGIC;
	d->size = sizeof(*d);
	d->param_size = sizeof(struct br_param);
	d->abi_major = (uint16_t)num(j, "abi_major");
	d->abi_minor = (uint16_t)num(j, "abi_minor");
	d->opts_size = (size_t)num(j, "opts_size");
	d->flags = (uint32_t)num(j, "flags");
	d->name = dup_str(j, "name");
	d->description = dup_str(j, "description");
	p = brc_xcalloc((size_t)cJSON_GetArraySize(params) + 1, sizeof(*p));
	cJSON_ArrayForEach(o, params) {
		if (!cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(o, "name")))
			break;
		p[k].name = dup_str(o, "name");
		p[k].type = (enum br_param_type)num(o, "type");
		p[k].offset = (size_t)num(o, "offset");
		p[k].def = dup_str(o, "def");
		p[k].min = num(o, "min");
		p[k].max = num(o, "max");
		p[k].help = dup_str(o, "help");
		p[k].flags = (uint32_t)num(o, "flags");
		k++;
	}
	d->params = p;
	out->desc = d;
	out->path = dup_str(j, "path");
	out->described = true;
	return d->name && out->path ? 0 : -1;
}

/* Read the child's answer until EOF, the deadline or its death. */
static void read_answer(int fd, pid_t pid, double timeout, struct brc_buf *b,
                        bool *timed_out)
{
	uint64_t deadline = brc_now_ns() + (uint64_t)(timeout * 1e9);
	char chunk[4096];

	for (;;) {
		uint64_t now = brc_now_ns();
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (now >= deadline) {
			*timed_out = true;
			kill(pid, SIGKILL);
			return;
		}
		if (poll(&p, 1, (int)((deadline - now) / 1000000u) + 1) <= 0)
			continue; /* EINTR or the deadline: checked above */
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		brc_buf_append(b, chunk, (size_t)n);
	}
}

int brc_plugin_describe(const char *name, const char *base_dir,
                        const char *extra, double timeout,
                        struct brc_loaded *out, char **err)
{
	struct brc_buf b = { 0 };
	bool timed_out = false;
	cJSON *j = NULL;
	const char *msg;
	int fds[2], st = 0, rc = -1;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	if (pipe2(fds, O_CLOEXEC)) {
		*err = brc_xasprintf("cannot describe plugin '%s': pipe: %s",
		                    name, strerror(errno));
		return -1;
	}
	fflush(NULL); /* nothing buffered may be written twice */
	pid = fork();
	if (pid < 0) {
		*err = brc_xasprintf("cannot describe plugin '%s': fork: %s",
		                    name, strerror(errno));
		goto fail_pipe;
	}
	if (pid == 0) {
		close(fds[0]);
		describe_child(name, base_dir, extra, fds[1]);
	}
	close(fds[1]);
	fds[1] = -1;
	read_answer(fds[0], pid, timeout, &b, &timed_out);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (timed_out) {
		*err = brc_xasprintf("plugin '%s' did not finish loading within "
		                    "%g s (does a constructor of it or of a "
		                    "library it uses hang?)", name, timeout);
		goto fail_pipe;
	}
	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);

		*err = brc_xasprintf("plugin '%s' crashed while loading (SIG%s, "
		                    "%s): a constructor of it or of a library it "
		                    "uses is broken", name,
		                    sigabbrev_np(sig) ? sigabbrev_np(sig) : "?",
		                    strsignal(sig));
		goto fail_pipe;
	}
	j = b.data ? cJSON_Parse(b.data) : NULL;
	if (!j) {
		*err = brc_xasprintf("plugin '%s' ended the process that loaded "
		                    "it (exit status %d, no description): a "
		                    "constructor of it or of a library it uses "
		                    "calls exit?", name,
		                    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		goto fail_pipe;
	}
	msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "error"));
	if (msg) {
		*err = brc_xstrdup(msg);
	} else if (rebuild(j, out)) {
		brc_plugin_close(out);
		*err = brc_xasprintf("plugin '%s': the loading process sent a "
		                    "description benchrun cannot read", name);
	} else {
		rc = 0;
	}
	cJSON_Delete(j);
fail_pipe:
	close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	brc_buf_free(&b);
	return rc;
}

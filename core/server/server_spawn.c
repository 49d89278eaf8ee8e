/*
 * server_spawn.c - the embedded server as a child process of benchrun:
 * fork (no exec, so the scenario needs no re-parsing), wait for its ready
 * line, ask it for its counters and its CPU/RSS, reset it, stop it.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "server/server.h"
#include "util.h"

#define READY_TIMEOUT_MS 10000
#define STOP_WAIT_MS 2000
#define QUERY_TIMEOUT_MS 3000

/* The child: die with the parent, serve, never return into the parent's
 * code (its atexit handlers and stdio buffers are not ours). */
BR_NORETURN static void child_main(const struct brc_scenario *sc,
                                   pid_t parent, int ready_fd)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	/* A name of its own in ps/top (and for tests that must tell the
	 * server from a worker forked a moment ago, which still shares
	 * benchrun's process group until it calls setpgid). */
	prctl(PR_SET_NAME, "benchrun-server");
	/* The parent may have died before prctl: then nobody would ever
	 * send the signal. */
	if (getppid() != parent)
		_exit(BR_EXIT_FAIL);
	_exit(brc_server_run(sc, sc->server.host, sc->server.port, ready_fd));
}

/* Read the ready line ("PORT" or "error: ...") within the timeout. */
static int read_ready(int fd, char *line, size_t len)
{
	uint64_t deadline = brc_now_ns() + READY_TIMEOUT_MS * 1000000ULL;
	size_t got = 0;
	ssize_t n;

	while (got + 1 < len) {
		uint64_t now = brc_now_ns();
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (now >= deadline)
			return -1;
		if (poll(&p, 1, (int)((deadline - now) / 1000000 + 1)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		n = read(fd, line + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(line, '\n', got))
			break;
	}
	line[got] = '\0';
	line[strcspn(line, "\n")] = '\0';
	return got ? 0 : -1;
}

static char *base_url(const char *host, int port)
{
	/* A wildcard bind is reached through loopback. */
	if (!host || !*host || !strcmp(host, "0.0.0.0") || !strcmp(host, "::"))
		host = "127.0.0.1";
	return brc_xasprintf(strchr(host, ':') ? "http://[%s]:%d" :
	                    "http://%s:%d", host, port);
}

int brc_server_spawn(const struct brc_scenario *sc, struct brc_server_proc *out)
{
	char line[512];
	int fds[2];
	long port;
	pid_t pid, parent = getpid();

	memset(out, 0, sizeof(*out));
	if (pipe2(fds, O_CLOEXEC)) {
		brc_error("cannot start the server: pipe: %s", strerror(errno));
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		brc_error("cannot start the server: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child_main(sc, parent, fds[1]);
	}
	close(fds[1]);
	if (read_ready(fds[0], line, sizeof(line))) {
		brc_error("the server did not start within %d s",
		         READY_TIMEOUT_MS / 1000);
		goto fail;
	}
	if (!strncmp(line, "error: ", 7)) {
		brc_error("%s", line + 7);
		goto fail;
	}
	port = strtol(line, NULL, 10);
	if (port <= 0 || port > 65535) {
		brc_error("the server answered '%s' instead of its port", line);
		goto fail;
	}
	close(fds[0]);
	out->pid = pid;
	out->port = (int)port;
	out->base_url = base_url(sc->server.host, (int)port);
	brc_debug("server: pid %d at %s", (int)pid, out->base_url);
	return 0;

fail:
	close(fds[0]);
	out->pid = pid;
	brc_server_stop(out);
	return -1;
}

static size_t collect(char *data, size_t size, size_t n, void *cls)
{
	brc_buf_append(cls, data, size * n);
	return size * n;
}

/* GET or POST base_url + path; the body in *body.  Returns 0 on HTTP
 * 200, else -1. */
static int control_request(const struct brc_server_proc *srv,
                           const char *path, bool post, struct brc_buf *body)
{
	CURL *c = curl_easy_init();
	char *url;
	long status = 0;
	CURLcode rc;

	if (!c)
		return -1;
	url = brc_xasprintf("%s%s", srv->base_url, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)QUERY_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	if (post) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	else
		brc_warn("server: %s: %s", url, curl_easy_strerror(rc));
	curl_easy_cleanup(c);
	free(url);
	return rc == CURLE_OK && status == 200 ? 0 : -1;
}

static uint64_t json_u64(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) && v->valuedouble > 0 ?
	       (uint64_t)v->valuedouble : 0;
}

/* utime + stime (fields 14 and 15 of /proc/PID/stat) and VmRSS. */
static void proc_usage(pid_t pid, double *cpu, int64_t *rss)
{
	char path[64], *text, *p;
	unsigned long long ut, st;
	long long kb;

	*cpu = 0;
	*rss = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	text = brc_read_file(path, 1 << 16, NULL);
	/* The command name may hold spaces and ')': skip past the last. */
	if (text && (p = strrchr(text, ')')) &&
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
	           &ut, &st) == 2)
		*cpu = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	free(text);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	text = brc_read_file(path, 1 << 16, NULL);
	if (text && (p = strstr(text, "\nVmRSS:")) &&
	    sscanf(p + 7, "%lld", &kb) == 1)
		*rss = kb * 1024;
	free(text);
}

int brc_server_query(const struct brc_server_proc *srv,
                    struct brc_server_stats *st)
{
	struct brc_buf body = { 0 };
	cJSON *o;

	memset(st, 0, sizeof(*st));
	if (!srv->base_url || control_request(srv, "/_benchrun/stats", false,
	                                      &body)) {
		brc_buf_free(&body);
		return -1;
	}
	o = cJSON_ParseWithLength(body.data, body.len);
	brc_buf_free(&body);
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return -1;
	}
	st->requests = json_u64(o, "requests");
	st->errors = json_u64(o, "errors");
	st->resets = json_u64(o, "resets");
	st->truncated = json_u64(o, "truncated");
	st->refused = json_u64(o, "refused");
	st->queued_max = json_u64(o, "queued_max");
	st->h2_max_streams = json_u64(o, "h2_max_streams");
	st->late_p50 = (double)json_u64(o, "late_p50_us") * 1e-6;
	st->late_p99 = (double)json_u64(o, "late_p99_us") * 1e-6;
	cJSON_Delete(o);
	proc_usage(srv->pid, &st->cpu, &st->rss);
	return 0;
}

int brc_server_reset(const struct brc_server_proc *srv)
{
	struct brc_buf body = { 0 };
	int rc = srv->base_url ? control_request(srv, "/_benchrun/reset",
	                                         true, &body) : -1;

	brc_buf_free(&body);
	return rc;
}

int brc_server_stop(struct brc_server_proc *srv)
{
	uint64_t deadline = brc_now_ns() + STOP_WAIT_MS * 1000000ULL;
	struct timespec pause = { 0, 5000000 };
	pid_t r = 0;
	int status = 0;

	if (srv->pid > 0) {
		kill(srv->pid, SIGTERM);
		while ((r = waitpid(srv->pid, &status, WNOHANG)) == 0 &&
		       brc_now_ns() < deadline)
			nanosleep(&pause, NULL);
		if (r == 0) {
			brc_warn("server (pid %d) did not stop within %d s: "
			        "killing it", (int)srv->pid, STOP_WAIT_MS / 1000);
			kill(srv->pid, SIGKILL);
			waitpid(srv->pid, &status, 0);
		}
	}
	free(srv->base_url);
	srv->base_url = NULL;
	srv->pid = 0;
	srv->port = 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

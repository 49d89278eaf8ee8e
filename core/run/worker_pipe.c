/*
 * worker_pipe.c - the worker's pipes to its parent (worker_pipe.h; the
 * parent's side is run_spawn.c): the spec line on stdin, the "ready" and
 * "end" handshakes, the report on fd 3.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/worker_pipe.h"
#include "util.h"

#define REPORT_FD 3

/* The two pipes to the parent, moved off fds 0 and 3 (see hide_pipes). */
static int ctl_in = -1, ctl_out = -1;

/* Bytes read from ctl_in after the spec line (the parent sends nothing
 * before the first handshake, but a read never assumes so): handshake()
 * takes them first. */
static char ctl_pending[64];
static size_t ctl_pending_len;

/* The spec line, read in chunks rather than a byte per read(): a spec
 * carries the scenario's values and may be large. */
static char *read_line(int fd)
{
	struct brc_buf b = { 0 };
	char chunk[16384];
	ssize_t n;

	for (;;) {
		char *nl;

		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		nl = memchr(chunk, '\n', (size_t)n);
		if (!nl) {
			brc_buf_append(&b, chunk, (size_t)n);
			continue;
		}
		brc_buf_append(&b, chunk, (size_t)(nl - chunk));
		ctl_pending_len = (size_t)(chunk + n - (nl + 1));
		if (ctl_pending_len > sizeof(ctl_pending))
			ctl_pending_len = sizeof(ctl_pending); /* not our protocol */
		memcpy(ctl_pending, nl + 1, ctl_pending_len);
		break;
	}
	return b.data;
}

/* Block until the parent says go; false when it has gone away. */
bool brc_worker_handshake(const char *msg)
{
	char c;
	ssize_t n;

	if (write(ctl_out, msg, strlen(msg)) < 0)
		return false;
	if (ctl_pending_len) {
		memmove(ctl_pending, ctl_pending + 1, --ctl_pending_len);
		return true;
	}
	do
		n = read(ctl_in, &c, 1);
	while (n < 0 && errno == EINTR);
	return n == 1;
}

/*
 * Move the control pipes to close-on-exec descriptors and put /dev/null on
 * stdin: programs a strategy starts (the exec plugin) must neither read
 * the parent's "go" bytes nor keep the report pipe open.
 */
static int hide_pipes(void)
{
	int null;

	ctl_in = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 10);
	ctl_out = fcntl(REPORT_FD, F_DUPFD_CLOEXEC, 10);
	if (ctl_in < 0 || ctl_out < 0)
		return -1;
	close(REPORT_FD);
	null = open("/dev/null", O_RDONLY);
	if (null >= 0 && null != STDIN_FILENO) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	return 0;
}

int brc_worker_pipes_open(void)
{
	if (fcntl(REPORT_FD, F_GETFD) < 0)
		return -1;
	return hide_pipes();
}

char *brc_worker_read_spec(void)
{
	return read_line(ctl_in);
}

void brc_worker_send_report(cJSON *r)
{
	char *text = cJSON_PrintUnformatted(r);
	size_t len = strlen(text), off = 0;
	ssize_t n;

	while (off < len) {
		n = write(ctl_out, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(ctl_out);
	cJSON_free(text);
}

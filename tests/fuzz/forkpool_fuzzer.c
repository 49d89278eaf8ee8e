/*
 * forkpool_fuzzer.c - libFuzzer target over forkpool's wire format as the
 * parent reads it (plugins/forkpool_wire.c): a child that writes garbage,
 * lies about lengths or indices, or stops mid-frame must make fpw_read
 * fail or dispatch only requests below the count, never crash.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forkpool_wire.h"

#define COUNT 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *url(const struct br_run *r, size_t i)
{
	(void)r;
	(void)i;
	return "http://127.0.0.1/";
}

static void start(struct br_run *r, size_t i)
{
	(void)r;
	if (i >= COUNT)
		abort();
}

static int body(struct br_run *r, size_t i, const void *d, size_t n)
{
	(void)r;
	if (i >= COUNT || (n && !d))
		abort();
	return 0;
}

static int done(struct br_run *r, size_t i, int status, const char *err)
{
	(void)r;
	(void)status;
	if (i >= COUNT || (err && strlen(err) > 255))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct br_host host = { .url = url, .start = start, .body = body,
	                        .done = done };
	uint8_t req[COUNT] = { 0 };
	struct fpw_parent w = { .host = &host, .n = COUNT, .req = req };
	struct fpw_proc p = { .fd = -1 };
	int fds[2];

	/* The parent reads a pipe: give it one holding the input (a pipe
	 * holds 64 KiB, run.sh caps inputs at that). */
	if (size > 65536 || pipe(fds))
		return 0;
	if (write(fds[1], data, size) != (ssize_t)size)
		abort();
	close(fds[1]);
	p.fd = fds[0];
	while (fpw_read(&w, &p) == 0)
		;
	fpw_release(&w, UINT64_MAX);
	close(fds[0]);
	free(p.buf);
	free(w.held);
	return 0;
}

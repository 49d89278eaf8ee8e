/*
 * exec_fuzzer.c - libFuzzer target over the exec plugin's record parser
 * (plugins/exec_proto.c): whatever a program prints, in whatever pieces
 * the pipe delivers it, the parser calls back only with indices below the
 * request count and body bytes inside what it was given, and never reads
 * past the buffer.  The first input byte sets the size of the pieces.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exec_proto.h"

#define COUNT 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *lo, *hi; /* the piece being parsed */

static void on_ready(void *cls)
{
	(void)cls;
}

static void on_log(void *cls, const char *text)
{
	(void)cls;
	(void)strlen(text);
}

static void check(size_t i)
{
	if (i >= COUNT)
		abort();
}

static void on_start(void *cls, size_t i)
{
	(void)cls;
	check(i);
}

static void on_body(void *cls, size_t i, const char *d, size_t n)
{
	(void)cls;
	check(i);
	if (!n || d < lo || d + n > hi)
		abort();
}

static void on_done(void *cls, size_t i, int status, const char *error)
{
	(void)cls;
	check(i);
	if (status < 0 || status > 999 || (error && !*error))
		abort(); /* an error record always has a reason */
}

static void on_summary(void *cls, size_t i, int status, const char *f)
{
	(void)cls;
	(void)f;
	check(i);
	if (status < 0 || status > 999)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct brexec_parser p = {
		.count = COUNT, .ready = on_ready, .log = on_log, .start = on_start,
		.body = on_body, .done = on_done, .summary = on_summary,
	};
	size_t piece, have = 0, fed = 0;
	char *buf;

	if (!size)
		return 0;
	piece = (size_t)data[0] + 1;
	data++;
	size--;
	/* Like exec.c: bytes arrive in pieces, the unparsed rest is kept. */
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	while (fed < size) {
		size_t n = size - fed < piece ? size - fed : piece, used;

		memcpy(buf + have, data + fed, n);
		fed += n;
		have += n;
		lo = buf;
		hi = buf + have;
		used = brexec_parse(&p, buf, have);
		if (used > have)
			abort();
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	free(p.garbage);
	free(p.broken);
	free(buf);
	return 0;
}

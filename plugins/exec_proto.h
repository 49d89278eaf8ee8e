/*
 * exec_proto.h - the exec plugin's record parser (docs/exec-protocol.md),
 * apart from its pipes and processes so that tests/fuzz/ can feed it any
 * bytes: what the program printed goes in, calls to the callbacks come
 * out, and a line that is no record is kept as the run's reason.
 */
#ifndef BR_PLUGINS_EXEC_PROTO_H
#define BR_PLUGINS_EXEC_PROTO_H

#include <stddef.h>

struct brexec_parser {
	size_t count;          /* requests: indices are below this          */
	void *cls;             /* first argument of every callback          */
	void (*ready)(void *cls);
	void (*log)(void *cls, const char *text);
	void (*start)(void *cls, size_t i);
	void (*body)(void *cls, size_t i, const char *data, size_t n);
	void (*done)(void *cls, size_t i, int status, const char *error);
	void (*summary)(void *cls, size_t i, int status, const char *fields);
	/* State between calls. */
	size_t body_left;      /* > 0: inside a body record (and its '\n') */
	size_t body_index;
	int body_status;
	unsigned long line_no;
	char *garbage;         /* first unparseable line (malloc'd)         */
	size_t scanned;        /* bytes of a partial line already searched  */
	char *broken;          /* a protocol error after which nothing read
	                          can be trusted (malloc'd): the caller stops
	                          the program and fails the run             */
};

/* Longest record line (a body's bytes are counted, not scanned): a line is
 * a few numbers and a summary or a message; a program that prints more
 * without a newline is broken, and reading on would only grow the buffer. */
#define BREXEC_MAX_LINE 65536
/* Largest body length a record may announce (the core's max_body stops
 * far smaller bodies; this only keeps the arithmetic sane). */
#define BREXEC_MAX_BODY (1ULL << 40)

/* Consume the complete records at the start of buf[0, len) (lines are
 * changed in place) and return how many bytes were used; the caller keeps
 * the rest for the next call (a partial line is not searched again).
 * Stops at once when p->broken is set. */
size_t brexec_parse(struct brexec_parser *p, char *buf, size_t len);

#endif /* BR_PLUGINS_EXEC_PROTO_H */

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
};

/* Consume the complete records at the start of buf[0, len) (lines are
 * changed in place) and return how many bytes were used; the caller keeps
 * the rest for the next call. */
size_t brexec_parse(struct brexec_parser *p, char *buf, size_t len);

#endif /* BR_PLUGINS_EXEC_PROTO_H */

/*
 * exec_proto.c - the exec plugin's record parser (exec_proto.h): one
 * record per line, "body" records followed by their bytes.
 */
#include "exec_proto.h"

#include <stdlib.h>
#include <string.h>

static void note_garbage(struct brexec_parser *p, const char *line)
{
	if (!p->garbage)
		p->garbage = strdup(line);
}

/* Parse "I STATUS" at s; returns the rest of the line or NULL. */
static char *index_status(const struct brexec_parser *p, char *s, size_t *i,
                          int *status)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	long st;

	if (end == s || *end != ' ' || v >= p->count)
		return NULL;
	*i = (size_t)v;
	s = end + 1;
	st = strtol(s, &end, 10);
	if (end == s || (*end != ' ' && *end != '\0') || st < 0 || st > 999)
		return NULL;
	*status = (int)st;
	return *end ? end + 1 : end;
}

static void handle_line(struct brexec_parser *p, char *line)
{
	char *rest, *end;
	size_t i;
	int status;

	p->line_no++;
	if (!strcmp(line, "ready")) {
		p->ready(p->cls);
	} else if (!strncmp(line, "log ", 4)) {
		p->log(p->cls, line + 4);
	} else if (!strncmp(line, "start ", 6)) {
		unsigned long long v = strtoull(line + 6, &end, 10);

		if (end == line + 6 || *end || v >= p->count)
			note_garbage(p, line);
		else
			p->start(p->cls, (size_t)v);
	} else if (!strncmp(line, "summary ", 8) &&
	           (rest = index_status(p, line + 8, &i, &status))) {
		p->summary(p->cls, i, status, rest);
	} else if (!strncmp(line, "error ", 6) &&
	           (rest = index_status(p, line + 6, &i, &status))) {
		p->done(p->cls, i, status, *rest ? rest : "error");
	} else if (!strncmp(line, "body ", 5) &&
	           (rest = index_status(p, line + 5, &i, &status))) {
		unsigned long long len = strtoull(rest, &end, 10);

		if (end == rest || *end) {
			note_garbage(p, line);
			return;
		}
		p->body_index = i;
		p->body_status = status;
		p->body_left = (size_t)len + 1; /* the body, then '\n' */
	} else {
		note_garbage(p, line);
	}
}

size_t brexec_parse(struct brexec_parser *p, char *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		if (p->body_left) {
			size_t n = len - off;

			if (n > p->body_left)
				n = p->body_left;
			/* The last byte of a body record is its '\n'. */
			size_t data = n == p->body_left ? n - 1 : n;

			if (data)
				p->body(p->cls, p->body_index, buf + off, data);
			off += n;
			p->body_left -= n;
			if (!p->body_left)
				p->done(p->cls, p->body_index, p->body_status, NULL);
			continue;
		}
		char *nl = memchr(buf + off, '\n', len - off);

		if (!nl)
			break;
		*nl = '\0';
		handle_line(p, buf + off);
		off = (size_t)(nl - buf) + 1;
	}
	return off;
}

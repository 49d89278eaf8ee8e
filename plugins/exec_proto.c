/*
 * exec_proto.c - the exec plugin's record parser (exec_proto.h): one
 * record per line, "body" records followed by their bytes.
 */
#include "exec_proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void note_garbage(struct brexec_parser *p, const char *line)
{
	if (!p->garbage)
		p->garbage = strdup(line);
}

static void note_broken(struct brexec_parser *p, const char *why)
{
	if (!p->broken)
		p->broken = strdup(why);
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
		unsigned long long len;
		char why[160];

		errno = 0;
		len = strtoull(rest, &end, 10);
		/* strtoull takes "-1" (as ULLONG_MAX), "+5" and " 5": digits
		 * only, and a length that fits. */
		if (*rest < '0' || *rest > '9' || end == rest || *end ||
		    errno == ERANGE || len > BREXEC_MAX_BODY) {
			snprintf(why, sizeof(why), "line %lu: body length '%.40s' "
			         "is not a byte count (0..%llu)", p->line_no,
			         rest, BREXEC_MAX_BODY);
			note_broken(p, why);
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

	while (off < len && !p->broken) {
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
			if (p->body_left)
				continue;
			if (buf[off - 1] != '\n') {
				char why[120];

				snprintf(why, sizeof(why), "the body of request "
				         "%zu is not followed by a newline (its "
				         "length is wrong?)", p->body_index);
				note_broken(p, why);
				p->done(p->cls, p->body_index, 0,
				        "exec: body record without its newline");
				break;
			}
			p->done(p->cls, p->body_index, p->body_status, NULL);
			continue;
		}
		size_t from = off + p->scanned;
		char *nl = from < len ? memchr(buf + from, '\n', len - from)
		                      : NULL;

		if (!nl) {
			p->scanned = len - off;
			if (p->scanned > BREXEC_MAX_LINE)
				note_broken(p, "a line longer than 64 KiB without "
				            "a newline");
			break;
		}
		p->scanned = 0;
		*nl = '\0';
		handle_line(p, buf + off);
		off = (size_t)(nl - buf) + 1;
	}
	return off;
}

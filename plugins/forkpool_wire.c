/*
 * forkpool_wire.c - forkpool's frames: the child's proxy host that writes
 * them, and the parent's reader that turns them back into host calls,
 * holding done() back as forkpool_wire.h explains.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "brcurl.h"
#include "forkpool_wire.h"

enum { FRAME_START = 1, FRAME_BODY, FRAME_DONE };
#define FRAME_MAX_PAYLOAD (1u << 20)
#define FLUSH_AT (64u << 10)

/* A frame header; `len` payload bytes follow (a body chunk, or the error
 * text of a DONE, 0 bytes meaning no error).  Both ends are the same
 * binary, so the layout needs no byte-order care. */
struct frame {
	uint64_t i;
	uint64_t elapsed_ns; /* DONE: the child's latency of the request */
	uint32_t kind;
	int32_t status;
	uint32_t len;
	uint32_t pad;
};

/* ---- the child ------------------------------------------------------- */

void fpw_child_flush(struct fpw_child *c)
{
	size_t off = 0;
	ssize_t w;

	while (!c->broken && off < c->len) {
		w = write(c->fd, c->buf + off, c->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			c->broken = true;
		else
			off += (size_t)w;
	}
	c->len = 0;
}

/* Queue frame f and its f->len payload bytes; flush unless it is body
 * (START and DONE must reach the parent at once: they time the request). */
static void child_frame(struct fpw_child *c, const struct frame *f,
                        const void *data)
{
	size_t need = c->len + sizeof(*f) + f->len;

	if (need > c->cap) {
		char *p = realloc(c->buf, need * 2);

		if (!p) {
			c->broken = true;
			return;
		}
		c->buf = p;
		c->cap = need * 2;
	}
	memcpy(c->buf + c->len, f, sizeof(*f));
	if (f->len)
		memcpy(c->buf + c->len + sizeof(*f), data, f->len);
	c->len = need;
	if (f->kind != FRAME_BODY || c->len >= FLUSH_AT)
		fpw_child_flush(c);
}

/* The proxy host's `run` is really the child: cast back here only. */
struct br_run *fpw_child_run(struct fpw_child *c)
{
	return (struct br_run *)(void *)c;
}

static const char *child_url(const struct br_run *r, size_t i)
{
	const struct fpw_child *c = (const void *)r;

	return c->host->url(c->run, i);
}

static void child_start(struct br_run *r, size_t i)
{
	struct fpw_child *c = (void *)r;
	struct frame f = { .i = i, .kind = FRAME_START };

	if (!c->t0) /* a retry keeps the first start */
		c->t0 = brcurl_now_ns();
	child_frame(c, &f, NULL);
}

static int child_body(struct br_run *r, size_t i, const void *d, size_t n)
{
	struct fpw_child *c = (void *)r;
	struct frame f = { .i = i, .kind = FRAME_BODY };

	for (size_t off = 0; off < n; off += f.len) {
		f.len = (uint32_t)(n - off < FRAME_MAX_PAYLOAD ?
		                   n - off : FRAME_MAX_PAYLOAD);
		child_frame(c, &f, (const char *)d + off);
	}
	return c->broken ? -1 : 0;
}

static int child_done(struct br_run *r, size_t i, int status, const char *err)
{
	struct fpw_child *c = (void *)r;
	struct frame f = {
		.i = i, .kind = FRAME_DONE, .status = status,
		.elapsed_ns = brcurl_now_ns() - c->t0,
		.len = err ? (uint32_t)strnlen(err, 255) : 0,
	};

	c->t0 = 0;
	child_frame(c, &f, err);
	return 0;
}

static void __attribute__((format(printf, 3, 4)))
child_log(struct br_run *r, enum br_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("benchrun: forkpool worker: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void fpw_child_init(struct fpw_child *c, struct br_host *proxy,
                    const struct br_host *host, struct br_run *run, int fd)
{
	*c = (struct fpw_child){ .host = host, .run = run, .fd = fd };
	*proxy = *host;
	proxy->url = child_url;
	proxy->start = child_start;
	proxy->body = child_body;
	proxy->done = child_done;
	proxy->log = child_log;
}

/* ---- the parent ------------------------------------------------------ */

void fpw_release(struct fpw_parent *w, uint64_t until)
{
	for (size_t k = 0; k < w->nheld;) {
		struct fpw_held *h = &w->held[k];

		if (h->due > until) {
			k++;
			continue;
		}
		w->host->done(w->run, h->i, h->status, h->err[0] ? h->err : NULL);
		*h = w->held[--w->nheld];
	}
}

uint64_t fpw_next_due(const struct fpw_parent *w)
{
	uint64_t due = 0;

	for (size_t k = 0; k < w->nheld; k++)
		if (!due || w->held[k].due < due)
			due = w->held[k].due;
	return due;
}

/* Report a DONE now, or hold it until the core's latency caught up with
 * the child's (without memory to hold it, report it now). */
static void parent_done(struct fpw_parent *w, const struct fpw_proc *p,
                        const struct frame *f, const char *data)
{
	struct fpw_held h = { (size_t)f->i, f->status, p->t0 + f->elapsed_ns, "" };
	bool hold = h.due > brcurl_now_ns();

	snprintf(h.err, sizeof(h.err), "%.*s", (int)f->len, data);
	if (hold && w->nheld == w->cap_held) {
		size_t cap = w->cap_held ? 2 * w->cap_held : 16;
		void *m = realloc(w->held, cap * sizeof(*w->held));

		if (m) {
			w->held = m;
			w->cap_held = cap;
		}
	}
	if (hold && w->nheld < w->cap_held)
		w->held[w->nheld++] = h;
	else
		w->host->done(w->run, h.i, h.status, h.err[0] ? h.err : NULL);
}

/* Handle one frame; -1 when it breaks the protocol. */
static int parent_frame(struct fpw_parent *w, struct fpw_proc *p,
                        const struct frame *f, const char *data)
{
	size_t i = (size_t)f->i;

	if (f->i >= w->n || (p->busy ? i != p->cur : f->kind != FRAME_START))
		return -1;
	switch (f->kind) {
	case FRAME_START:
		if (!p->busy) /* else a retry: latency runs from the first */
			p->t0 = brcurl_now_ns();
		w->req[i] = FPW_STARTED;
		p->busy = true;
		p->cur = i;
		w->host->start(w->run, i);
		return 0;
	case FRAME_BODY:
		if (!(w->req[i] & FPW_OVER) &&
		    w->host->body(w->run, i, data, f->len) < 0)
			w->req[i] |= FPW_OVER;
		return 0;
	case FRAME_DONE:
		w->req[i] = FPW_DONE;
		p->busy = false;
		parent_done(w, p, f, data);
		return 0;
	}
	return -1;
}

int fpw_read(struct fpw_parent *w, struct fpw_proc *p)
{
	struct frame f;
	size_t off = 0;
	ssize_t got;

	if (p->cap - p->len < FLUSH_AT) {
		char *b = realloc(p->buf, p->cap + 2 * FLUSH_AT);

		if (!b)
			return -1;
		p->buf = b;
		p->cap += 2 * FLUSH_AT;
	}
	do
		got = read(p->fd, p->buf + p->len, p->cap - p->len);
	while (got < 0 && errno == EINTR);
	if (got <= 0)
		return -1;
	p->len += (size_t)got;
	while (p->len - off >= sizeof(f)) {
		memcpy(&f, p->buf + off, sizeof(f));
		if (f.len > FRAME_MAX_PAYLOAD)
			return -1;
		if (p->len - off < sizeof(f) + f.len)
			break;
		if (parent_frame(w, p, &f, p->buf + off + sizeof(f)) < 0)
			return -1;
		off += sizeof(f) + f.len;
	}
	memmove(p->buf, p->buf + off, p->len - off);
	p->len -= off;
	return 0;
}

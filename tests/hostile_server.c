/*
 * hostile_server.c - a deliberately misbehaving TCP responder for the
 * hostile-server tests.  It is not an HTTP server: it reads until the end of
 * a request head and then writes canned bytes chosen to break clients in
 * one precise way (wrong Content-Length, endless drip, nested JSON, ...).
 * Runs on a thread of the test process, on 127.0.0.1, one connection at a
 * time, and stops after a bounded number of connections or when told.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hostile_server.h"
#include "workload/tickets.h"
#include "util.h"

struct hostile {
	enum hostile_mode mode;
	const struct brc_workload *w;
	int listen_fd;
	int port;
	volatile int stop;
	unsigned served;
	pthread_t thread;
};

static void write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		/* The client may hang up early: no SIGPIPE for the test process. */
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

/* Read the request head; returns the day index from "/t/<i>" or -1. */
static long read_request(int fd)
{
	char buf[4096];
	size_t len = 0;

	while (len < sizeof(buf) - 1) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);

		if (n <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n"))
			break;
	}
	char *p = strstr(buf, "/t/");
	return p ? strtol(p + 3, NULL, 10) : -1;
}

static void send_head(int fd, const char *status, long long content_length)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
	                 "HTTP/1.1 %s\r\nContent-Type: application/json\r\n"
	                 "Content-Length: %lld\r\nConnection: close\r\n\r\n",
	                 status, content_length);

	write_all(fd, head, (size_t)n);
}

static void respond(struct hostile *h, int fd, long day)
{
	struct brc_buf body = { 0 };

	if (day < 0)
		day = 0;
	brc_ticket_render(h->w, day, &body);
	switch (h->mode) {
	case HOSTILE_TRUNCATED: /* promises the whole body, sends half */
		send_head(fd, "200 OK", (long long)body.len);
		write_all(fd, body.data, body.len / 2);
		break;
	case HOSTILE_SHORT_LENGTH: /* Content-Length shorter than the body */
		send_head(fd, "200 OK", (long long)body.len / 2);
		write_all(fd, body.data, body.len);
		break;
	case HOSTILE_OVERSIZED: { /* 8 MiB of a valid-looking JSON string */
		static char chunk[65536];
		const long long total = 8LL << 20;

		memset(chunk, 'x', sizeof(chunk));
		send_head(fd, "200 OK", total);
		for (long long sent = 0; sent < total && !h->stop;
		     sent += (long long)sizeof(chunk))
			write_all(fd, chunk, sizeof(chunk));
		break;
	}
	case HOSTILE_NOT_JSON:
		send_head(fd, "200 OK", 26);
		write_all(fd, "<html>tickets soon</html>\n", 26);
		break;
	case HOSTILE_NESTED: { /* 100,000 levels of [ */
		const size_t depth = 100000;
		char *deep = brc_xmalloc(depth);

		memset(deep, '[', depth);
		send_head(fd, "200 OK", (long long)depth);
		write_all(fd, deep, depth);
		free(deep);
		break;
	}
	case HOSTILE_DRIP: /* one byte a second, forever (until stopped) */
		send_head(fd, "200 OK", (long long)body.len);
		for (size_t i = 0; i < body.len && !h->stop; i++) {
			write_all(fd, body.data + i, 1);
			poll(NULL, 0, 1000);
		}
		break;
	case HOSTILE_CLOSE: /* accept, read, close without a word */
		break;
	case HOSTILE_DIES: /* a good answer, then the server is killed */
		send_head(fd, "200 OK", (long long)body.len);
		write_all(fd, body.data, body.len);
		shutdown(h->listen_fd, SHUT_RDWR);
		h->stop = 1;
		break;
	}
	brc_buf_free(&body);
}

static void *serve(void *arg)
{
	struct hostile *h = arg;

	while (!h->stop && h->served < 64) {
		struct pollfd p = { h->listen_fd, POLLIN, 0 };

		if (poll(&p, 1, 100) <= 0)
			continue;
		int fd = accept(h->listen_fd, NULL, NULL);

		if (fd < 0)
			continue;
		h->served++;
		respond(h, fd, read_request(fd));
		close(fd);
	}
	return NULL;
}

struct hostile *hostile_start(enum hostile_mode mode,
                              const struct brc_workload *w)
{
	struct hostile *h = brc_xcalloc(1, sizeof(*h));
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int one = 1;

	h->mode = mode;
	h->w = w;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	h->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(h->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(h->listen_fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(h->listen_fd, 64) ||
	    getsockname(h->listen_fd, (struct sockaddr *)&a, &alen)) {
		close(h->listen_fd);
		free(h);
		return NULL;
	}
	h->port = ntohs(a.sin_port);
	pthread_create(&h->thread, NULL, serve, h);
	return h;
}

int hostile_port(const struct hostile *h) { return h->port; }

void hostile_stop(struct hostile *h)
{
	h->stop = 1;
	pthread_join(h->thread, NULL);
	close(h->listen_fd);
	free(h);
}

/*
 * server.c - brc_server_run: bind, start libmicrohttpd (epoll, internal
 * polling thread or a pool of server.threads, suspend/resume), tell the
 * parent the port, serve until SIGINT/SIGTERM, and stop cleanly (every
 * suspended connection resumed before MHD_stop_daemon).  The routes are in
 * server_route.c, delays in server_delay.c, bodies in server_body.c.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/server.h"
#include "server/server_h2.h"
#include "server/server_int.h"
#include "workload/tickets.h"
#include "util.h"

#define DEFAULT_PATH "/tickets/{route}/{date}"
/* File descriptors the process needs besides connections (epoll, ITC,
 * timer, stdio, listen socket...). */
#define FD_RESERVE 64
/* Idle keep-alive connections are closed after this (suspended ones never
 * time out). */
#define CONN_TIMEOUT_S 120

/* MHD's own messages are debugging material: only with -vv. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	if (brc_verbosity < 2)
		return;
	fputs("benchrun: mhd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/*
 * Our exact global connection limit.  MHD's own limit is split across the
 * pool's threads and, when reached, leaves newcomers silently waiting in
 * the listen queue; here they are accepted, counted and closed at once, so
 * a client sees an error.
 */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr,
                                     socklen_t len)
{
	struct brc_srv *s = cls;

	if (atomic_fetch_add(&s->conns, 1) >= s->max_conns) {
		atomic_fetch_sub(&s->conns, 1);
		atomic_fetch_add(&s->refused, 1);
		return MHD_NO;
	}
	return MHD_YES;
}

static void notify_connection(void *cls, struct MHD_Connection *conn,
                              void **socket_ctx,
                              enum MHD_ConnectionNotificationCode code)
{
	struct brc_srv *s = cls;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED)
		atomic_fetch_sub(&s->conns, 1);
}

/* Bind and listen ourselves: the exact errno reaches the user ("Address
 * already in use"), and the backlog is ours.  Returns the socket or -1
 * with the message in err. */
static int open_listener(const char *host, int port, int backlog,
                         char *err, size_t err_len)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
	                          .ai_socktype = SOCK_STREAM,
	                          .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *ai;
	char service[16];
	int fd, one = 1, rc;

	snprintf(service, sizeof(service), "%d", port);
	rc = getaddrinfo(host, service, &hints, &ai);
	if (rc) {
		snprintf(err, err_len, "cannot listen on %s:%d: %s", host, port,
		         gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	            0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) ||
	    listen(fd, backlog > 0 ? backlog : SOMAXCONN))
		goto fail_close;
	freeaddrinfo(ai);
	return fd;

fail_close:
	rc = errno;
	close(fd);
	errno = rc;
fail:
	snprintf(err, err_len, "cannot listen on %s:%d: %s", host, port,
	         strerror(errno));
	freeaddrinfo(ai);
	return -1;
}

static int bound_port(struct MHD_Daemon *d, int fd)
{
	const union MHD_DaemonInfo *di;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (di && di->port)
		return di->port;
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* The connection limit, capped by the open-file limit. */
static int64_t connection_limit(const struct brc_server *sv)
{
	int64_t want = sv->max_connections > 0 ? sv->max_connections : 20000;
	uint64_t nofile = brc_raise_nofile();

	if (nofile && (uint64_t)want + FD_RESERVE > nofile) {
		int64_t cap = nofile > 2 * FD_RESERVE ?
		              (int64_t)nofile - FD_RESERVE : FD_RESERVE;

		/* Only complain when the limit itself is below what was
		 * asked; the few descriptors we keep for ourselves are our
		 * business. */
		if ((uint64_t)want > nofile)
			brc_warn("server.max_connections %lld exceeds the "
			        "open-file limit (%llu): serving at most %lld "
			        "connections; raise it with 'ulimit -n'",
			        (long long)want, (unsigned long long)nofile,
			        (long long)cap);
		else
			brc_info("server: at most %lld connections (open-file "
			        "limit %llu)", (long long)cap,
			        (unsigned long long)nofile);
		want = cap;
	}
	return want;
}

/* With server.http2 the front end (server_h2_loop.c) owns the listening
 * socket and hands HTTP/1.1 connections to MHD, which then listens on
 * nothing itself. */
static struct MHD_Daemon *start_daemon(struct brc_srv *s, int fd)
{
	bool h2 = s->sc->server.http2;
	const struct brc_server *sv = &s->sc->server;
	unsigned threads = sv->threads > 1 ? (unsigned)sv->threads : 1;
	/* Each pool thread gets limit/threads of MHD's limit: make every
	 * share cover our global limit, which accept_policy enforces. */
	unsigned mhd_limit = (unsigned)(s->max_conns * threads + threads);
	/* The reserve answers requests that fill conn_memory (server_guard.c). */
	size_t mem = brc_srv_conn_memory(s) + BRC_SRV_POOL_RESERVE;
	unsigned backlog = sv->backlog > 0 ? (unsigned)sv->backlog : 4096;
	struct MHD_OptionItem opts[] = {
		/* First, so that it also covers the other options. */
		{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, s },
		{ MHD_OPTION_LISTEN_SOCKET, fd, NULL },
		{ MHD_OPTION_LISTEN_BACKLOG_SIZE, backlog, NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, mhd_limit, NULL },
		{ MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)mem, NULL },
		{ MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)brc_srv_unescape, s },
		{ MHD_OPTION_CONNECTION_TIMEOUT, CONN_TIMEOUT_S, NULL },
		{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)brc_srv_completed, s },
		{ MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)notify_connection, s },
		{ threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
		  threads, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};

	if (h2) /* MHD listens on nothing: drop the socket and backlog */
		memmove(&opts[1], &opts[3], sizeof(opts) - 3 * sizeof(opts[0]));

	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	                        MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
	                        MHD_USE_ERROR_LOG |
	                        (h2 ? MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC
	                            : 0),
	                        0, accept_policy, s, brc_srv_handler, s,
	                        MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
}

/* Ready line for the parent, or the banner for `benchrun serve`. */
static void announce(const struct brc_srv *s, const char *host, int port,
                     int ready_fd)
{
	const struct brc_workload *w = s->w;
	char *base, *first, last[16] = "";

	if (ready_fd >= 0) {
		dprintf(ready_fd, "%d\n", port);
		close(ready_fd);
		return;
	}
	base = brc_xasprintf(strchr(host, ':') ? "http://[%s]:%d" :
	                    "http://%s:%d", host, port);
	first = brc_ticket_url(s->path, "", w, 0);
	if (w->days > 1)
		brc_ticket_date(w, w->days - 1, last);
	printf("serving %lld days of %s tickets at %s%s ...%s%s\n"
	       "stats: %s/_benchrun/stats (Ctrl-C to stop)\n",
	       (long long)w->days, w->route, base, first,
	       *last ? " to " : "", last, base);
	fflush(stdout);
	free(first);
	free(base);
}

static void report_error(int ready_fd, const char *msg)
{
	if (ready_fd >= 0) {
		dprintf(ready_fd, "error: %s\n", msg);
		close(ready_fd);
	} else {
		brc_error("%s", msg);
	}
}

int brc_server_run(const struct brc_scenario *sc, const char *host, int port,
                  int ready_fd)
{
	struct brc_srv s = { .sc = sc, .w = &sc->workload };
	struct brc_h2 *h2 = NULL;
	const char *tmpl = sc->server.url_template, *why;
	char err[256];
	sigset_t stop_set;
	int fd, sig, rc = BR_EXIT_FAIL;

	if (!host || !*host)
		host = "127.0.0.1";
	if (!tmpl || !*tmpl)
		tmpl = "{base}" DEFAULT_PATH;
	s.path = brc_xstrdup(!strncmp(tmpl, "{base}", 6) ? tmpl + 6 : tmpl);
	if (brc_srv_path_check(s.path, &why)) {
		snprintf(err, sizeof(err), "server.path '%s' %s", tmpl, why);
		report_error(ready_fd, err);
		goto fail_path;
	}
	s.max_conns = connection_limit(&sc->server);
	s.max_in_flight = sc->server.max_in_flight;

	/* Block the stop signals in every thread (MHD's inherit the mask)
	 * and take them synchronously below. */
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGINT);
	sigaddset(&stop_set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_set, NULL);
	/* A background job of a script starts with SIGINT ignored. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);

	fd = open_listener(host, port, (int)sc->server.backlog, err,
	                   sizeof(err));
	if (fd < 0) {
		report_error(ready_fd, err);
		goto fail_path;
	}
	if (brc_srv_bodies_init(&s) || brc_srv_timer_start(&s)) {
		report_error(ready_fd, "cannot initialise the server");
		goto fail_init;
	}
	s.daemon = start_daemon(&s, fd);
	if (!s.daemon) {
		snprintf(err, sizeof(err), "cannot start libmicrohttpd on %s:%d",
		         host, port);
		report_error(ready_fd, err);
		goto fail_init;
	}
	if (sc->server.http2 && brc_srv_h2_start(&s, fd, &h2)) {
		report_error(ready_fd, "cannot start the HTTP/2 front end");
		MHD_stop_daemon(s.daemon);
		goto fail_init;
	}
	announce(&s, host, bound_port(s.daemon, fd), ready_fd);

	do
		sig = sigwaitinfo(&stop_set, NULL);
	while (sig < 0 && errno == EINTR);
	brc_debug("server: signal %d, stopping", sig);
	/* The front end first: it may be handing connections to MHD. */
	brc_srv_h2_stop(h2);
	brc_srv_timer_stop(&s);
	MHD_stop_daemon(s.daemon); /* closes the listen socket too */
	if (h2)
		close(fd); /* ...unless it was the front end's */
	fd = -1;
	rc = BR_EXIT_OK;

fail_init:
	brc_srv_timer_stop(&s);
	brc_srv_timer_free(&s);
	brc_srv_bodies_free(&s);
	if (fd >= 0)
		close(fd);
fail_path:
	free(s.path);
	return rc;
}

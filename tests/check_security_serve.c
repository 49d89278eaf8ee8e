/*
 * check_security_serve.c - the embedded server facing hostile clients
 * (issue 11): a request of any size gets an HTTP answer, never a closed
 * connection (URLs and headers around the connection's memory pool, over
 * HTTP/1.1 and h2c); %00 in a path is refused; `serve` binds beyond
 * loopback only with --public.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <nghttp2/nghttp2.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "srvclient.h"
#include "suites.h"
#include "util.h"

/* Send one raw request, the URL target + pad bytes, with an extra
 * header of hpad bytes when hpad > 0; the status of the reply, 0 when the
 * connection closed without one. */
static int raw_request(int port, const char *target, size_t pad, size_t hpad)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = 20 };
	struct brc_buf req = { 0 };
	char reply[64] = "";
	int fd = socket(AF_INET, SOCK_STREAM, 0), status = 0;
	ssize_t n, got = 0;

	ck_assert_int_ge(fd, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	brc_buf_printf(&req, "GET %s", target);
	for (size_t i = 0; i < pad; i++)
		brc_buf_append(&req, "a", 1);
	/* The headers curl sends. */
	brc_buf_printf(&req, " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: "
	              "curl/7.88.1\r\nAccept: */*\r\n");
	if (hpad) {
		brc_buf_printf(&req, "X-Big: ");
		for (size_t i = 0; i < hpad; i++)
			brc_buf_append(&req, "b", 1);
		brc_buf_printf(&req, "\r\n");
	}
	brc_buf_printf(&req, "\r\n");
	/* The server may answer and close before taking a large request
	 * whole: the reply is what counts, not the send. */
	for (size_t off = 0; off < req.len;) {
		n = send(fd, req.data + off, req.len - off, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	while (got < 12 && (n = recv(fd, reply + got, sizeof(reply) - 1 -
	                             (size_t)got, 0)) > 0)
		got += n;
	if (got >= 12)
		sscanf(reply, "HTTP/1.1 %d", &status);
	close(fd);
	brc_buf_free(&req);
	return status;
}

static int raw_status(int port, const char *target, size_t pad)
{
	return raw_request(port, target, pad, 0);
}

/* Every size around the default 8 KiB pool: an answer each time. */
START_TEST(test_long_url_answered)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;

	srv_spawn("workload: {days: 10}", &sc, &srv);
	for (size_t pad = 7600; pad < 8400; pad += 9) {
		int st = raw_status(srv.port, "/", pad);

		ck_assert_msg(st == 414 || st == 431 || st == 404,
		              "a %zu-byte URL got %d (0: closed, no reply)",
		              pad + 1, st);
	}
	/* Well past the pool: still an error status. */
	ck_assert_int_eq(raw_status(srv.port, "/", 100000), 414);
	ck_assert_int_eq(raw_status(srv.port, "/tickets/MOW-LED/2026-01-10", 0),
	                 200);
	srv_finish(&sc, &srv);
}
END_TEST

/* The sizes of the issue and every size near the end of the whole pool
 * (conn_memory + 4 KiB), where libmicrohttpd 0.9.75 had no room left for
 * the reply header and closed the connection: URL and header alike. */
static void sizes_answered(int port)
{
	static const size_t kib[] = { 4, 8, 12, 64, 100 };

	for (size_t i = 0; i < BR_ARRAY_SIZE(kib); i++) {
		int u = raw_request(port, "/", kib[i] * 1024, 0);
		int h = raw_request(port, "/", 0, kib[i] * 1024);

		ck_assert_msg(kib[i] < 8 ? u == 404 : u == 414 || u == 431,
		              "a %zu KiB URL got %d (0: closed, no reply)",
		              kib[i], u);
		ck_assert_msg(kib[i] < 8 ? h == 404 : h == 431,
		              "a %zu KiB header got %d (0: closed, no reply)",
		              kib[i], h);
	}
	for (size_t pad = 11500; pad < 12500; pad += 5) {
		int u = raw_request(port, "/", pad, 0);
		int h = raw_request(port, "/", 0, pad);

		ck_assert_msg(u == 414 || u == 431, "a %zu-byte URL got %d "
		              "(0: closed, no reply)", pad, u);
		ck_assert_msg(h == 431 || h == 414, "a %zu-byte header got %d "
		              "(0: closed, no reply)", pad, h);
	}
	/* The connection pool is still good for ordinary requests. */
	ck_assert_int_eq(raw_status(port, "/tickets/MOW-LED/2026-01-10", 0),
	                 200);
}

START_TEST(test_request_sizes_answered)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;

	srv_spawn("workload: {days: 10}", &sc, &srv);
	sizes_answered(srv.port);
	srv_finish(&sc, &srv);
}
END_TEST

/* With server.http2 a front end takes the connections and hands
 * HTTP/1.1 to libmicrohttpd: the same answers. */
START_TEST(test_request_sizes_answered_front_end)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;

	srv_spawn("workload: {days: 10}\nserver: {http2: true}", &sc, &srv);
	sizes_answered(srv.port);
	srv_finish(&sc, &srv);
}
END_TEST

/* ---- an h2c client on libnghttp2: one request, its :status --------- */

struct h2c {
	int fd;
	int status; /* 0: none yet; -1: stream reset or connection refused */
	bool done;
};

static ssize_t h2c_send(nghttp2_session *ss, const uint8_t *data, size_t len,
                        int flags, void *user)
{
	struct h2c *c = user;
	ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL);

	(void)ss;
	(void)flags;
	return n < 0 ? NGHTTP2_ERR_CALLBACK_FAILURE : n;
}

static int h2c_header(nghttp2_session *ss, const nghttp2_frame *f,
                      const uint8_t *name, size_t namelen,
                      const uint8_t *value, size_t valuelen, uint8_t flags,
                      void *user)
{
	struct h2c *c = user;

	(void)ss;
	(void)f;
	(void)flags;
	if (namelen == 7 && !memcmp(name, ":status", 7) && valuelen == 3)
		c->status = atoi((const char *)value);
	return 0;
}

static int h2c_close(nghttp2_session *ss, int32_t id, uint32_t code,
                     void *user)
{
	struct h2c *c = user;

	(void)ss;
	(void)id;
	if (code && !c->status)
		c->status = -1;
	c->done = true;
	return 0;
}

/* GET path + pad bytes over h2c (prior knowledge), with an extra header
 * of hpad bytes when hpad > 0; the :status answered, -1 for a reset
 * stream, 0 when the connection ended with no answer. */
static int h2c_request(int port, size_t pad, size_t hpad)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct h2c c = { .fd = socket(AF_INET, SOCK_STREAM, 0) };
	nghttp2_session_callbacks *cb;
	nghttp2_option *opt;
	nghttp2_session *ss;
	char *path = malloc(pad + 2), *big = malloc(hpad + 1);
	nghttp2_nv nv[] = {
		{ (uint8_t *)":method", (uint8_t *)"GET", 7, 3, 0 },
		{ (uint8_t *)":scheme", (uint8_t *)"http", 7, 4, 0 },
		{ (uint8_t *)":authority", (uint8_t *)"127.0.0.1", 10, 9, 0 },
		{ (uint8_t *)":path", (uint8_t *)path, 5, pad + 1, 0 },
		{ (uint8_t *)"x-big", (uint8_t *)big, 5, hpad, 0 },
	};
	uint8_t buf[16384];

	ck_assert_int_ge(c.fd, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(c.fd, (struct sockaddr *)&a, sizeof(a)), 0);
	path[0] = '/';
	memset(path + 1, 'a', pad);
	/* 'a' is 5 bits in HPACK's Huffman code: 100 KiB of it is within
	 * libnghttp2's 64 KiB limit on one encoded field. */
	memset(big, 'a', hpad);
	ck_assert_int_eq(nghttp2_session_callbacks_new(&cb), 0);
	nghttp2_session_callbacks_set_send_callback(cb, h2c_send);
	nghttp2_session_callbacks_set_on_header_callback(cb, h2c_header);
	nghttp2_session_callbacks_set_on_stream_close_callback(cb, h2c_close);
	ck_assert_int_eq(nghttp2_option_new(&opt), 0);
	/* The client's own 64 KiB cap on a header block would keep a large
	 * request from ever reaching the server. */
	nghttp2_option_set_max_send_header_block_length(opt, 1 << 20);
	ck_assert_int_eq(nghttp2_session_client_new2(&ss, cb, &c, opt), 0);
	nghttp2_option_del(opt);
	nghttp2_session_callbacks_del(cb);
	nghttp2_submit_settings(ss, NGHTTP2_FLAG_NONE, NULL, 0);
	ck_assert_int_gt(nghttp2_submit_request(ss, NULL, nv,
	                                        hpad ? 5 : 4, NULL, NULL), 0);
	/* Bounded: 20 s of silence ends it. */
	while (!c.done && nghttp2_session_send(ss) == 0) {
		struct pollfd p = { .fd = c.fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 20000) <= 0)
			break;
		n = recv(c.fd, buf, sizeof(buf), 0);
		if (n <= 0 || nghttp2_session_mem_recv(ss, buf, (size_t)n) < 0)
			break;
	}
	nghttp2_session_del(ss);
	close(c.fd);
	free(path);
	free(big);
	return c.status;
}

/* h2c streams get the HTTP/1.1 answers: 404 for a path that is no
 * ticket, 414 for a path, 431 for a header beyond server.conn_memory --
 * up to 100 KiB (libnghttp2 itself ends a connection whose single
 * header field is encoded in more than 64 KiB). */
START_TEST(test_h2c_sizes_answered)
{
	static const size_t kib[] = { 4, 8, 12, 64, 100 };
	struct brc_scenario sc;
	struct brc_server_proc srv;

	srv_spawn("workload: {days: 10}\nserver: {http2: true}", &sc, &srv);
	for (size_t i = 0; i < BR_ARRAY_SIZE(kib); i++) {
		int u = h2c_request(srv.port, kib[i] * 1024, 0);
		int h = h2c_request(srv.port, 1, kib[i] * 1024);

		ck_assert_msg(u == (kib[i] < 8 ? 404 : 414),
		              "h2c: a %zu KiB path got %d", kib[i], u);
		ck_assert_msg(h == (kib[i] < 8 ? 404 : 431),
		              "h2c: a %zu KiB header got %d", kib[i], h);
	}
	srv_finish(&sc, &srv);
}
END_TEST

START_TEST(test_nul_in_path)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;

	srv_spawn("workload: {days: 10}", &sc, &srv);
	/* Decoded, this was /tickets/MOW-LED/2026-01-10: a ticket. */
	ck_assert_int_eq(raw_status(srv.port,
	                            "/tickets/MOW-LED/2026-01-10%00.html", 0), 400);
	ck_assert_int_eq(raw_status(srv.port, "/%00", 0), 400);
	ck_assert_int_eq(raw_status(srv.port, "/tickets/MOW-LED/2026-01-10", 0),
	                 200);
	srv_finish(&sc, &srv);
}
END_TEST

/* 192.0.2.1 (TEST-NET-1) is on no interface: were the check gone, the
 * bind would fail instead of exposing a port beyond loopback. */
START_TEST(test_public_bind_needs_flag)
{
	const char *argv[] = { "serve", "--host", "192.0.2.1", "--port", "0",
	                       NULL };
	char *dir = brc_test_tmpdir();
	char *yaml = brc_test_write(dir, "s.yaml", "workload: {days: 2}\n"
	                            "server: {host: 192.0.2.1}\n"
	                            "strategies: [sync]\n");
	const char *run[] = { "-q", yaml, NULL };
	struct brc_buf err = { 0 };

	ck_assert_int_eq(brc_test_benchrun(argv, 20, &err), 2);
	ck_assert_has(err.data, "--public");
	brc_buf_free(&err);
	/* A run's embedded server too (server.host in the scenario). */
	ck_assert_int_eq(brc_test_benchrun(run, 20, &err), 2);
	ck_assert_has(err.data, "--public");
	brc_buf_free(&err);
	brc_test_rmtree(dir);
	free(yaml);
	free(dir);
}
END_TEST

Suite *brc_suite_security_serve(void)
{
	Suite *s = suite_create("security_serve");
	TCase *tc = tcase_create("serve");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_long_url_answered);
	tcase_add_test(tc, test_request_sizes_answered);
	tcase_add_test(tc, test_request_sizes_answered_front_end);
	tcase_add_test(tc, test_h2c_sizes_answered);
	tcase_add_test(tc, test_nul_in_path);
	tcase_add_test(tc, test_public_bind_needs_flag);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * check_security_serve.c - the embedded server facing hostile clients
 * (issue 11): a URL that fills the connection's memory pool gets an HTTP
 * error, not a closed connection; %00 in a path is refused; `serve` binds
 * beyond loopback only with --public.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "srvclient.h"
#include "suites.h"
#include "util.h"

/* Send one raw request; the status of the reply, 0 when the connection
 * closed without one. */
static int raw_status(int port, const char *target, size_t pad)
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
	              "curl/7.88.1\r\nAccept: */*\r\n\r\n");
	ck_assert_int_eq(send(fd, req.data, req.len, MSG_NOSIGNAL),
	                 (ssize_t)req.len);
	while (got < 12 && (n = recv(fd, reply + got, sizeof(reply) - 1 -
	                             (size_t)got, 0)) > 0)
		got += n;
	if (got >= 12)
		sscanf(reply, "HTTP/1.1 %d", &status);
	close(fd);
	brc_buf_free(&req);
	return status;
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

START_TEST(test_public_bind_needs_flag)
{
	const char *argv[] = { "serve", "--host", "0.0.0.0", "--port", "0", NULL };
	struct brc_buf err = { 0 };

	ck_assert_int_eq(brc_test_benchrun(argv, 20, &err), 2);
	ck_assert_has(err.data, "--public");
	brc_buf_free(&err);
}
END_TEST

Suite *brc_suite_security_serve(void)
{
	Suite *s = suite_create("security_serve");
	TCase *tc = tcase_create("serve");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_long_url_answered);
	tcase_add_test(tc, test_nul_in_path);
	tcase_add_test(tc, test_public_bind_needs_flag);
	suite_add_tcase(s, tc);
	return s;
}

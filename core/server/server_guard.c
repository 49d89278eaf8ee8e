/*
 * server_guard.c - requests the embedded server refuses before routing:
 * a path holding %00 (400: the decoded path would end early and could
 * match a ticket it does not name), and a request larger than
 * server.conn_memory (414 or 431).
 *
 * Why the size check is ours, and why its answer is written here:
 * libmicrohttpd 0.9.75 answers 414/431 itself only when a request does not
 * fit its per-connection pool (it then frees the pool for the reply).  A
 * request that fits, however tightly, reaches us, and MHD builds our
 * reply's header in what is left of the same pool: a request within ~100
 * bytes of the pool's end left no room, and the connection was closed
 * with no reply (an ~8 KB URL with the 8 KiB pool; with a 4 KiB reserve
 * on top, ~12 KB).  No MHD 0.9.75 option keeps room for the reply (its
 * read buffer grows into the whole pool while a request head arrives).
 * So the pool gets BRC_SRV_POOL_RESERVE bytes more than conn_memory, and
 * a request larger than conn_memory is answered here by a fixed status
 * written to the socket, which needs no pool memory at all; we then
 * return MHD_NO and MHD closes the connection.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "server/server_int.h"
#include "util.h"

/* %00 anywhere in the URL: make it the empty path, refused below. */
size_t brc_srv_unescape(void *cls, struct MHD_Connection *conn, char *val)
{
	(void)cls;
	(void)conn;
	for (const char *p = val; (p = strchr(p, '%')); p++)
		if (p[1] == '0' && p[2] == '0') {
			val[0] = '\0';
			return 0;
		}
	return MHD_http_unescape(val);
}

static enum MHD_Result add_len(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
	size_t *n = cls;

	(void)kind;
	*n += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

static enum MHD_Result bare(struct MHD_Connection *conn, unsigned status)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		0, (void *)"", MHD_RESPMEM_PERSISTENT);
	enum MHD_Result rc;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

/*
 * The one reply that cannot go through MHD (see the top): a complete
 * status with Date, no body, and Connection: close.  The socket is
 * MHD's and non-blocking; the reply is the first thing written since the
 * previous response was sent, so it normally goes at once; a full send
 * buffer gets a bounded wait.  What the client sent beyond the request
 * head is read away first, so that closing does not reset the connection
 * (a reset can destroy the reply before the client reads it).
 */
static enum MHD_Result raw_reply(struct MHD_Connection *conn, unsigned status)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	char date[64], reply[256], junk[4096];
	time_t now = time(NULL);
	struct tm tm;
	size_t off = 0;
	int len;

	if (!ci)
		return MHD_NO;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	len = snprintf(reply, sizeof(reply),
	               "HTTP/1.1 %u %s\r\nDate: %s\r\nContent-Length: 0\r\n"
	               "Connection: close\r\n\r\n", status,
	               status == MHD_HTTP_URI_TOO_LONG ? "URI Too Long" :
	               "Request Header Fields Too Large", date);
	for (int i = 0; i < 16 && recv(ci->connect_fd, junk, sizeof(junk),
	                               MSG_DONTWAIT) > 0; i++)
		;
	for (int tries = 0; off < (size_t)len && tries < 20;) {
		ssize_t n = send(ci->connect_fd, reply + off, (size_t)len - off,
		                 MSG_NOSIGNAL | MSG_DONTWAIT);
		struct pollfd p = { .fd = ci->connect_fd, .events = POLLOUT };

		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			break;
		poll(&p, 1, 50); /* at most ~1 s in all */
		tries++;
	}
	return MHD_NO; /* MHD closes the connection */
}

int brc_srv_guard(const struct brc_srv *s, struct MHD_Connection *conn,
                  const char *url, enum MHD_Result *rc)
{
	size_t limit = brc_srv_conn_memory(s), headers = 0;
	size_t line = strlen(url) + 32; /* method, version, spaces, CRLF */

	if (!*url || *url != '/') {
		*rc = bare(conn, MHD_HTTP_BAD_REQUEST);
		return 1;
	}
	MHD_get_connection_values(conn, MHD_HEADER_KIND, add_len, &headers);
	if (line + headers <= limit)
		return 0;
	*rc = raw_reply(conn, line > limit / 2 ? MHD_HTTP_URI_TOO_LONG
	                      : MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE);
	return 1;
}

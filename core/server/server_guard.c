/*
 * server_guard.c - requests the embedded server refuses before routing:
 * a path holding %00 (400: the decoded path would end early and could
 * match a ticket it does not name), and a request too large for the
 * connection's memory pool (414 or 431).
 *
 * Why the size check is ours: libmicrohttpd 0.9.75 answers 414/431 when a
 * request line or header does not fit its per-connection pool, but a
 * request that just fits leaves no room for the response header, and the
 * connection is then closed with no reply (an ~8 KB URL with the default 8
 * KiB pool).  So the pool gets BRC_SRV_POOL_RESERVE bytes more than
 * server.conn_memory, and a request larger than conn_memory is answered
 * here from that reserve, with a bare response.
 */
#include "config.h"

#include <string.h>

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
	*rc = bare(conn, line > limit / 2 ? MHD_HTTP_URI_TOO_LONG
	                                  : MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE);
	return 1;
}

/*
 * server_h2.h - the embedded server's HTTP/2 front end (server.http2):
 * one thread that accepts on the listening socket, hands HTTP/1.1
 * connections to libmicrohttpd and serves h2c (prior knowledge) itself
 * (server_h2_loop.c, server_h2.c).
 */
#ifndef BR_SERVER_H2_H
#define BR_SERVER_H2_H

#include "server/server_int.h"

struct brc_h2;

/* Start accepting on the listening socket lfd (s->daemon must run
 * without a listen socket of its own).  0, or -1 (nothing started). */
int brc_srv_h2_start(struct brc_srv *s, int lfd, struct brc_h2 **out);
/* Stop the thread and close its connections (before MHD stops: it may be
 * handing connections to it); NULL is fine. */
void brc_srv_h2_stop(struct brc_h2 *h);

#endif /* BR_SERVER_H2_H */

/*
 * hostile_server.h - a TCP responder that breaks HTTP clients on purpose,
 * for the hostile-server tests.  URLs look like http://127.0.0.1:PORT/t/<i>.
 */
#ifndef BR_TEST_HOSTILE_SERVER_H
#define BR_TEST_HOSTILE_SERVER_H

#include "scenario/scenario.h"

enum hostile_mode {
	HOSTILE_TRUNCATED,    /* Content-Length of the body, half of it sent  */
	HOSTILE_SHORT_LENGTH, /* Content-Length half of the body             */
	HOSTILE_OVERSIZED,    /* 8 MiB body                                  */
	HOSTILE_NOT_JSON,     /* an HTML page                                */
	HOSTILE_NESTED,       /* 100,000 nested arrays                       */
	HOSTILE_DRIP,         /* one byte per second                         */
	HOSTILE_CLOSE,        /* closes the connection without answering     */
	HOSTILE_DIES,         /* answers one request well, then is gone       */
};

struct hostile;

/* Listen on 127.0.0.1, ephemeral port; serve on a thread.  NULL on error. */
struct hostile *hostile_start(enum hostile_mode mode,
                              const struct brc_workload *w);
int hostile_port(const struct hostile *h);
/* Stop serving, join the thread, free. */
void hostile_stop(struct hostile *h);

#endif

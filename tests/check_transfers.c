/*
 * check_transfers.c - the curl plugins' transfers (issue 14), each plugin
 * driven directly with a fake host against the embedded server:
 *
 * - `recv_buffer` (libcurl's CURLOPT_BUFFERSIZE): out-of-range sizes are
 *   refused with the parameter's name, and the size reaches libcurl in
 *   every plugin that declares it.  libcurl hands the write callback at
 *   most one buffer's worth per call, so with a ~50 KiB ticket the largest
 *   piece body() saw tells the buffer's size: never above 1 KiB with
 *   recv_buffer 1KiB, above it with 64KiB.
 * - connection lifetime in the slot-pool plugins (eventloop, greenlets,
 *   libuv): closing the connections is not part of a run, so they are
 *   still open when run returns; a second run on the instance starts cold
 *   and works; destroy closes every socket.
 */
#include "config.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/loader.h"
#include "srvclient.h"
#include "strategies.h"
#include "suites.h"
#include "util.h"

#define N 4

/* The fake core: what the plugin reported. */
struct br_run {
	char url[128];
	size_t largest;          /* biggest body() piece, bytes          */
	size_t bytes[N];
	int dones[N], status[N];
};

static size_t fake_count(const struct br_run *r) { return N; }

static const char *fake_url(const struct br_run *r, size_t i)
{
	return r->url;
}

static void fake_start(struct br_run *r, size_t i)
{
	r->bytes[i] = 0;
}

static int fake_body(struct br_run *r, size_t i, const void *d, size_t n)
{
	r->bytes[i] += n;
	if (n > r->largest)
		r->largest = n;
	return 0;
}

static int fake_done(struct br_run *r, size_t i, int status, const char *err)
{
	r->dones[i]++;
	r->status[i] = status;
	return 0;
}

static void fake_log(struct br_run *r, enum br_log_level level,
                     const char *fmt, ...)
{
}

static const struct br_host fake_host = {
	.size = sizeof(struct br_host), .abi_minor = BR_ABI_MINOR,
	.count = fake_count, .url = fake_url, .start = fake_start,
	.body = fake_body, .done = fake_done, .log = fake_log,
};

/* Open plugin k of the strategies list; false when it has no recv_buffer
 * (not a curl plugin). */
static bool rb_open(int k, struct brc_loaded *l)
{
	const struct brc_test_strategy *list;
	char *err = NULL;

	ck_assert_int_lt(k, (int)brc_test_strategies(&list));
	ck_assert_msg(brc_plugin_open(list[k].path, NULL, NULL, l, &err) == 0,
	              "%s", err);
	if (brc_plugin_param(l->desc, "recv_buffer"))
		return true;
	brc_plugin_close(l);
	return false;
}

/* Build the plugin's options with recv_buffer = size (and concurrency 2
 * where it has one); 0, or -1 with the loader's message in *err. */
static int rb_opts(const struct brc_loaded *l, const char *size, void **opts,
                   char **err)
{
	char n1[] = "recv_buffer", n2[] = "concurrency", v2[] = "2";
	char *sz[] = { (char *)size }, *conc[] = { v2 };
	struct brc_param_value v[] = {
		{ .name = n1, .items = sz, .n_items = 1 },
		{ .name = n2, .items = conc, .n_items = 1 },
	};
	size_t n = brc_plugin_param(l->desc, "concurrency") ? 2 : 1;

	return brc_params_build(l->desc, v, n, opts, err);
}

/* One run of `state` on N copies of the day-0 ticket; every one must
 * arrive whole.  Returns the largest body() piece. */
static size_t rb_run(const struct brc_loaded *l, void *state, const char *base)
{
	struct br_run r = { 0 };

	snprintf(r.url, sizeof(r.url), "%s/tickets/MOW-LED/2026-01-01", base);
	ck_assert_int_eq(l->desc->run(state, &r), 0);
	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(r.dones[i], 1);
		ck_assert_int_eq(r.status[i], 200);
		/* Big enough that libcurl's own 16 KiB default would hand
		 * over pieces far above 1 KiB. */
		ck_assert_uint_gt(r.bytes[i], 32 * 1024);
	}
	return r.largest;
}

/* Fetch N large tickets through plugin l with recv_buffer = size.  Returns
 * the largest body() piece. */
static size_t rb_fetch(const struct brc_loaded *l, const char *base,
                       const char *size)
{
	void *opts, *state;
	char *err = NULL;
	size_t largest;

	ck_assert_msg(rb_opts(l, size, &opts, &err) == 0, "%s", err);
	ck_assert_int_eq(l->desc->create(&fake_host, opts, &state), 0);
	largest = rb_run(l, state, base);
	l->desc->destroy(state);
	brc_params_free(l->desc, opts);
	return largest;
}

/* Sockets this process holds open. */
static int rb_sockets(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		char path[300], target[64];
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len > 0) {
			target[len] = '\0';
			n += !strncmp(target, "socket:", 7);
		}
	}
	closedir(d);
	return n;
}

static bool rb_slot_pool(const char *name)
{
	return !strcmp(name, "eventloop") || !strcmp(name, "greenlets") ||
	       !strcmp(name, "libuv");
}

START_TEST(test_range_checked)
{
	struct brc_loaded l;
	void *opts = NULL;
	char *err = NULL;

	if (!rb_open(_i, &l))
		return;
	ck_assert_int_eq(rb_opts(&l, "512", &opts, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, "recv_buffer"), "%s", err);
	free(err);
	err = NULL;
	ck_assert_int_eq(rb_opts(&l, "1MiB", &opts, &err), -1);
	ck_assert_msg(err && strstr(err, "recv_buffer"), "%s", err);
	free(err);
	brc_plugin_close(&l);
}
END_TEST

START_TEST(test_reaches_curl)
{
	struct brc_scenario sc;
	struct brc_server_proc srv;
	struct brc_loaded l;
	size_t small, big;

	if (!rb_open(_i, &l))
		return;
	srv_spawn("workload: {days: 1, trips: 200}\n"
	          "server: {latency: {model: none}}", &sc, &srv);
	small = rb_fetch(&l, srv.base_url, "1KiB");
	big = rb_fetch(&l, srv.base_url, "64KiB");
	ck_assert_uint_le(small, 1024);
	ck_assert_uint_gt(big, 1024);
	srv_finish(&sc, &srv);
	brc_plugin_close(&l);
}
END_TEST

START_TEST(test_connections_outlive_run)
{
	const struct brc_test_strategy *list;
	struct brc_scenario sc;
	struct brc_server_proc srv;
	struct brc_loaded l;
	void *opts, *state;
	char *err = NULL;
	int before;

	brc_test_strategies(&list);
	if (!rb_slot_pool(list[_i].name) || !rb_open(_i, &l))
		return;
	srv_spawn("workload: {days: 1, trips: 200}\n"
	          "server: {latency: {model: none}}", &sc, &srv);
	ck_assert_msg(rb_opts(&l, "8KiB", &opts, &err) == 0, "%s", err);
	ck_assert_int_eq(l.desc->create(&fake_host, opts, &state), 0);
	before = rb_sockets();
	rb_run(&l, state, srv.base_url);
	/* Kept for destroy: closing them would be timed with the run. */
	ck_assert_int_gt(rb_sockets(), before);
	rb_run(&l, state, srv.base_url);
	ck_assert_int_gt(rb_sockets(), before);
	l.desc->destroy(state);
	ck_assert_int_le(rb_sockets(), before);
	brc_params_free(l.desc, opts);
	srv_finish(&sc, &srv);
	brc_plugin_close(&l);
}
END_TEST

Suite *brc_suite_transfers(void)
{
	const struct brc_test_strategy *list;
	int n = (int)brc_test_strategies(&list);
	Suite *s = suite_create("transfers");
	TCase *tc = tcase_create("recv_buffer");
	TCase *life = tcase_create("connection lifetime");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_range_checked, 0, n);
	tcase_add_loop_test(tc, test_reaches_curl, 0, n);
	suite_add_tcase(s, tc);
	tcase_set_timeout(life, 60);
	tcase_add_loop_test(life, test_connections_outlive_run, 0, n);
	suite_add_tcase(s, life);
	return s;
}

/*
 * server_route.c - the embedded server's routes: the ticket path template
 * (e.g. /tickets/{route}/{date}) mapped back to a day index, the life of a
 * ticket request (model -> admission -> delay -> answer), and the two
 * control endpoints GET /_benchrun/stats and POST /_benchrun/reset.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_int.h"
#include "workload/tickets.h"
#include "util.h"

#define STATS_PATH "/_benchrun/stats"
#define RESET_PATH "/_benchrun/reset"

/* req_cls of a request whose upload is not over yet. */
static char receiving;

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DD" exactly (len bytes) to a day number, or -1 on garbage. */
static int parse_date(const char *s, size_t len, int64_t *out)
{
	int64_t v[3] = { 0, 0, 0 };
	const size_t width[3] = { 4, 2, 2 };
	size_t k = 0;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int f = 0; f < 3; f++, k++)
		for (size_t j = 0; j < width[f]; j++, k++) {
			if (s[k] < '0' || s[k] > '9')
				return -1;
			v[f] = v[f] * 10 + (s[k] - '0');
		}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
		return -1;
	*out = days_from_civil(v[0], v[1], v[2]);
	return 0;
}

int brc_srv_path_check(const char *path, const char **why)
{
	bool has_day = strstr(path, "{date}") || strstr(path, "{i}");

	if (path[0] != '/') {
		*why = "must start with '/' (after {base})";
		return -1;
	}
	if (!has_day) {
		*why = "needs {date} or {i} to tell the days apart";
		return -1;
	}
	return brc_url_template_check(path, why);
}

/* Match one placeholder's value; updates *idx.  Returns 0 or -1. */
static int match_field(const struct brc_srv *s, const char *name,
                       size_t name_len, const char *v, size_t len,
                       int64_t *idx)
{
	char date[16];
	int64_t day, start, i = 0;

	if (name_len == 5 && !memcmp(name, "route", 5))
		return strlen(s->w->route) == len &&
		       !memcmp(s->w->route, v, len) ? 0 : -1;
	if (name_len == 1 && name[0] == 'i') {
		if (len == 0 || len > 12)
			return -1;
		for (size_t k = 0; k < len; k++) {
			if (v[k] < '0' || v[k] > '9')
				return -1;
			i = i * 10 + (v[k] - '0');
		}
	} else if (name_len == 4 && !memcmp(name, "date", 4)) {
		if (parse_date(v, len, &day) ||
		    brc_ticket_date(s->w, 0, date) ||
		    parse_date(date, 10, &start))
			return -1;
		i = day - start;
		/* Rejects 2026-02-30 and the like: the generator's date of
		 * that day must be exactly what was asked. */
		if (i < 0 || i >= s->w->days || brc_ticket_date(s->w, i, date) ||
		    memcmp(date, v, 10))
			return -1;
	} else {
		return -1;
	}
	if (*idx >= 0 && *idx != i)
		return -1;
	*idx = i;
	return 0;
}

int64_t brc_srv_match(const struct brc_srv *s, const char *url)
{
	const char *t = s->path, *u = url, *end;
	int64_t idx = -1;
	size_t len;

	while (*t) {
		if (*t != '{') {
			if (*t++ != *u++)
				return -1;
			continue;
		}
		end = strchr(t, '}');
		if (!end)
			return -1;
		/* A value runs up to the template's next literal character
		 * and never spans a '/'. */
		char stop[3] = { end[1], '/', '\0' };
		len = strcspn(u, stop);
		if (match_field(s, t + 1, (size_t)(end - t - 1), u, len, &idx))
			return -1;
		u += len;
		t = end + 1;
	}
	if (*u || idx < 0 || idx >= s->w->days)
		return -1;
	return idx;
}

static enum MHD_Result answer_stats(struct brc_srv *s,
                                    struct MHD_Connection *conn)
{
	struct MHD_Response *resp;
	int64_t in_flight, queued, queued_max;
	enum MHD_Result ret;
	cJSON *o = cJSON_CreateObject();
	char *text;

	brc_srv_admission_stats(s, &in_flight, &queued, &queued_max);
	cJSON_AddNumberToObject(o, "requests", (double)s->requests);
	cJSON_AddNumberToObject(o, "not_found", (double)s->not_found);
	cJSON_AddNumberToObject(o, "errors", (double)s->errors);
	cJSON_AddNumberToObject(o, "resets", (double)s->resets);
	cJSON_AddNumberToObject(o, "truncated", (double)s->truncated);
	cJSON_AddNumberToObject(o, "refused", (double)s->refused);
	cJSON_AddNumberToObject(o, "h2_connections", (double)s->h2_conns);
	cJSON_AddNumberToObject(o, "h2_streams", (double)s->h2_streams);
	cJSON_AddNumberToObject(o, "h2_max_streams", (double)s->h2_max_streams);
	cJSON_AddNumberToObject(o, "in_flight", (double)in_flight);
	cJSON_AddNumberToObject(o, "queued", (double)queued);
	cJSON_AddNumberToObject(o, "queued_max", (double)queued_max);
	cJSON_AddNumberToObject(o, "bytes", (double)s->bytes);
	/* How late delayed requests were answered, server side. */
	cJSON_AddNumberToObject(o, "late_p50_us",
	                        (double)brc_srv_late_quantile(s, 0.5) / 1e3);
	cJSON_AddNumberToObject(o, "late_p99_us",
	                        (double)brc_srv_late_quantile(s, 0.99) / 1e3);
	cJSON_AddNumberToObject(o, "late_max_us",
	                        (double)atomic_load(&s->late_max) / 1e3);
	cJSON_AddNumberToObject(o, "connections", (double)s->conns);
	cJSON_AddNumberToObject(o, "max_connections", (double)s->max_conns);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(strlen(text), text,
	                                       MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        "application/json");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * Zero the counters and every day's attempt counter, so the next run
 * meets the same (seed, i, attempt) sequence, hence the same delays and
 * faults.  Meant for a quiet server (between runs): requests in flight
 * keep their slots.
 */
static void reset_counters(struct brc_srv *s)
{
	for (int64_t i = 0; i < s->w->days; i++)
		atomic_store_explicit(&s->attempts[i], 0, memory_order_relaxed);
	atomic_store(&s->requests, 0);
	atomic_store(&s->not_found, 0);
	atomic_store(&s->errors, 0);
	atomic_store(&s->resets, 0);
	atomic_store(&s->truncated, 0);
	atomic_store(&s->refused, 0);
	atomic_store(&s->bytes, 0);
	atomic_store(&s->h2_streams, 0);
	atomic_store(&s->h2_max_streams, 0);
	brc_srv_admission_reset(s);
	brc_srv_late_reset(s);
}

/* First call for a ticket: consult the model, take a slot or queue, and
 * suspend for the delay.  Returns MHD's result. */
static enum MHD_Result start_ticket(struct brc_srv *s,
                                    struct MHD_Connection *conn,
                                    int64_t day, void **req_cls)
{
	const struct brc_server *sv = &s->sc->server;
	uint64_t seed = s->w->seed;
	struct brc_req *r = brc_xcalloc(1, sizeof(*r));

	r->conn = conn;
	r->day = day;
	r->attempt = atomic_fetch_add_explicit(&s->attempts[day], 1,
	                                       memory_order_relaxed);
	r->delay = brc_model_delay(&sv->latency, seed, (uint64_t)day,
	                          r->attempt);
	r->fault = brc_model_fault(&sv->faults, seed, (uint64_t)day, r->attempt);
	r->state = BR_REQ_READY;
	*req_cls = r;
	if (!brc_srv_admit(s, r))
		return MHD_YES; /* queued, suspended */
	if (r->delay > 0) {
		r->state = BR_REQ_DELAYED;
		r->due = brc_now_ns() + (uint64_t)(r->delay * 1e9);
		if (!brc_srv_suspend_until(s, conn, r->due))
			return MHD_YES;
		r->state = BR_REQ_READY; /* stopping: answer now */
		r->due = 0;
	}
	return brc_srv_answer(s, r);
}

/*
 * MHD calls this first when the headers are in, then for each piece of
 * upload, then once more with *upload_size 0.  We answer only on that last
 * call: a response queued earlier makes MHD close the connection after it
 * (it cannot know the request is over), which would defeat keep-alive.
 */
enum MHD_Result brc_srv_handler(void *cls, struct MHD_Connection *conn,
                               const char *url, const char *method,
                               const char *version, const char *upload,
                               size_t *upload_size, void **req_cls)
{
	struct brc_srv *s = cls;
	struct brc_req *r = *req_cls;
	bool get = !strcmp(method, MHD_HTTP_METHOD_GET) ||
	           !strcmp(method, MHD_HTTP_METHOD_HEAD);
	int64_t day;

	if (!r) {
		*req_cls = &receiving;
		return MHD_YES;
	}
	if (r != (void *)&receiving) {
		/* Resumed: the delay is over, or the server is stopping. */
		if (r->state == BR_REQ_DELAYED && !atomic_load(&s->stopping))
			brc_srv_note_late(s, r, brc_now_ns());
		r->state = BR_REQ_READY;
		return brc_srv_answer(s, r);
	}
	if (*upload_size) {
		*upload_size = 0; /* no route takes a body: ignore it */
		return MHD_YES;
	}
	*req_cls = NULL;
	{
		enum MHD_Result rc;

		if (brc_srv_guard(s, conn, url, &rc))
			return rc;
	}
	if (!strcmp(url, RESET_PATH)) {
		if (strcmp(method, MHD_HTTP_METHOD_POST))
			return MHD_queue_response(conn, 405, s->resp_405);
		reset_counters(s);
		return MHD_queue_response(conn, MHD_HTTP_OK, s->resp_reset);
	}
	if (!get)
		return MHD_queue_response(conn, 405, s->resp_405);
	if (!strcmp(url, STATS_PATH))
		return answer_stats(s, conn);
	day = brc_srv_match(s, url);
	if (day < 0) {
		atomic_fetch_add(&s->not_found, 1);
		return MHD_queue_response(conn, MHD_HTTP_NOT_FOUND,
		                          s->resp_404);
	}
	return start_ticket(s, conn, day, req_cls);
}

void brc_srv_completed(void *cls, struct MHD_Connection *conn,
                      void **req_cls, enum MHD_RequestTerminationCode why)
{
	struct brc_srv *s = cls;
	struct brc_req *r = *req_cls;

	if (!r || r == (void *)&receiving)
		return;
	brc_srv_release(s, r);
	free(r);
	*req_cls = NULL;
}

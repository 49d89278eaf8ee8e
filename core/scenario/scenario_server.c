/*
 * scenario_server.c - the `server:` section of a scenario: the embedded
 * server's limits, its latency model and its injected faults, or the URL
 * template of an external server.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_priv.h"

/* z for the 99th percentile of a standard normal distribution. */
#define Z99 2.3263478740408408

#define HOUR 3600.0

static const struct {
	const char *name;
	enum brc_latency_model model;
	const char *const keys[4]; /* besides model and tail */
} models[] = {
	{ "none", BR_LAT_NONE, { NULL } },
	{ "fixed", BR_LAT_FIXED, { "value" } },
	{ "uniform", BR_LAT_UNIFORM, { "min", "max" } },
	{ "normal", BR_LAT_NORMAL, { "mean", "stddev" } },
	{ "lognormal", BR_LAT_LOGNORMAL, { "median", "p99", "sigma" } },
	{ "exponential", BR_LAT_EXPONENTIAL, { "mean" } },
};

static void need(struct brc_diag *d, const struct brc_ynode *map,
                 const char *base, const char *key, const char *model)
{
	if (!brc_sc_child(map, key))
		brc_diag_add(d, &map->mark, base,
		            "model '%s' needs '%s'", model, key);
}

static void tail(struct brc_diag *d, const struct brc_ynode *lat,
                 const char *base, struct brc_latency *l)
{
	static const char *const keys[] = { "fraction", "factor" };
	char path[BR_SC_PATH];
	const struct brc_ynode *t;

	brc_sc_join(path, base, "tail");
	t = brc_sc_map(d, lat, base, "tail");
	if (!t)
		return;
	brc_sc_keys(d, t, path, keys, BR_ARRAY_SIZE(keys));
	l->tail_factor = 10;
	brc_sc_double(d, t, path, "fraction", &l->tail_fraction, 0, 1);
	brc_sc_double(d, t, path, "factor", &l->tail_factor, 1, 1e6);
}

/* The model-specific keys; `m` indexes models[]. */
static void model_values(struct brc_diag *d, const struct brc_ynode *lat,
                         const char *base, size_t m, struct brc_latency *l)
{
	const char *name = models[m].name;
	char path[BR_SC_PATH];

	switch (l->model) {
	case BR_LAT_NONE:
		break;
	case BR_LAT_FIXED:
		need(d, lat, base, "value", name);
		brc_sc_duration(d, lat, base, "value", &l->value, 0, HOUR);
		break;
	case BR_LAT_UNIFORM:
		need(d, lat, base, "min", name);
		need(d, lat, base, "max", name);
		if (brc_sc_duration(d, lat, base, "min", &l->min, 0, HOUR) > 0 &&
		    brc_sc_duration(d, lat, base, "max", &l->max, 0, HOUR) > 0 &&
		    l->min > l->max) {
			brc_sc_join(path, base, "min");
			brc_diag_add(d, &brc_sc_child(lat, "min")->mark, path,
			            "min is larger than max");
		}
		break;
	case BR_LAT_NORMAL:
		need(d, lat, base, "mean", name);
		need(d, lat, base, "stddev", name);
		brc_sc_duration(d, lat, base, "mean", &l->mean, 0, HOUR);
		brc_sc_duration(d, lat, base, "stddev", &l->stddev, 0, HOUR);
		break;
	case BR_LAT_LOGNORMAL:
		need(d, lat, base, "median", name);
		brc_sc_duration(d, lat, base, "median", &l->median, 1e-9, HOUR);
		if (!brc_sc_child(lat, "p99") == !brc_sc_child(lat, "sigma")) {
			brc_diag_add(d, &lat->mark, base,
			            "model 'lognormal' needs either 'p99' or "
			            "'sigma' (exactly one of them)");
			break;
		}
		if (brc_sc_duration(d, lat, base, "p99", &l->p99, 0, HOUR) > 0) {
			if (l->p99 < l->median) {
				brc_sc_join(path, base, "p99");
				brc_diag_add(d, &brc_sc_child(lat, "p99")->mark,
				            path, "p99 is below the median");
			} else if (l->median > 0) {
				l->sigma = log(l->p99 / l->median) / Z99;
			}
		}
		if (brc_sc_double(d, lat, base, "sigma", &l->sigma, 0, 10) > 0)
			l->p99 = l->median * exp(Z99 * l->sigma);
		break;
	case BR_LAT_EXPONENTIAL:
		need(d, lat, base, "mean", name);
		brc_sc_duration(d, lat, base, "mean", &l->mean, 1e-9, HOUR);
		break;
	}
}

static void latency(struct brc_diag *d, const struct brc_ynode *srv,
                    struct brc_latency *l)
{
	const char *base = "server.latency";
	const struct brc_ynode *lat = brc_sc_child(srv, "latency");
	const char *keys[8] = { "model", "tail" }, *names[8];
	char *model = NULL;
	size_t m, nk = 2;

	l->tail_factor = 1;
	if (!lat)
		return;
	/* A bare duration is a fixed delay: "latency: 20ms". */
	if (lat->kind == BR_YNODE_SCALAR) {
		l->model = BR_LAT_FIXED;
		brc_sc_duration(d, srv, "server", "latency", &l->value, 0, HOUR);
		return;
	}
	if (!brc_sc_map(d, srv, "server", "latency"))
		return;
	if (brc_sc_str(d, lat, base, "model", &model) == 0)
		model = brc_xstrdup(brc_sc_child(lat, "value") ? "fixed" : "");
	if (!model)
		return;
	for (m = 0; m < BR_ARRAY_SIZE(models); m++)
		if (!strcmp(model, models[m].name))
			break;
	if (m == BR_ARRAY_SIZE(models)) {
		char path[BR_SC_PATH];
		const struct brc_ynode *mn = brc_sc_child(lat, "model");

		for (size_t i = 0; i < BR_ARRAY_SIZE(models); i++)
			names[i] = models[i].name;
		brc_sc_join(path, base, "model");
		const char *sug = brc_suggest(model, names,
		                             BR_ARRAY_SIZE(models));

		if (!*model)
			brc_diag_add(d, &lat->mark, base,
			            "missing 'model' (none, fixed, uniform, "
			            "normal, lognormal, exponential)");
		else if (sug)
			brc_diag_add(d, &mn->mark, path,
			            "unknown latency model '%s', did you mean "
			            "'%s'?", model, sug);
		else
			brc_diag_add(d, &mn->mark, path,
			            "unknown latency model '%s' (none, fixed, "
			            "uniform, normal, lognormal, exponential)",
			            model);
		free(model);
		return;
	}
	free(model);
	l->model = models[m].model;
	for (size_t i = 0; models[m].keys[i] && i < 4; i++)
		keys[nk++] = models[m].keys[i];
	brc_sc_keys(d, lat, base, keys, nk);
	model_values(d, lat, base, m, l);
	tail(d, lat, base, l);
}

static void faults(struct brc_diag *d, const struct brc_ynode *srv,
                   struct brc_faults *f)
{
	static const char *const keys[] = { "error_rate", "error_status",
		                            "reset_rate", "truncate_rate" };
	const char *base = "server.faults";
	const struct brc_ynode *fm = brc_sc_map(d, srv, "server", "faults");
	int64_t status = f->error_status;

	if (!fm)
		return;
	brc_sc_keys(d, fm, base, keys, BR_ARRAY_SIZE(keys));
	brc_sc_double(d, fm, base, "error_rate", &f->error_rate, 0, 1);
	brc_sc_double(d, fm, base, "reset_rate", &f->reset_rate, 0, 1);
	brc_sc_double(d, fm, base, "truncate_rate", &f->truncate_rate, 0, 1);
	if (brc_sc_int(d, fm, base, "error_status", &status, 400, 599) > 0)
		f->error_status = (int)status;
	if (f->error_rate + f->reset_rate + f->truncate_rate > 1 + 1e-12)
		brc_diag_add(d, &fm->mark, base,
		            "error_rate + reset_rate + truncate_rate is more "
		            "than 1");
}

/* Templates must name the day, or every request would fetch one URL. */
static void check_template(struct brc_diag *d, const struct brc_ynode *srv,
                           const char *key, const char *t, bool is_url)
{
	const struct brc_ynode *n = brc_sc_child(srv, key);
	char path[BR_SC_PATH];
	const char *why;

	if (!n)
		return;
	brc_sc_join(path, "server", key);
	if (is_url && strncmp(t, "http://", 7) && strncmp(t, "https://", 8))
		brc_diag_add(d, &n->mark, path,
		            "'%s' is not an http:// or https:// URL", t);
	if (!is_url && t[0] != '/')
		brc_diag_add(d, &n->mark, path, "'%s' must start with '/'", t);
	/* libcurl refuses these at run time; a CR/LF would also split the
	 * request line.  Say so now. */
	for (const char *c = t; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f) {
			brc_diag_add(d, &n->mark, path, "has a space or control "
			            "character at offset %td (encode it: %%%02X)",
			            c - t, (unsigned)(unsigned char)*c);
			break;
		}
	if (brc_url_template_check(t, &why))
		brc_diag_add(d, &n->mark, path, "'%s': %s", t, why);
	else if (!strstr(t, "{date}") && !strstr(t, "{i}"))
		brc_diag_add(d, &n->mark, path,
		            "'%s' names neither {date} nor {i}: every request "
		            "would fetch the same URL", t);
}

void brc_sc_server(struct brc_diag *d, const struct brc_ynode *root,
                  struct brc_server *s)
{
	static const char *const keys[] = {
		"url", "path", "host", "port", "threads", "max_connections",
		"max_in_flight", "backlog", "conn_memory", "rate", "latency",
		"faults", "http2",
	};
	const char *base = "server";
	const struct brc_ynode *srv = brc_sc_map(d, root, "", "server");
	char *path = brc_xstrdup("/tickets/{route}/{date}");
	int64_t v, rate = 0;

	s->embedded = true;
	s->host = brc_xstrdup("127.0.0.1");
	s->threads = 2;
	s->max_connections = 20000;
	s->backlog = 4096;
	s->conn_memory = 8 * 1024;
	s->faults.error_status = 503;
	s->latency.tail_factor = 1;
	if (srv) {
		brc_sc_keys(d, srv, base, keys, BR_ARRAY_SIZE(keys));
		if (brc_sc_str(d, srv, base, "url", &s->url) > 0) {
			s->embedded = false;
			check_template(d, srv, "url", s->url, true);
		}
		if (brc_sc_str(d, srv, base, "path", &path) > 0)
			check_template(d, srv, "path", path, false);
		brc_sc_str(d, srv, base, "host", &s->host);
		if (brc_sc_int(d, srv, base, "port", &v, 0, 65535) > 0)
			s->port = (int)v;
		if (brc_sc_int(d, srv, base, "threads", &v, 1, 1024) > 0)
			s->threads = (int)v;
		brc_sc_int(d, srv, base, "max_connections", &s->max_connections,
		          1, 1000000);
		brc_sc_int(d, srv, base, "max_in_flight", &s->max_in_flight, 0,
		          1000000);
		brc_sc_int(d, srv, base, "backlog", &s->backlog, 1, 65535);
		brc_sc_size(d, srv, base, "conn_memory", &s->conn_memory, 1024,
		           (int64_t)1 << 30);
		if (brc_sc_size(d, srv, base, "rate", &rate, 0,
		               (int64_t)1 << 40) > 0)
			s->rate = (double)rate;
		brc_sc_bool(d, srv, base, "http2", &s->http2);
		latency(d, srv, &s->latency);
		faults(d, srv, &s->faults);
	}
	/* One template for whoever builds URLs: the external one as is, or
	 * the embedded server's path under its base URL. */
	s->url_template = s->url ? brc_xstrdup(s->url)
	                         : brc_xasprintf("{base}%s", path);
	free(path);
}

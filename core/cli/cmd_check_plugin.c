/*
 * cmd_check_plugin.c - `benchrun check-plugin FILE.so|NAME [--set P=V]`:
 * the conformance cases (check_cases.c) against one plugin, from any
 * benchrun, installed or not.  It names the plugin and every case with
 * PASS, FAIL (and why) or SKIP (and why), then a count.  --set P=V gives
 * the plugin a parameter in every case (exec needs its `command`);
 * --set server.K=V sets the embedded server's K (server.http2=true for a
 * plugin that speaks only h2c).
 *
 * Exit status: 0 every case passed or was skipped; 1 a case failed or the
 * plugin does not load; 2 usage error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/check.h"
#include "cli/cli.h"
#include "run/loader.h"
#include "util.h"

/* Nanoseconds to "1.2 s". */
static const char *took(char *buf, size_t n, uint64_t ns)
{
	return brc_fmt_duration(buf, n, (double)ns / 1e9);
}

static void describe(struct brc_check *c, const struct br_plugin *d)
{
	const struct br_param *cc = NULL;

	for (const struct br_param *p = d->params; p && p->name; p++)
		if (p->flags & BR_PARAM_F_CONCURRENCY)
			cc = p;
	if (!cc)
		cc = brc_plugin_param(d, "concurrency");
	c->concurrency = cc ? cc->name : NULL;
	c->keepalive = brc_plugin_param(d, "keepalive") != NULL;
	c->retries = brc_plugin_param(d, "retries") != NULL;
	c->timeout = brc_plugin_param(d, "timeout") != NULL;
	c->no_fetch = BR_HAS_MEMBER(struct br_plugin, d->size, flags) &&
	              (d->flags & BR_PLUGIN_F_NO_FETCH);
}

/* "k: v, k2: v2" from --set k=v (server.k=v with server set); NULL
 * (message printed) for a bad name. */
static char *extra_params(const struct brc_options *o,
                          const struct br_plugin *d, bool server)
{
	struct brc_buf b = { 0 };

	for (size_t i = 0; i < o->n_overrides; i++) {
		const char *k = o->overrides[i].path;

		if (!strncmp(k, "server.", 7) != server)
			continue;
		if (server) {
			brc_buf_printf(&b, "%s%s: %s", b.len ? ", " : "", k + 7,
			               o->overrides[i].value);
			continue;
		}
		if (!brc_plugin_param(d, k)) {
			brc_error("plugin '%s' has no parameter '%s' (see "
			          "benchrun plugins)", d->name, k);
			brc_buf_free(&b);
			return NULL;
		}
		brc_buf_printf(&b, "%s%s: %s", b.len ? ", " : "", k,
		               o->overrides[i].value);
	}
	return b.data ? b.data : brc_xstrdup("");
}

/* A program parameter without a default must come from --set: every
 * case would fail the same way without it. */
static bool has_programs(const struct brc_options *o,
                         const struct br_plugin *d)
{
	for (const struct br_param *p = d->params; p && p->name; p++) {
		bool given = false;

		if (!(p->flags & BR_PARAM_F_PROGRAM) || p->def)
			continue;
		for (size_t i = 0; i < o->n_overrides; i++)
			given = given || !strcmp(o->overrides[i].path, p->name);
		if (!given) {
			brc_error("plugin '%s' needs a program to run: give one "
			          "with --set '%s=[python3, fetch.py]'", d->name,
			          p->name);
			return false;
		}
	}
	return true;
}

static int run_cases(struct brc_check *c)
{
	int passed = 1, failed = 0, skipped = 0; /* "load" passed */
	char t[32];

	for (const struct brc_check_case *k = brc_check_cases; k->name; k++) {
		const char *skip = k->skip ? k->skip(c) : NULL;
		uint64_t t0;
		char *why;

		if (skip) {
			printf("  SKIP  %s: %s (%s)\n", k->name, k->what, skip);
			skipped++;
			continue;
		}
		t0 = brc_now_ns();
		why = k->run(c);
		printf("  %s  %s: %s (%s)\n", why ? "FAIL" : "PASS", k->name,
		       k->what, took(t, sizeof(t), brc_now_ns() - t0));
		if (why) {
			printf("        %s\n", brc_sanitize(why, 0));
			failed++;
		} else {
			passed++;
		}
		fflush(stdout);
		free(why);
	}
	printf("%s: %d passed, %d failed, %d skipped\n", c->name, passed,
	       failed, skipped);
	return failed ? BR_EXIT_FAIL : BR_EXIT_OK;
}

int brc_cmd_check_plugin(const struct brc_options *o)
{
	struct brc_check c = { 0 };
	struct brc_loaded pl;
	char tmpl[] = "/tmp/benchrun-check.XXXXXX", *err = NULL, *exe, *extra;
	const char *tmp = getenv("TMPDIR");
	char *dir, *desc, *srv_extra = NULL;
	int rc;

	/* In a child: a plugin whose loading crashes fails "load". */
	if (brc_plugin_describe(o->args[0], ".", o->plugin_path,
	                        BRC_DESCRIBE_TIMEOUT, &pl, &err)) {
		printf("check-plugin: %s\n  FAIL  load: %s\n", o->args[0],
		       brc_sanitize(err, 0));
		free(err);
		return BR_EXIT_FAIL;
	}
	desc = brc_xsanitized(pl.desc->description ? pl.desc->description : "",
	                      0);
	printf("check-plugin: %s (%s, ABI %u.%u): %s\n", pl.desc->name, pl.path,
	       pl.desc->abi_major, pl.desc->abi_minor, desc);
	free(desc);
	printf("  PASS  load: magic, ABI, required hooks, parameter table\n");
	fflush(stdout);
	extra = extra_params(o, pl.desc, false);
	if (extra && !has_programs(o, pl.desc)) {
		free(extra);
		extra = NULL;
	}
	if (!extra) {
		brc_plugin_close(&pl);
		return BR_EXIT_USAGE;
	}
	exe = realpath("/proc/self/exe", NULL);
	dir = tmp && *tmp ? brc_xasprintf("%s/benchrun-check.XXXXXX", tmp)
	                  : brc_xstrdup(tmpl);
	if (!exe || !mkdtemp(dir)) {
		brc_error("cannot make a temporary directory %s", dir);
		rc = BR_EXIT_FAIL;
		goto out;
	}
	c.name = pl.desc->name;
	c.path = pl.path;
	c.exe = exe;
	c.tmpdir = dir;
	c.extra = extra;
	c.server = srv_extra = extra_params(o, pl.desc, true);
	describe(&c, pl.desc);
	rc = run_cases(&c);
	{
		const char *const f[] = { "s.yaml", "r.json", "stderr.txt" };

		for (size_t i = 0; i < BR_ARRAY_SIZE(f); i++) {
			char *p = brc_xasprintf("%s/%s", dir, f[i]);

			unlink(p);
			free(p);
		}
		rmdir(dir);
	}
out:
	free(dir);
	free(exe);
	free(extra);
	free(srv_extra);
	brc_plugin_close(&pl);
	return rc;
}

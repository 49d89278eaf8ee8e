/*
 * scenario.c - load a scenario: read the file, parse it into a YAML tree
 * (yamltree.c), apply --set overrides to the tree, then validate every
 * section into the plain structs of scenario.h, collecting all errors
 * before giving up so that one run shows the user everything to fix.
 * The sections are scenario_<section>.c; outputs: and the top level are
 * here.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario/scenario_priv.h"

#define MAX_FILE (4u << 20)

static void outputs(struct brc_diag *d, const struct brc_ynode *root,
                    struct brc_outputs *o)
{
	static const char *const keys[] = { "json", "csv", "markdown", "plot",
	                                    "html" };
	char **const dst[] = { &o->json, &o->csv, &o->markdown, &o->plot,
	                       &o->html };
	const struct brc_ynode *om = brc_sc_map(d, root, "", "outputs");
	char path[BR_SC_PATH];

	if (!om)
		return;
	brc_sc_keys(d, om, "outputs", keys, BR_ARRAY_SIZE(keys));
	for (size_t i = 0; i < BR_ARRAY_SIZE(keys); i++) {
		const char *dot;

		if (brc_sc_str(d, om, "outputs", keys[i], dst[i]) <= 0)
			continue;
		brc_sc_join(path, "outputs", keys[i]);
		if (!**dst[i]) {
			brc_diag_add(d, &brc_sc_child(om, keys[i])->mark, path,
			            "is an empty path");
			continue;
		}
		/* Two outputs on one path would keep only the last. */
		for (size_t k = 0; k < i; k++)
			if (*dst[k] && !strcmp(*dst[k], *dst[i]))
				brc_diag_add(d, &brc_sc_child(om, keys[i])->mark,
				            path, "is the same file as outputs.%s: "
				            "each output needs its own path", keys[k]);
		/* The plot's format comes from its extension: say so now,
		 * not after the whole run. */
		dot = strrchr(*dst[i], '.');
		if (dst[i] == &o->plot && (!dot || (strcasecmp(dot, ".svg") &&
		                                    strcasecmp(dot, ".png"))))
			brc_diag_add(d, &brc_sc_child(om, keys[i])->mark, path,
			            "'%s': a picture is .svg or .png", *dst[i]);
	}
}

/* The file's name without directories and a .yaml/.yml suffix. */
static char *default_name(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t len;

	b = b && b[1] ? b + 1 : path;
	len = strlen(b);
	if (len > 5 && !strcmp(b + len - 5, ".yaml"))
		len -= 5;
	else if (len > 4 && !strcmp(b + len - 4, ".yml"))
		len -= 4;
	char *n = brc_xmalloc(len + 1);

	memcpy(n, b, len);
	n[len] = '\0';
	return n;
}

static void top(struct brc_diag *d, const struct brc_ynode *root,
                struct brc_scenario *sc)
{
	static const char *const keys[] = {
		"name", "description", "seed", "workload", "server",
		"strategies", "sweep", "runs", "outputs", "search",
	};
	const struct brc_ynode *n;
	int64_t seed = 1;

	brc_sc_keys(d, root, "", keys, BR_ARRAY_SIZE(keys));
	if (brc_sc_str(d, root, "", "name", &sc->name) > 0 &&
	    (!*sc->name || strchr(sc->name, '/') ||
	     !brc_is_clean(sc->name, 0))) {
		n = brc_sc_child(root, "name");
		brc_diag_add(d, &n->mark, "name", "a name must be non-empty, "
		            "without '/', newlines or other control characters");
	}
	brc_sc_str(d, root, "", "description", &sc->description);
	brc_sc_int(d, root, "", "seed", &seed, 0, INT64_MAX);
	brc_sc_workload(d, root, &sc->workload);
	sc->workload.seed = (uint64_t)seed;
	brc_sc_server(d, root, &sc->server);
	brc_sc_strategies(d, root, sc);
	brc_sc_sweeps(d, root, sc);
	brc_sc_runs(d, root, &sc->runs);
	outputs(d, root, &sc->outputs);
	brc_sc_search(d, root, &sc->search);
	brc_sc_arrival_check(d, root, sc);

	if (sc->runs.baseline) {
		size_t i;

		for (i = 0; i < sc->n_strategies; i++)
			if (sc->strategies[i].label &&
			    !strcmp(sc->strategies[i].label, sc->runs.baseline))
				break;
		if (i == sc->n_strategies && sc->n_strategies) {
			const char **labels = brc_xcalloc(sc->n_strategies,
			                                 sizeof(*labels));
			size_t nl = 0;

			for (i = 0; i < sc->n_strategies; i++)
				if (sc->strategies[i].label)
					labels[nl++] = sc->strategies[i].label;
			const char *s = brc_suggest(sc->runs.baseline, labels, nl);

			n = brc_sc_child(brc_sc_child(root, "runs"), "baseline");
			brc_diag_add(d, &n->mark, "runs.baseline",
			            "no strategy is labelled '%s'%s%s%s",
			            sc->runs.baseline,
			            s ? ", did you mean '" : "", s ? s : "",
			            s ? "'?" : "");
			free(labels);
		}
	}
}

static void finish(struct brc_diag *d, char **errbuf)
{
	if (!d->count) {
		brc_buf_free(&d->buf);
		return;
	}
	if (!errbuf) {
		fputs(d->buf.data, stderr);
	} else if (*errbuf) {
		char *all = brc_xasprintf("%s%s", *errbuf, d->buf.data);

		free(*errbuf);
		*errbuf = all;
	} else {
		*errbuf = d->buf.data;
		d->buf.data = NULL;
	}
	brc_buf_free(&d->buf);
}

/* Parse, override and validate; sc->path is set.  Returns the error
 * count. */
static int load(struct brc_scenario *sc, const char *text, size_t len,
                const struct brc_override *ov, size_t n_ov,
                struct brc_diag *d)
{
	struct brc_mark top_mark = { sc->path, 0, 0 };
	struct brc_ynode *root;
	uint64_t h = brc_fnv1a(text, len, BR_FNV_INIT);

	for (size_t i = 0; i < n_ov; i++) {
		h = brc_fnv1a("\n", 1, h);
		h = brc_fnv1a(ov[i].path, strlen(ov[i].path), h);
		h = brc_fnv1a("=", 1, h);
		h = brc_fnv1a(ov[i].value, strlen(ov[i].value), h);
	}
	sc->hash = brc_xasprintf("%016" PRIx64, h);
	{
		struct brc_buf t = { 0 };

		brc_buf_append(&t, text, len);
		for (size_t i = 0; i < n_ov; i++)
			brc_buf_printf(&t, "%s# --set %s=%s\n",
			              i || (len && text[len - 1] == '\n') ? "" : "\n",
			              ov[i].path, ov[i].value);
		sc->text = t.data;
	}

	/* Duplicate keys and the like still give a tree: go on and report
	 * the rest too.  Syntax errors give none. */
	root = brc_yaml_parse(sc->path, text, len, false, d);
	if (!root && d->count)
		goto out;
	if (!root || brc_ynode_is_null(root)) {
		brc_diag_add(d, &top_mark, NULL, "empty scenario: expected a "
		            "mapping with at least 'strategies'");
		goto out;
	}
	if (root->kind != BR_YNODE_MAP) {
		brc_diag_add(d, &root->mark, NULL, "a scenario is a mapping "
		            "of keys (name, workload, strategies, ...), not %s",
		            brc_ynode_kind_name(root));
		goto out;
	}
	sc->mark_files = brc_xcalloc(n_ov ? n_ov : 1, sizeof(char *));
	for (size_t i = 0; i < n_ov; i++) {
		/* Every message about it starts with this: keep it short. */
		char *label = brc_xasprintf("--set %.100s%s=%.100s%s", ov[i].path,
		                           strlen(ov[i].path) > 100 ? "..." : "",
		                           ov[i].value,
		                           strlen(ov[i].value) > 100 ? "..." : "");

		sc->mark_files[sc->n_mark_files++] = label;
		brc_sc_override(d, root, &ov[i], label);
	}
	top(d, root, sc);
	brc_sc_settings(root, sc);
	if (!sc->name)
		sc->name = default_name(sc->path);
out:
	brc_ynode_free(root);
	return d->count;
}

/* keep: on errors, leave in *out what was valid (see _partial). */
static int load_string(const char *name, const char *text, size_t len,
                       const struct brc_override *ov, size_t n_ov,
                       struct brc_scenario *out, char **errbuf, bool keep)
{
	struct brc_diag d = { 0 };

	memset(out, 0, sizeof(*out));
	out->path = brc_xstrdup(name);
	if (load(out, text, len, ov, n_ov, &d)) {
		if (!keep) {
			brc_scenario_free(out);
			memset(out, 0, sizeof(*out));
		}
		finish(&d, errbuf);
		return -1;
	}
	finish(&d, errbuf);
	return 0;
}

int brc_scenario_load_string(const char *name, const char *text, size_t len,
                            const struct brc_override *ov, size_t n_ov,
                            struct brc_scenario *out, char **errbuf)
{
	return load_string(name, text, len, ov, n_ov, out, errbuf, false);
}

static int load_file(const char *path, const struct brc_override *ov,
                     size_t n_ov, struct brc_scenario *out, char **errbuf,
                     bool keep);

int brc_scenario_load(const char *path, const struct brc_override *ov,
                     size_t n_ov, struct brc_scenario *out, char **errbuf)
{
	return load_file(path, ov, n_ov, out, errbuf, false);
}

int brc_scenario_load_partial(const char *path, const struct brc_override *ov,
                             size_t n_ov, struct brc_scenario *out,
                             char **errbuf)
{
	return load_file(path, ov, n_ov, out, errbuf, true);
}

static int load_file(const char *path, const struct brc_override *ov,
                     size_t n_ov, struct brc_scenario *out, char **errbuf,
                     bool keep)
{
	struct brc_mark m = { path, 0, 0 };
	struct brc_diag d = { 0 };
	size_t len;
	char *text;
	int r;

	memset(out, 0, sizeof(*out));
	text = brc_read_file(path, MAX_FILE, &len);
	if (!text) {
		if (errno == EFBIG)
			brc_diag_add(&d, &m, NULL, "too large for a scenario "
			            "(more than %u MiB)", MAX_FILE >> 20);
		else if (errno == EISDIR)
			brc_diag_add(&d, &m, NULL, "is a directory, not a "
			            "scenario file");
		else
			brc_diag_add(&d, &m, NULL, "cannot read: %s",
			            brc_file_strerror(errno));
		finish(&d, errbuf);
		return -1;
	}
	r = load_string(path, text, len, ov, n_ov, out, errbuf, keep);
	free(text);
	return r;
}

static void free_strategy(struct brc_strategy *s)
{
	for (size_t i = 0; i < s->n_params; i++) {
		for (size_t j = 0; j < s->params[i].n_items; j++)
			free(s->params[i].items[j]);
		free(s->params[i].items);
		free(s->params[i].name);
	}
	free(s->params);
	free(s->plugin);
	free(s->label);
}

void brc_scenario_free(struct brc_scenario *sc)
{
	if (!sc)
		return;
	free(sc->name);
	free(sc->description);
	free(sc->workload.start_date);
	free(sc->workload.route);
	free(sc->server.url);
	free(sc->server.url_template);
	free(sc->server.host);
	for (size_t i = 0; i < sc->n_strategies; i++)
		free_strategy(&sc->strategies[i]);
	free(sc->strategies);
	for (size_t i = 0; i < sc->n_sweeps; i++) {
		for (size_t j = 0; j < sc->sweeps[i].n_values; j++)
			free(sc->sweeps[i].values[j]);
		free(sc->sweeps[i].values);
		free(sc->sweeps[i].quoted);
		free(sc->sweeps[i].param);
	}
	free(sc->sweeps);
	free(sc->runs.baseline);
	for (size_t i = 0; i < sc->n_settings; i++) {
		free(sc->setting_keys[i]);
		free(sc->setting_values[i]);
	}
	free(sc->setting_keys);
	free(sc->setting_values);
	free(sc->outputs.json);
	free(sc->outputs.csv);
	free(sc->outputs.html);
	free(sc->outputs.markdown);
	free(sc->outputs.plot);
	free(sc->hash);
	free(sc->text);
	for (size_t i = 0; i < sc->n_mark_files; i++)
		free(sc->mark_files[i]);
	free(sc->mark_files);
	free(sc->path);
	memset(sc, 0, sizeof(*sc));
}

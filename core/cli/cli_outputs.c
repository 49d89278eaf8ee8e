/*
 * cli_outputs.c - which files a run writes.
 *
 * Without -o: the scenario's `outputs`, relative paths relative to the
 * scenario file's directory (scenario/paths.h), except a value set with
 * --set, which is relative to the current directory like any other
 * command-line argument.  With -o FILE.json: every output of the run is
 * derived from FILE: the JSON is FILE and each other format the scenario
 * asks for (unless --set names it too) goes next to it with the same stem
 * (out/x.json -> out/x.csv, out/x.md, out/x.svg keeping the scenario's
 * picture format, out/x.html), so the files of one run never mix with
 * another run's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "scenario/paths.h"
#include "util.h"

/* True when --set gave outputs or outputs.<key>. */
static bool overridden(const struct brc_options *o, const char *key)
{
	char full[64];

	snprintf(full, sizeof(full), "outputs.%s", key);
	for (size_t i = 0; i < o->n_overrides; i++)
		if (!strcmp(o->overrides[i].path, "outputs") ||
		    !strcmp(o->overrides[i].path, full))
			return true;
	return false;
}

static char *from_scenario(const struct brc_options *o, const char *dir,
                           const char *key, const char *path)
{
	if (!path)
		return NULL;
	if (overridden(o, key) && !brc_path_has_prefix(path))
		return brc_xstrdup(path);
	return brc_path_resolve(dir, path);
}

/* FILE's stem (FILE without a final .json) + ext. */
static char *derive(const char *file, const char *ext)
{
	const char *slash = strrchr(file, '/');
	const char *dot = strrchr(slash ? slash + 1 : file, '.');
	size_t stem = dot ? (size_t)(dot - file) : strlen(file);

	return brc_xasprintf("%.*s%s", (int)stem, file, ext);
}

static const char *ext_of(const char *path, const char *def)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash + 1 : path, '.');

	return dot ? dot : def;
}

/* With -o: an output the scenario names, next to -o's file, unless
 * --set named it explicitly. */
static char *derived(const struct brc_options *o, const char *dir,
                     const char *key, const char *path, const char *ext)
{
	if (!path)
		return NULL;
	if (overridden(o, key))
		return from_scenario(o, dir, key, path);
	return derive(o->output, ext);
}

void brc_cli_outputs(const struct brc_options *o, const struct brc_scenario *sc,
                     struct brc_out_paths *out)
{
	const struct brc_outputs *s = &sc->outputs;
	char *dir = brc_scenario_dir(sc->path);

	memset(out, 0, sizeof(*out));
	if (o->output) {
		out->json = brc_xstrdup(o->output);
		out->csv = derived(o, dir, "csv", s->csv, ".csv");
		out->markdown = derived(o, dir, "markdown", s->markdown, ".md");
		out->plot = derived(o, dir, "plot", s->plot,
		                    s->plot ? ext_of(s->plot, ".svg") : "");
		out->html = derived(o, dir, "html", s->html, ".html");
	} else {
		out->json = from_scenario(o, dir, "json", s->json);
		out->csv = from_scenario(o, dir, "csv", s->csv);
		out->markdown = from_scenario(o, dir, "markdown", s->markdown);
		out->plot = from_scenario(o, dir, "plot", s->plot);
		out->html = from_scenario(o, dir, "html", s->html);
	}
	free(dir);
}

void brc_cli_outputs_free(struct brc_out_paths *out)
{
	free(out->json);
	free(out->csv);
	free(out->markdown);
	free(out->plot);
	free(out->html);
	memset(out, 0, sizeof(*out));
}

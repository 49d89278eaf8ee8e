/*
 * plan.c - expand a scenario into plan items: every strategy at every
 * point of the sweeps its plugin declares.  Each plugin is loaded once,
 * checked, and every point's parameters are typed against its table here,
 * so `benchrun validate` finds a bad sweep value before anything runs.
 * Every problem is collected, not just the first.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "run/loader.h"
#include "run/plan.h"
#include "scenario/paths.h"
#include "util.h"

/* Errors, one per line, each reported once: a strategy's bad parameter
 * would otherwise repeat at every sweep point. */
static void add_errors(struct brc_buf *errs, const char *prefix,
                       const char *text)
{
	char *copy = brc_xstrdup(text), *save = NULL;

	for (char *line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *full = brc_xasprintf("%s%s", prefix, line);
		const char *hay = errs->data ? errs->data : "";
		size_t fl = strlen(full);
		bool seen = false;

		for (const char *at = strstr(hay, full); at && !seen;
		     at = strstr(at + 1, full))
			seen = (at == hay || at[-1] == '\n') &&
			       (at[fl] == '\n' || at[fl] == '\0');
		if (!seen)
			brc_buf_printf(errs, "%s%s", errs->len ? "\n" : "", full);
		free(full);
	}
	free(copy);
}

static char *mark_text(const struct brc_mark *m)
{
	if (!m->file)
		return brc_xstrdup("");
	if (m->line > 0)
		return brc_xasprintf("%s:%d:%d: ", m->file, m->line, m->col);
	return brc_xasprintf("%s: ", m->file);
}

static void copy_value(struct brc_param_value *dst,
                       const struct brc_param_value *src)
{
	dst->name = brc_xstrdup(src->name);
	dst->n_items = src->n_items;
	dst->is_list = src->is_list;
	dst->quoted = src->quoted;
	dst->mark = src->mark;
	dst->items = brc_xcalloc(src->n_items ? src->n_items : 1,
	                        sizeof(*dst->items));
	/* $datadir/ and $cwd/ are expanded here, in benchrun's own
	 * directory: the worker runs in the scenario's (scenario/paths.h). */
	for (size_t i = 0; i < src->n_items; i++)
		dst->items[i] = brc_path_has_prefix(src->items[i])
		                ? brc_path_resolve(NULL, src->items[i])
		                : brc_xstrdup(src->items[i]);
}

static void free_item(struct brc_plan_item *it)
{
	free(it->label);
	free(it->plugin_name);
	free(it->plugin_path);
	free(it->point);
	for (size_t i = 0; i < it->n_params; i++) {
		for (size_t j = 0; j < it->params[i].n_items; j++)
			free(it->params[i].items[j]);
		free(it->params[i].items);
		free(it->params[i].name);
	}
	free(it->params);
	for (size_t i = 0; i < it->n_eff; i++) {
		free(it->eff_names[i]);
		free(it->eff_values[i]);
	}
	free(it->eff_names);
	free(it->eff_values);
}

void brc_plan_free(struct brc_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		free_item(&p->items[i]);
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

/* The strategy's concurrency: the parameter flagged
 * BR_PARAM_F_CONCURRENCY, else by convention (see plan.h). */
static int64_t concurrency_of(const struct br_plugin *d, const void *opts)
{
	static const char *const names[] = { "concurrency", "workers",
		                             "max_threads" };

	for (const struct br_param *p = d->params; p && p->name; p++)
		if ((p->flags & BR_PARAM_F_CONCURRENCY) &&
		    (p->type == BR_PARAM_INT || p->type == BR_PARAM_SIZE))
			return *(const int64_t *)((const char *)opts + p->offset);
	for (size_t i = 0; i < BR_ARRAY_SIZE(names); i++) {
		const struct br_param *p = brc_plugin_param(d, names[i]);

		if (p && (p->type == BR_PARAM_INT || p->type == BR_PARAM_SIZE))
			return *(const int64_t *)((const char *)opts + p->offset);
	}
	return 1;
}

/* The open model's offered rate: swept by the core, not by a plugin. */
static bool is_rate(const struct brc_sweep *sw)
{
	return !strcmp(sw->param, "rate");
}

/* What one expansion needs to know. */
struct expand {
	const struct brc_scenario *sc;
	size_t strategy;
	const struct brc_loaded *pl;
	const size_t *sweeps; /* indices of the sweeps the plugin declares */
	size_t n_sweeps;
	struct brc_plan *plan;
	struct brc_buf *errs;
	const char *dir;      /* the scenario's directory */
};

/* The mark of the strategy's value for parameter `name`, if it has one. */
static const struct brc_mark *param_mark(const struct brc_strategy *st,
                                         const char *name)
{
	for (size_t i = 0; i < st->n_params; i++)
		if (!strcmp(st->params[i].name, name))
			return &st->params[i].mark;
	return &st->mark;
}

/* Every program parameter (BR_PARAM_F_PROGRAM) can be started. */
static void check_programs(const struct expand *x, const void *opts)
{
	const struct brc_strategy *st = &x->sc->strategies[x->strategy];
	const struct br_plugin *d = x->pl->desc;
	const struct br_param *cwdp = brc_plugin_param(d, "cwd");
	const char *cwd = NULL;
	char *dir;

	if (cwdp && cwdp->type == BR_PARAM_STRING)
		cwd = *(const char *const *)((const char *)opts + cwdp->offset);
	dir = cwd && *cwd ? brc_path_resolve(x->dir, cwd) : brc_xstrdup(x->dir);
	for (const struct br_param *p = d->params; p && p->name; p++) {
		char *why, *prefix, *msg;

		if (!(p->flags & BR_PARAM_F_PROGRAM) ||
		    p->type != BR_PARAM_STRLIST)
			continue;
		why = brc_program_problem(*(const char *const *const *)
		                          ((const char *)opts + p->offset), dir);
		if (!why)
			continue;
		prefix = mark_text(param_mark(st, p->name));
		msg = brc_xasprintf("%s: %s: %s", st->label ? st->label : st->plugin,
		                    p->name, why);
		add_errors(x->errs, prefix, msg);
		free(msg);
		free(prefix);
		free(why);
	}
	free(dir);
}

/* One plan item at the sweep point given by idx (a value per sweep). */
static void add_point(const struct expand *x, const size_t *idx)
{
	const struct brc_strategy *st = &x->sc->strategies[x->strategy];
	const struct br_plugin *d = x->pl->desc;
	struct brc_plan_item it = { .strategy = x->strategy };
	struct brc_buf point = { 0 };
	size_t n_plugin = 0;
	char *err;
	void *opts;

	it.n_params = st->n_params + x->n_sweeps;
	it.params = brc_xcalloc(it.n_params ? it.n_params : 1,
	                       sizeof(*it.params));
	for (size_t i = 0; i < st->n_params; i++)
		copy_value(&it.params[i], &st->params[i]);
	it.rate = x->sc->workload.arrival.model == BR_ARRIVAL_OPEN
	          ? x->sc->workload.arrival.rate : 0;
	for (size_t k = 0; k < x->n_sweeps; k++) {
		const struct brc_sweep *sw = &x->sc->sweeps[x->sweeps[k]];
		struct brc_param_value v = {
			.name = sw->param,
			.items = &sw->values[idx[k]],
			.n_items = 1,
			.quoted = sw->quoted && sw->quoted[idx[k]],
			.mark = sw->mark,
		};

		brc_buf_printf(&point, "%s%s=%s", k ? "," : "", sw->param,
		              sw->values[idx[k]]);
		if (is_rate(sw)) {
			/* The core's: checked by the scenario, not a plugin's. */
			it.rate = strtod(sw->values[idx[k]], NULL);
			it.n_params--;
			continue;
		}
		copy_value(&it.params[st->n_params + n_plugin++], &v);
	}
	it.point = point.data ? point.data : brc_xstrdup("");
	if (brc_params_build(d, it.params, it.n_params, &opts, &err)) {
		add_errors(x->errs, "", err);
		free(err);
		free_item(&it);
		return;
	}
	check_programs(x, opts);
	it.label = brc_xstrdup(st->label ? st->label : st->plugin);
	it.plugin_name = brc_xstrdup(d->name);
	it.plugin_path = brc_xstrdup(x->pl->path);
	for (const struct br_param *p = d->params; p && p->name; p++)
		it.n_eff++;
	it.eff_names = brc_xcalloc(it.n_eff + 1, sizeof(char *));
	it.eff_values = brc_xcalloc(it.n_eff + 1, sizeof(char *));
	for (size_t i = 0; i < it.n_eff; i++) {
		it.eff_names[i] = brc_xstrdup(d->params[i].name);
		it.eff_values[i] = brc_params_format(&d->params[i], opts);
	}
	it.concurrency = concurrency_of(d, opts);
	brc_params_free(d, opts);
	x->plan->items = brc_xrealloc(x->plan->items,
	                             (x->plan->n + 1) * sizeof(it));
	x->plan->items[x->plan->n++] = it;
}

/* Every point of the cartesian product, the first sweep varying slowest. */
static void expand_strategy(const struct expand *x)
{
	size_t *idx = brc_xcalloc(x->n_sweeps + 1, sizeof(*idx));

	for (;;) {
		size_t k;

		add_point(x, idx);
		for (k = x->n_sweeps; k > 0; k--) {
			const struct brc_sweep *sw = &x->sc->sweeps[x->sweeps[k - 1]];

			if (++idx[k - 1] < sw->n_values)
				break;
			idx[k - 1] = 0;
		}
		if (k == 0)
			break;
	}
	free(idx);
}

/* Remember the names a plugin declares, for sweep suggestions. */
static void add_names(const struct br_plugin *d, char ***names, size_t *n)
{
	for (const struct br_param *p = d->params; p && p->name; p++) {
		size_t i;

		for (i = 0; i < *n && strcmp((*names)[i], p->name); i++)
			;
		if (i < *n)
			continue;
		*names = brc_xrealloc(*names, (*n + 1) * sizeof(**names));
		(*names)[(*n)++] = brc_xstrdup(p->name);
	}
}

static void refuse_closed_only(const struct brc_strategy *st,
                               const struct brc_loaded *pl,
                               struct brc_buf *errs)
{
	char *prefix = mark_text(&st->mark);
	char *msg = brc_xasprintf(
		"strategy '%s': plugin '%s' (ABI %u.%u) does not honour due "
		"times (BR_PLUGIN_F_DUE), so it cannot run an open-model "
		"scenario (workload.arrival.model: open); run it closed, or "
		"support host->due() (docs/writing-a-plugin.md)",
		st->label ? st->label : st->plugin, pl->desc->name,
		pl->desc->abi_major, pl->desc->abi_minor);

	add_errors(errs, prefix, msg);
	free(msg);
	free(prefix);
}

static void unmatched_sweep(const struct brc_sweep *sw, char **names,
                            size_t n, struct brc_buf *errs)
{
	const char *best = brc_suggest(sw->param, (const char *const *)names, n);
	char *prefix = mark_text(&sw->mark);
	char *msg = brc_xasprintf("sweep '%s' matches no strategy's parameters"
	                         "%s%s%s", sw->param,
	                         best ? " (did you mean '" : "",
	                         best ? best : "", best ? "'?)" : "");

	add_errors(errs, prefix, msg);
	free(msg);
	free(prefix);
}

int brc_plan_build(const struct brc_scenario *sc, const char *plugin_path,
                  struct brc_plan *out, char **err)
{
	struct brc_buf errs = { 0 };
	char *base = brc_scenario_dir(sc->path);
	bool *matched = brc_xcalloc(sc->n_sweeps + 1, sizeof(*matched));
	size_t *sweeps = brc_xcalloc(sc->n_sweeps + 1, sizeof(*sweeps));
	char **names = NULL;
	size_t n_names = 0;
	bool load_failed = false;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	for (size_t s = 0; s < sc->n_strategies; s++) {
		const struct brc_strategy *st = &sc->strategies[s];
		struct brc_loaded pl;
		struct expand x = { .sc = sc, .strategy = s, .pl = &pl,
			            .sweeps = sweeps, .plan = out,
			            .errs = &errs, .dir = base };
		char *e, *name = brc_path_has_prefix(st->plugin)
		                 ? brc_path_resolve(base, st->plugin)
		                 : brc_xstrdup(st->plugin);
		int orc = brc_plugin_describe(name, base, plugin_path,
		                              BRC_DESCRIBE_TIMEOUT, &pl, &e);

		free(name);
		if (orc) {
			char *prefix = mark_text(&st->mark);

			add_errors(&errs, prefix, e);
			free(prefix);
			free(e);
			load_failed = true;
			continue;
		}
		add_names(pl.desc, &names, &n_names);
		if (sc->workload.arrival.model == BR_ARRIVAL_OPEN &&
		    !brc_plugin_honours_due(pl.desc))
			refuse_closed_only(st, &pl, &errs);
		for (size_t k = 0; k < sc->n_sweeps; k++) {
			if ((!is_rate(&sc->sweeps[k]) &&
			     !brc_plugin_param(pl.desc, sc->sweeps[k].param)) ||
			    !sc->sweeps[k].n_values)
				continue;
			matched[k] = true;
			sweeps[x.n_sweeps++] = k;
		}
		expand_strategy(&x);
		brc_plugin_close(&pl);
	}
	/* With a plugin missing we cannot tell whether it declares the
	 * swept parameter, so only complain when every plugin loaded. */
	for (size_t k = 0; k < sc->n_sweeps && !load_failed; k++)
		if (!matched[k])
			unmatched_sweep(&sc->sweeps[k], names, n_names, &errs);
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	free(sweeps);
	free(matched);
	free(base);
	if (errs.len) {
		brc_plan_free(out);
		*err = errs.data;
		return -1;
	}
	brc_buf_free(&errs);
	return 0;
}

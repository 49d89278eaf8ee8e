/*
 * scenario_runs.c - the `runs:` section (repetitions, with `auto` and its
 * bounds; the order runs are taken in; warm-ups, timeouts, baseline), and
 * the scenario's settings flattened to "path = value" pairs, so that
 * `benchrun compare` can name exactly which field two results differ in.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_priv.h"
#include "util.h"

static const char *const order_names[] = {
	[BR_ORDER_INTERLEAVED] = "interleaved",
	[BR_ORDER_RANDOM] = "random",
	[BR_ORDER_BLOCKED] = "blocked",
};

const char *brc_run_order_name(enum brc_run_order o)
{
	return (size_t)o < BR_ARRAY_SIZE(order_names) ? order_names[o] : "?";
}

static void order(struct brc_diag *d, const struct brc_ynode *rm,
                  struct brc_runs *r)
{
	char *name = NULL;

	if (brc_sc_str(d, rm, "runs", "order", &name) <= 0)
		return;
	for (size_t i = 0; i < BR_ARRAY_SIZE(order_names); i++)
		if (!strcmp(name, order_names[i])) {
			r->order = (enum brc_run_order)i;
			free(name);
			return;
		}
	brc_diag_add(d, &brc_sc_child(rm, "order")->mark, "runs.order",
	            "'%s': the order is interleaved, random or blocked", name);
	free(name);
}

/* `repetitions: auto` or a number. */
static void repetitions(struct brc_diag *d, const struct brc_ynode *rm,
                        struct brc_runs *r)
{
	const struct brc_ynode *n = brc_sc_child(rm, "repetitions");

	if (n && n->kind == BR_YNODE_SCALAR && n->value &&
	    !strcmp(n->value, "auto")) {
		r->auto_reps = true;
		return;
	}
	brc_sc_int(d, rm, "runs", "repetitions", &r->repetitions, 1, 100000);
}

void brc_sc_runs(struct brc_diag *d, const struct brc_ynode *root,
                struct brc_runs *r)
{
	static const char *const keys[] = {
		"repetitions", "warmup", "timeout", "sample_interval",
		"baseline", "tolerate_errors", "order", "min_repetitions",
		"max_repetitions", "target_ci",
	};
	const char *base = "runs";
	const struct brc_ynode *rm = brc_sc_map(d, root, "", base);

	r->repetitions = 1;
	r->timeout = 60;
	r->sample_interval = 0.010;
	r->order = BR_ORDER_INTERLEAVED;
	r->min_repetitions = 5;
	r->max_repetitions = 30;
	r->target_ci = 0.02;
	if (!rm)
		return;
	brc_sc_keys(d, rm, base, keys, BR_ARRAY_SIZE(keys));
	repetitions(d, rm, r);
	brc_sc_int(d, rm, base, "warmup", &r->warmup, 0, 100000);
	brc_sc_duration(d, rm, base, "timeout", &r->timeout, 1e-3, 7 * 86400);
	brc_sc_duration(d, rm, base, "sample_interval", &r->sample_interval,
	               1e-4, 3600);
	brc_sc_str(d, rm, base, "baseline", &r->baseline);
	brc_sc_bool(d, rm, base, "tolerate_errors", &r->tolerate_errors);
	order(d, rm, r);
	brc_sc_int(d, rm, base, "min_repetitions", &r->min_repetitions, 3,
	          100000);
	brc_sc_int(d, rm, base, "max_repetitions", &r->max_repetitions, 3,
	          100000);
	brc_sc_double(d, rm, base, "target_ci", &r->target_ci, 1e-4, 1);
	if (r->auto_reps && r->max_repetitions < r->min_repetitions)
		brc_diag_add(d, &brc_sc_child(rm, "max_repetitions")->mark,
		            "runs.max_repetitions", "is below min_repetitions "
		            "(%lld)", (long long)r->min_repetitions);
	/* With auto, the group arrays are sized by the most runs. */
	if (r->auto_reps)
		r->repetitions = r->max_repetitions;
}

static void add_setting(struct brc_scenario *sc, const char *path,
                        const char *value)
{
	sc->setting_keys = brc_xrealloc(sc->setting_keys,
	                               (sc->n_settings + 1) * sizeof(char *));
	sc->setting_values = brc_xrealloc(sc->setting_values,
	                                 (sc->n_settings + 1) * sizeof(char *));
	sc->setting_keys[sc->n_settings] = brc_xstrdup(path);
	sc->setting_values[sc->n_settings++] = brc_xstrdup(value ? value : "");
}

/* Depth-first, in file order: "workload.days", "strategies[1].plugin". */
static void flatten(struct brc_scenario *sc, const struct brc_ynode *n,
                    const char *path, int depth)
{
	char sub[BR_SC_PATH];

	if (!n || depth > 16)
		return;
	switch (n->kind) {
	case BR_YNODE_MAP:
		for (size_t i = 0; i < n->n; i++) {
			brc_sc_join(sub, path, n->keys[i]);
			flatten(sc, n->items[i], sub, depth + 1);
		}
		break;
	case BR_YNODE_SEQ:
		for (size_t i = 0; i < n->n; i++) {
			brc_sc_index(sub, path, i);
			flatten(sc, n->items[i], sub, depth + 1);
		}
		break;
	default:
		add_setting(sc, path, n->value);
		break;
	}
}

void brc_sc_settings(const struct brc_ynode *root, struct brc_scenario *sc)
{
	flatten(sc, root, "", 0);
}

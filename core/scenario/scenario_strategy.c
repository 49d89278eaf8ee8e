/*
 * scenario_strategy.c - the `strategies:` list and the `sweep:` mapping.
 *
 * Parameters stay untyped text here (struct brc_param_value): only a
 * plugin's declared table knows their types, and core/plan.c checks them
 * against it.  What can be checked without the plugin is checked here:
 * the shape (scalars or flat lists of scalars), unique labels, and that a
 * sweep is a non-empty list of distinct scalars.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_priv.h"

/* A flat list of scalars (or a single scalar when allow_scalar); fills
 * items (malloc'd copies).  -1 with an error otherwise. */
static int scalars(struct brc_diag *d, const struct brc_ynode *n,
                   const char *path, bool allow_scalar, char ***items,
                   size_t *n_items)
{
	char p[BR_SC_PATH];

	if (n->kind == BR_YNODE_MAP) {
		brc_diag_add(d, &n->mark, path, "expected %s, found a mapping "
		            "(nested mappings are not allowed here)",
		            allow_scalar ? "a value or a list of values"
		                         : "a list of values");
		return -1;
	}
	if (n->kind == BR_YNODE_SCALAR) {
		if (!allow_scalar) {
			brc_diag_add(d, &n->mark, path,
			            "expected a list of values, e.g. [1, 10, "
			            "100], found a scalar");
			return -1;
		}
		if (brc_ynode_is_null(n)) {
			brc_diag_add(d, &n->mark, path, "has no value");
			return -1;
		}
		*items = brc_xmalloc(sizeof(**items));
		(*items)[0] = brc_xstrdup(n->value);
		*n_items = 1;
		return 0;
	}
	if (!n->n) {
		brc_diag_add(d, &n->mark, path, "is an empty list");
		return -1;
	}
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->kind == BR_YNODE_SCALAR &&
		    !brc_ynode_is_null(n->items[i]))
			continue;
		brc_sc_index(p, path, i);
		brc_diag_add(d, &n->items[i]->mark, p, "expected a value, "
		            "found %s", brc_ynode_is_null(n->items[i])
		                            ? "nothing"
		                            : brc_ynode_kind_name(n->items[i]));
		return -1;
	}
	*items = brc_xcalloc(n->n, sizeof(**items));
	for (size_t i = 0; i < n->n; i++)
		(*items)[i] = brc_xstrdup(n->items[i]->value);
	*n_items = n->n;
	return 0;
}

static void params(struct brc_diag *d, const struct brc_ynode *st,
                   const char *base, struct brc_strategy *s)
{
	const struct brc_ynode *pm = brc_sc_map(d, st, base, "params");
	char path[BR_SC_PATH], pbase[BR_SC_PATH];

	if (!pm)
		return;
	brc_sc_join(pbase, base, "params");
	s->params = brc_xcalloc(pm->n ? pm->n : 1, sizeof(*s->params));
	for (size_t i = 0; i < pm->n; i++) {
		struct brc_param_value *p = &s->params[s->n_params];

		brc_sc_join(path, pbase, pm->keys[i]);
		if (scalars(d, pm->items[i], path, true, &p->items,
		            &p->n_items))
			continue;
		p->name = brc_xstrdup(pm->keys[i]);
		p->is_list = pm->items[i]->kind == BR_YNODE_SEQ;
		p->quoted = pm->items[i]->kind == BR_YNODE_SCALAR &&
		            !pm->items[i]->plain;
		p->mark = pm->items[i]->mark;
		s->n_params++;
	}
}

/* Default label: the plugin's name, or a path's file name without .so. */
static char *default_label(const char *plugin)
{
	const char *b = strrchr(plugin, '/');
	size_t len;

	b = b ? b + 1 : plugin;
	len = strlen(b);
	if (len > 3 && (!strcmp(b + len - 3, ".so") ||
	                !strcmp(b + len - 3, ".la")))
		len -= 3;
	char *l = brc_xmalloc(len + 1);

	memcpy(l, b, len);
	l[len] = '\0';
	return l;
}

static bool label_ok(const char *l)
{
	/* Labels reach terminals, CSV and pictures: no control characters
	 * (C1 included) and well-formed UTF-8. */
	return *l && strlen(l) <= 64 && brc_is_clean(l, 0);
}

/* `plugin: null` is YAML's null, but nobody writes it to mean "no
 * plugin": it names the null plugin (the harness-overhead one). */
static bool names_null_plugin(const struct brc_ynode *n)
{
	return n && n->kind == BR_YNODE_SCALAR && n->value &&
	       !strcmp(n->value, "null");
}

static void strategy(struct brc_diag *d, const struct brc_ynode *n,
                     const char *base, struct brc_strategy *s)
{
	static const char *const keys[] = { "plugin", "label", "params" };
	const struct brc_ynode *lab;

	s->mark = n->mark;
	/* "- sync" is short for "- plugin: sync". */
	if (n->kind == BR_YNODE_SCALAR && (!brc_ynode_is_null(n) ||
	                                   names_null_plugin(n))) {
		s->plugin = brc_xstrdup(n->value);
	} else if (n->kind != BR_YNODE_MAP) {
		brc_diag_add(d, &n->mark, base, "expected a mapping with "
		            "'plugin', found %s", brc_ynode_is_null(n)
		                                      ? "nothing"
		                                      : brc_ynode_kind_name(n));
		return;
	} else {
		brc_sc_keys(d, n, base, keys, BR_ARRAY_SIZE(keys));
		if (names_null_plugin(brc_ynode_get(n, "plugin", NULL)))
			s->plugin = brc_xstrdup("null");
		else if (brc_sc_str(d, n, base, "plugin", &s->plugin) == 0)
			brc_diag_add(d, &n->mark, base,
			            "missing 'plugin' (the strategy's plugin "
			            "name, e.g. 'threads')");
		brc_sc_str(d, n, base, "label", &s->label);
		params(d, n, base, s);
	}
	if (s->plugin && !*s->plugin) {
		brc_diag_add(d, &n->mark, base, "'plugin' is empty");
		free(s->plugin);
		s->plugin = NULL;
	}
	lab = brc_sc_child(n, "label");
	if (s->label && !label_ok(s->label)) {
		char path[BR_SC_PATH];

		brc_sc_join(path, base, "label");
		brc_diag_add(d, &lab->mark, path, "a label must be 1 to 64 "
		            "printable characters");
	}
	if (!s->label && s->plugin)
		s->label = default_label(s->plugin);
}

void brc_sc_strategies(struct brc_diag *d, const struct brc_ynode *root,
                      struct brc_scenario *sc)
{
	const struct brc_ynode *list = brc_sc_child(root, "strategies");
	char path[BR_SC_PATH];

	if (!list) {
		brc_diag_add(d, &root->mark, "strategies", "missing: a "
		            "scenario needs a list of strategies to compare");
		return;
	}
	if (list->kind != BR_YNODE_SEQ) {
		brc_diag_add(d, &list->mark, "strategies", "expected a list, "
		            "found %s", brc_ynode_kind_name(list));
		return;
	}
	if (!list->n) {
		brc_diag_add(d, &list->mark, "strategies", "is empty: list at "
		            "least one strategy");
		return;
	}
	sc->strategies = brc_xcalloc(list->n, sizeof(*sc->strategies));
	sc->n_strategies = list->n;
	for (size_t i = 0; i < list->n; i++) {
		brc_sc_index(path, "strategies", i);
		strategy(d, list->items[i], path, &sc->strategies[i]);
	}
	/* Labels name a strategy in reports and in runs.baseline. */
	for (size_t i = 1; i < list->n; i++) {
		const struct brc_strategy *s = &sc->strategies[i];

		for (size_t j = 0; j < i && s->label; j++) {
			if (!sc->strategies[j].label ||
			    strcmp(s->label, sc->strategies[j].label))
				continue;
			brc_sc_index(path, "strategies", i);
			brc_diag_add(d, &s->mark, path, "duplicate label '%s' "
			            "(also strategies[%zu]); give each a "
			            "distinct 'label'", s->label, j);
			break;
		}
	}
}

void brc_sc_sweeps(struct brc_diag *d, const struct brc_ynode *root,
                  struct brc_scenario *sc)
{
	const struct brc_ynode *sw = brc_sc_map(d, root, "", "sweep");
	char path[BR_SC_PATH];

	if (!sw)
		return;
	sc->sweeps = brc_xcalloc(sw->n ? sw->n : 1, sizeof(*sc->sweeps));
	for (size_t i = 0; i < sw->n; i++) {
		struct brc_sweep *s = &sc->sweeps[sc->n_sweeps];
		const struct brc_ynode *v = sw->items[i];

		brc_sc_join(path, "sweep", sw->keys[i]);
		if (brc_ynode_is_null(v)) {
			brc_diag_add(d, &sw->key_marks[i], path, "expected a "
			            "list of values, e.g. [1, 10, 100], found "
			            "nothing");
			continue;
		}
		if (scalars(d, v, path, false, &s->values, &s->n_values))
			continue;
		s->param = brc_xstrdup(sw->keys[i]);
		s->quoted = brc_xcalloc(s->n_values, sizeof(*s->quoted));
		for (size_t a = 0; a < s->n_values; a++)
			s->quoted[a] = !v->items[a]->plain;
		s->mark = sw->key_marks[i];
		sc->n_sweeps++;
		for (size_t a = 0; a < s->n_values; a++) {
			char p[BR_SC_PATH];

			/* A value becomes part of the sweep point, shown
			 * everywhere a label is. */
			if (brc_is_clean(s->values[a], 0))
				continue;
			brc_sc_index(p, path, a);
			brc_diag_add(d, &v->items[a]->mark, p, "has a control "
			            "character or is not UTF-8");
		}
		for (size_t a = 1; a < s->n_values; a++) {
			for (size_t b = 0; b < a; b++) {
				if (strcmp(s->values[a], s->values[b]))
					continue;
				char p[BR_SC_PATH];

				brc_sc_index(p, path, a);
				brc_diag_add(d, &v->items[a]->mark, p,
				            "'%s' is already in this sweep",
				            s->values[a]);
				break;
			}
		}
	}
}

/*
 * yamltree_map.c - a YAML mapping built from libyaml's events: its keys
 * (scalars only, duplicates reported with where the first one was) and
 * its '<<' merge keys, applied once the mapping is complete so that
 * explicit keys win whatever their place.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "scenario/yamltree.h"
#include "scenario/yamltree_priv.h"

static int cmp_key(const void *a, const void *b, void *map)
{
	const struct brc_ynode *m = map;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(m->keys[i], m->keys[j]);

	return c ? c : (i < j ? -1 : i > j);
}

/* Sorting keeps this O(n log n) for hostile maps with many keys. */
static void check_duplicates(struct brc_ybuilder *b,
                             struct brc_ynode *map)
{
	size_t *idx;

	if (map->n < 2)
		return;
	idx = brc_xmalloc(map->n * sizeof(*idx));
	for (size_t i = 0; i < map->n; i++)
		idx[i] = i;
	qsort_r(idx, map->n, sizeof(*idx), cmp_key, map);
	for (size_t i = 1; i < map->n; i++) {
		size_t first = idx[i - 1], dup = idx[i];

		if (strcmp(map->keys[first], map->keys[dup]))
			continue;
		brc_diag_add(b->d, &map->key_marks[dup], NULL,
		            "duplicate key '%s' (first at line %d)",
		            map->keys[dup], map->key_marks[first].line);
	}
	free(idx);
}

/* "<<: *base" or "<<: [*a, *b]": copy keys the map does not have yet;
 * explicit keys win, then earlier sources. */
static void merge_into(struct brc_ybuilder *b, struct brc_ynode *map,
                       struct brc_ynode *src, const struct brc_mark *m)
{
	if (src->kind == BR_YNODE_SEQ) {
		for (size_t i = 0; i < src->n; i++)
			merge_into(b, map, src->items[i], m);
		return;
	}
	if (src->kind != BR_YNODE_MAP) {
		brc_diag_add(b->d, m, NULL,
		            "a merge key '<<' needs a mapping or a list of "
		            "mappings, found %s", brc_ynode_kind_name(src));
		return;
	}
	for (size_t i = 0; i < src->n && !b->failed; i++) {
		if (brc_ynode_get(map, src->keys[i], NULL))
			continue;
		if (!brc_ybuild_budget(b, src->items[i]->weight, m))
			return;
		brc_ynode_map_add(map, src->keys[i], &src->key_marks[i],
		                 brc_ynode_copy(src->items[i]));
	}
}

struct brc_ynode *brc_ybuild_map(struct brc_ybuilder *b,
                                 struct brc_ynode *map, int depth)
{
	struct brc_ynode *merges = brc_ynode_new(BR_YNODE_SEQ, NULL);
	yaml_event_t ev;

	while (!b->failed && !brc_ybuild_next(b, &ev)) {
		struct brc_ynode *key, *val;
		struct brc_mark km;

		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			check_duplicates(b, map);
			for (size_t i = 0; i < merges->n; i++)
				merge_into(b, map, merges->items[i],
				           &merges->items[i]->mark);
			brc_ynode_free(merges);
			return map;
		}
		km = brc_ybuild_mark(b, ev.start_mark);
		key = brc_ybuild_node(b, &ev, depth + 1);
		if (b->failed || brc_ybuild_next(b, &ev)) {
			brc_ynode_free(key);
			break;
		}
		val = brc_ybuild_node(b, &ev, depth + 1);
		if (!key || !val) {
			brc_ynode_free(key);
			brc_ynode_free(val);
			continue;
		}
		if (key->kind != BR_YNODE_SCALAR) {
			brc_diag_add(b->d, &km, NULL,
			            "a mapping key must be a scalar, not %s",
			            brc_ynode_kind_name(key));
			brc_ynode_free(val);
		} else if (key->plain && !strcmp(key->value, "<<")) {
			/* Two '<<' keys are a duplicate key like any other
			 * (YAML 1.1 wants one, with a list for several). */
			if (merges->n)
				brc_diag_add(b->d, &km, NULL, "duplicate merge key "
				            "'<<': write one, '<<: [*a, *b]'");
			brc_ynode_seq_add(merges, val);
		} else {
			brc_ynode_map_add(map, key->value, &km, val);
		}
		brc_ynode_free(key);
	}
	brc_ynode_free(merges);
	brc_ynode_free(map);
	return NULL;
}

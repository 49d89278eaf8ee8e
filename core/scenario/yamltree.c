/*
 * yamltree.c - the node tree the scenario parser works on: creation,
 * lookup, copy and free, and the collected diagnostics.  Building it from
 * libyaml's events is yamltree_parse.c.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/yamltree.h"

void br_diag_add(struct br_diag *d, const struct br_mark *m,
                 const char *path, const char *fmt, ...)
{
	va_list ap;

	if (m && m->file && m->line > 0)
		br_buf_printf(&d->buf, "%s:%d:%d: ", m->file, m->line, m->col);
	else if (m && m->file)
		br_buf_printf(&d->buf, "%s: ", m->file);
	if (path && *path)
		br_buf_printf(&d->buf, "%s: ", path);
	va_start(ap, fmt);
	br_buf_vprintf(&d->buf, fmt, ap);
	va_end(ap);
	br_buf_append(&d->buf, "\n", 1);
	d->count++;
}

struct br_ynode *br_ynode_new(enum br_ynode_kind kind,
                              const struct br_mark *m)
{
	struct br_ynode *n = br_xcalloc(1, sizeof(*n));

	n->kind = kind;
	if (m)
		n->mark = *m;
	n->weight = 1;
	return n;
}

static void grow(struct br_ynode *n)
{
	if (n->n < n->cap)
		return;
	n->cap = n->cap ? 2 * n->cap : 4;
	n->items = br_xrealloc(n->items, n->cap * sizeof(*n->items));
	if (n->kind == BR_YNODE_MAP) {
		n->keys = br_xrealloc(n->keys, n->cap * sizeof(*n->keys));
		n->key_marks = br_xrealloc(n->key_marks,
		                           n->cap * sizeof(*n->key_marks));
	}
}

void br_ynode_map_add(struct br_ynode *map, const char *key,
                      const struct br_mark *km, struct br_ynode *value)
{
	grow(map);
	map->keys[map->n] = br_xstrdup(key);
	map->key_marks[map->n] = *km;
	map->items[map->n++] = value;
	map->weight += value->weight;
}

void br_ynode_seq_add(struct br_ynode *seq, struct br_ynode *item)
{
	grow(seq);
	seq->items[seq->n++] = item;
	seq->weight += item->weight;
}

struct br_ynode *br_ynode_get(const struct br_ynode *map, const char *key,
                              size_t *idx)
{
	if (!map || map->kind != BR_YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++) {
		if (!strcmp(map->keys[i], key)) {
			if (idx)
				*idx = i;
			return map->items[i];
		}
	}
	return NULL;
}

bool br_ynode_is_null(const struct br_ynode *n)
{
	if (!n || n->kind != BR_YNODE_SCALAR || !n->plain)
		return false;
	return !*n->value || !strcmp(n->value, "~") ||
	       !strcmp(n->value, "null") || !strcmp(n->value, "Null") ||
	       !strcmp(n->value, "NULL");
}

const char *br_ynode_kind_name(const struct br_ynode *n)
{
	switch (n->kind) {
	case BR_YNODE_SCALAR:
		return "a scalar";
	case BR_YNODE_SEQ:
		return "a list";
	default:
		return "a mapping";
	}
}

void br_ynode_free(struct br_ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		br_ynode_free(n->items[i]);
		if (n->kind == BR_YNODE_MAP)
			free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->key_marks);
	free(n->value);
	free(n);
}

struct br_ynode *br_ynode_copy(const struct br_ynode *src)
{
	struct br_ynode *n = br_ynode_new(src->kind, &src->mark);

	n->plain = src->plain;
	if (src->value)
		n->value = br_xstrdup(src->value);
	for (size_t i = 0; i < src->n; i++) {
		if (src->kind == BR_YNODE_MAP)
			br_ynode_map_add(n, src->keys[i], &src->key_marks[i],
			                 br_ynode_copy(src->items[i]));
		else
			br_ynode_seq_add(n, br_ynode_copy(src->items[i]));
	}
	return n;
}

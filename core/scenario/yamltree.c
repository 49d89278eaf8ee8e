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

void brc_diag_add(struct brc_diag *d, const struct brc_mark *m,
                 const char *path, const char *fmt, ...)
{
	va_list ap;

	if (m && m->file && m->line > 0)
		brc_buf_printf(&d->buf, "%s:%d:%d: ", m->file, m->line, m->col);
	else if (m && m->file)
		brc_buf_printf(&d->buf, "%s: ", m->file);
	if (path && *path)
		brc_buf_printf(&d->buf, "%s: ", path);
	va_start(ap, fmt);
	brc_buf_vprintf(&d->buf, fmt, ap);
	va_end(ap);
	brc_buf_append(&d->buf, "\n", 1);
	d->count++;
}

struct brc_ynode *brc_ynode_new(enum brc_ynode_kind kind,
                              const struct brc_mark *m)
{
	struct brc_ynode *n = brc_xcalloc(1, sizeof(*n));

	n->kind = kind;
	if (m)
		n->mark = *m;
	n->weight = 1;
	return n;
}

static void grow(struct brc_ynode *n)
{
	if (n->n < n->cap)
		return;
	n->cap = n->cap ? 2 * n->cap : 4;
	n->items = brc_xrealloc(n->items, n->cap * sizeof(*n->items));
	if (n->kind == BR_YNODE_MAP) {
		n->keys = brc_xrealloc(n->keys, n->cap * sizeof(*n->keys));
		n->key_marks = brc_xrealloc(n->key_marks,
		                           n->cap * sizeof(*n->key_marks));
	}
}

void brc_ynode_map_add(struct brc_ynode *map, const char *key,
                      const struct brc_mark *km, struct brc_ynode *value)
{
	grow(map);
	map->keys[map->n] = brc_xstrdup(key);
	map->key_marks[map->n] = *km;
	map->items[map->n++] = value;
	map->weight += value->weight;
}

void brc_ynode_seq_add(struct brc_ynode *seq, struct brc_ynode *item)
{
	grow(seq);
	seq->items[seq->n++] = item;
	seq->weight += item->weight;
}

struct brc_ynode *brc_ynode_get(const struct brc_ynode *map, const char *key,
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

bool brc_ynode_is_null(const struct brc_ynode *n)
{
	if (!n || n->kind != BR_YNODE_SCALAR || !n->plain)
		return false;
	return !*n->value || !strcmp(n->value, "~") ||
	       !strcmp(n->value, "null") || !strcmp(n->value, "Null") ||
	       !strcmp(n->value, "NULL");
}

const char *brc_ynode_kind_name(const struct brc_ynode *n)
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

void brc_ynode_free(struct brc_ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		brc_ynode_free(n->items[i]);
		if (n->kind == BR_YNODE_MAP)
			free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->key_marks);
	free(n->value);
	free(n);
}

struct brc_ynode *brc_ynode_copy(const struct brc_ynode *src)
{
	struct brc_ynode *n = brc_ynode_new(src->kind, &src->mark);

	n->plain = src->plain;
	if (src->value)
		n->value = brc_xstrdup(src->value);
	for (size_t i = 0; i < src->n; i++) {
		if (src->kind == BR_YNODE_MAP)
			brc_ynode_map_add(n, src->keys[i], &src->key_marks[i],
			                 brc_ynode_copy(src->items[i]));
		else
			brc_ynode_seq_add(n, brc_ynode_copy(src->items[i]));
	}
	return n;
}

/*
 * yamltree_parse.c - build a bounded node tree from libyaml's event stream.
 *
 * The event API (rather than yaml_parser_load) lets us bound nesting and
 * node count while parsing, resolve aliases under the same budget (each
 * node knows its subtree's weight, so an alias bomb is refused before any
 * copy is made), and report libyaml's own problem with its mark.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "scenario/yamltree.h"

struct anchor {
	char *name;
	struct brc_ynode *node; /* owned copy, aliases copy it again */
};

struct builder {
	yaml_parser_t parser;
	const char *file;
	const char *text;
	size_t len;
	bool nomarks;
	struct brc_diag *d;
	struct anchor *anchors;
	size_t n_anchors, cap_anchors;
	size_t nodes;          /* allocated so far, anchors included */
	bool failed;           /* stop at the first fatal problem    */
};

static struct brc_mark mark_of(struct builder *b, yaml_mark_t ym)
{
	struct brc_mark m = { b->file, 0, 0 };

	if (!b->nomarks) {
		m.line = (int)ym.line + 1;
		m.col = (int)ym.column + 1;
	}
	return m;
}

/* Reader errors only know a byte offset; turn it into line:col. */
static struct brc_mark mark_at_offset(struct builder *b, size_t off)
{
	struct brc_mark m = { b->file, 0, 0 };

	if (b->nomarks)
		return m;
	m.line = 1;
	m.col = 1;
	for (size_t i = 0; i < off && i < b->len; i++) {
		if (b->text[i] == '\n') {
			m.line++;
			m.col = 1;
		} else {
			m.col++;
		}
	}
	return m;
}

static int next_event(struct builder *b, yaml_event_t *ev)
{
	yaml_parser_t *p = &b->parser;
	struct brc_mark m;

	if (yaml_parser_parse(p, ev))
		return 0;
	if (p->error == YAML_READER_ERROR) {
		m = mark_at_offset(b, p->problem_offset);
		brc_diag_add(b->d, &m, NULL, "not YAML text: %s",
		            p->problem ? p->problem : "unreadable input");
	} else if (p->error == YAML_MEMORY_ERROR) {
		m = mark_of(b, p->problem_mark);
		brc_diag_add(b->d, &m, NULL, "YAML parser out of memory");
	} else if (p->context) {
		m = mark_of(b, p->problem_mark);
		brc_diag_add(b->d, &m, NULL,
		            "YAML syntax error: %s %s (started at %zu:%zu)",
		            p->problem ? p->problem : "error", p->context,
		            p->context_mark.line + 1,
		            p->context_mark.column + 1);
	} else {
		m = mark_of(b, p->problem_mark);
		brc_diag_add(b->d, &m, NULL, "YAML syntax error: %s",
		            p->problem ? p->problem : "error");
	}
	b->failed = true;
	return -1;
}

/* Account for `n` more nodes; false (with a message) past the budget. */
static bool budget(struct builder *b, size_t n, const struct brc_mark *m)
{
	if (b->nodes + n > BR_YAML_MAX_NODES) {
		brc_diag_add(b->d, m, NULL,
		            "document too large: more than %d nodes "
		            "(an alias expanding too often?)",
		            BR_YAML_MAX_NODES);
		b->failed = true;
		return false;
	}
	b->nodes += n;
	return true;
}


static struct brc_ynode *resolve_alias(struct builder *b, const char *name,
                                      const struct brc_mark *m)
{
	/* The latest definition of a re-used anchor name wins. */
	for (size_t i = b->n_anchors; i-- > 0;) {
		if (strcmp(b->anchors[i].name, name))
			continue;
		if (!budget(b, b->anchors[i].node->weight, m))
			return NULL;
		return brc_ynode_copy(b->anchors[i].node);
	}
	/* Fatal: dropping the node would only cause confusing follow-up
	 * errors ("missing 'plugin'"). */
	brc_diag_add(b->d, m, NULL, "unknown alias '*%s' (an alias must "
	            "follow its '&anchor')", name);
	b->failed = true;
	return NULL;
}

static void add_anchor(struct builder *b, char *name, struct brc_ynode *n)
{
	if (b->n_anchors == b->cap_anchors) {
		b->cap_anchors = b->cap_anchors ? 2 * b->cap_anchors : 8;
		b->anchors = brc_xrealloc(b->anchors,
		                         b->cap_anchors * sizeof(*b->anchors));
	}
	b->anchors[b->n_anchors].name = name;
	b->anchors[b->n_anchors++].node = brc_ynode_copy(n);
}

static struct brc_ynode *build(struct builder *b, yaml_event_t *ev,
                              int depth);

static int cmp_key(const void *a, const void *b, void *map)
{
	const struct brc_ynode *m = map;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(m->keys[i], m->keys[j]);

	return c ? c : (i < j ? -1 : i > j);
}

/* Sorting keeps this O(n log n) for hostile maps with many keys. */
static void check_duplicates(struct builder *b, struct brc_ynode *map)
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
static void merge_into(struct builder *b, struct brc_ynode *map,
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
		if (!budget(b, src->items[i]->weight, m))
			return;
		brc_ynode_map_add(map, src->keys[i], &src->key_marks[i],
		                 brc_ynode_copy(src->items[i]));
	}
}

static struct brc_ynode *build_map(struct builder *b, struct brc_ynode *map,
                                  int depth)
{
	struct brc_ynode *merges = brc_ynode_new(BR_YNODE_SEQ, NULL);
	yaml_event_t ev;

	while (!b->failed && !next_event(b, &ev)) {
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
		km = mark_of(b, ev.start_mark);
		key = build(b, &ev, depth + 1);
		if (b->failed || next_event(b, &ev)) {
			brc_ynode_free(key);
			break;
		}
		val = build(b, &ev, depth + 1);
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

static struct brc_ynode *build_seq(struct builder *b, struct brc_ynode *seq,
                                  int depth)
{
	yaml_event_t ev;

	while (!b->failed && !next_event(b, &ev)) {
		struct brc_ynode *item;

		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return seq;
		}
		item = build(b, &ev, depth + 1);
		if (item)
			brc_ynode_seq_add(seq, item);
	}
	brc_ynode_free(seq);
	return NULL;
}

/* A tag we do not understand ("!foo", "!!python/object") would silently
 * mean nothing here: refuse it.  The core schema's tags (!!str, !!int,
 * !!map...) and the non-specific "!" are fine. */
static bool bad_tag(struct builder *b, const yaml_event_t *ev,
                    const struct brc_mark *m)
{
	static const char core[] = "tag:yaml.org,2002:";
	static const char *const known[] = { "str", "int", "float", "bool",
	                                     "null", "map", "seq", "merge" };
	const char *tag = NULL;

	if (ev->type == YAML_SCALAR_EVENT)
		tag = (const char *)ev->data.scalar.tag;
	else if (ev->type == YAML_SEQUENCE_START_EVENT)
		tag = (const char *)ev->data.sequence_start.tag;
	else if (ev->type == YAML_MAPPING_START_EVENT)
		tag = (const char *)ev->data.mapping_start.tag;
	if (!tag || !strcmp(tag, "!"))
		return false;
	if (!strncmp(tag, core, sizeof(core) - 1))
		for (size_t i = 0; i < BR_ARRAY_SIZE(known); i++)
			if (!strcmp(tag + sizeof(core) - 1, known[i]))
				return false;
	brc_diag_add(b->d, m, NULL, "unknown YAML tag '%s' (only the standard "
	            "!!str, !!int, !!float, !!bool, !!null, !!map, !!seq)", tag);
	return true;
}

/* Build the node that starts with *ev (consumed).  NULL on error (the
 * caller goes on unless b->failed). */
static struct brc_ynode *build(struct builder *b, yaml_event_t *ev,
                              int depth)
{
	struct brc_mark m = mark_of(b, ev->start_mark);
	struct brc_ynode *n = NULL;
	char *anchor = NULL;
	const yaml_char_t *a = NULL;

	if (ev->type == YAML_SCALAR_EVENT)
		a = ev->data.scalar.anchor;
	else if (ev->type == YAML_SEQUENCE_START_EVENT)
		a = ev->data.sequence_start.anchor;
	else if (ev->type == YAML_MAPPING_START_EVENT)
		a = ev->data.mapping_start.anchor;
	if (a)
		anchor = brc_xstrdup((const char *)a);
	if (bad_tag(b, ev, &m)) {
		free(anchor);
		yaml_event_delete(ev);
		b->failed = true;
		return NULL;
	}

	if (depth > BR_YAML_MAX_DEPTH) {
		brc_diag_add(b->d, &m, NULL,
		            "nesting deeper than %d levels", BR_YAML_MAX_DEPTH);
		b->failed = true;
		goto out;
	}
	if (ev->type != YAML_ALIAS_EVENT && !budget(b, 1, &m))
		goto out;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = brc_ynode_new(BR_YNODE_SCALAR, &m);
		n->value = brc_xmalloc(ev->data.scalar.length + 1);
		memcpy(n->value, ev->data.scalar.value, ev->data.scalar.length);
		n->value[ev->data.scalar.length] = '\0';
		/* An explicit tag ("!!str 5") makes it text, like quotes. */
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		           ev->data.scalar.plain_implicit;
		if (strlen(n->value) != ev->data.scalar.length)
			brc_diag_add(b->d, &m, NULL,
			            "a NUL character inside a scalar");
		break;
	case YAML_ALIAS_EVENT:
		n = resolve_alias(b, (const char *)ev->data.alias.anchor, &m);
		break;
	case YAML_SEQUENCE_START_EVENT:
		yaml_event_delete(ev);
		n = build_seq(b, brc_ynode_new(BR_YNODE_SEQ, &m), depth);
		goto done;
	case YAML_MAPPING_START_EVENT:
		yaml_event_delete(ev);
		n = build_map(b, brc_ynode_new(BR_YNODE_MAP, &m), depth);
		goto done;
	default:
		brc_diag_add(b->d, &m, NULL, "unexpected YAML event %d",
		            (int)ev->type);
		b->failed = true;
		break;
	}
out:
	yaml_event_delete(ev);
done:
	if (n && anchor && !b->failed && budget(b, n->weight, &m)) {
		add_anchor(b, anchor, n);
		anchor = NULL;
	}
	free(anchor);
	if (b->failed) {
		brc_ynode_free(n);
		return NULL;
	}
	return n;
}

static struct brc_ynode *parse_stream(struct builder *b)
{
	struct brc_ynode *root = NULL;
	yaml_event_t ev;
	struct brc_mark m;

	if (next_event(b, &ev)) /* STREAM_START */
		return NULL;
	yaml_event_delete(&ev);
	if (next_event(b, &ev))
		return NULL;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return NULL; /* empty: the caller says so */
	}
	yaml_event_delete(&ev); /* DOCUMENT_START */
	if (next_event(b, &ev))
		return NULL;
	root = build(b, &ev, 1);
	if (b->failed || next_event(b, &ev)) /* DOCUMENT_END */
		goto fail;
	yaml_event_delete(&ev);
	if (next_event(b, &ev))
		goto fail;
	if (ev.type == YAML_DOCUMENT_START_EVENT) {
		m = mark_of(b, ev.start_mark);
		brc_diag_add(b->d, &m, NULL,
		            "a second YAML document: a scenario is one "
		            "document (remove the '---' separator)");
		yaml_event_delete(&ev);
		goto fail;
	}
	yaml_event_delete(&ev);
	return root;

fail:
	brc_ynode_free(root);
	return NULL;
}

struct brc_ynode *brc_yaml_parse(const char *file, const char *text,
                               size_t len, bool nomarks, struct brc_diag *d)
{
	struct builder b = {
		.file = file, .text = text, .len = len, .nomarks = nomarks,
		.d = d,
	};
	struct brc_ynode *root;

	if (!yaml_parser_initialize(&b.parser)) {
		brc_diag_add(d, NULL, file, "cannot initialise libyaml");
		return NULL;
	}
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)text,
	                             len);
	root = parse_stream(&b);
	yaml_parser_delete(&b.parser);
	for (size_t i = 0; i < b.n_anchors; i++) {
		free(b.anchors[i].name);
		brc_ynode_free(b.anchors[i].node);
	}
	free(b.anchors);
	return root;
}

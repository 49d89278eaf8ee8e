/*
 * yamltree_parse.c - build a bounded node tree from libyaml's event stream.
 *
 * The event API (rather than yaml_parser_load) lets us bound nesting and
 * node count while parsing, resolve aliases under the same budget (each
 * node knows its subtree's weight, so an alias bomb is refused before any
 * copy is made), and report libyaml's own problem with its mark.
 * Mappings (keys, duplicates, '<<' merges) are built in yamltree_map.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "scenario/yamltree.h"
#include "scenario/yamltree_priv.h"

struct brc_mark brc_ybuild_mark(struct brc_ybuilder *b, yaml_mark_t ym)
{
	struct brc_mark m = { b->file, 0, 0 };

	if (!b->nomarks) {
		m.line = (int)ym.line + 1;
		m.col = (int)ym.column + 1;
	}
	return m;
}

/* Reader errors only know a byte offset; turn it into line:col. */
static struct brc_mark mark_at_offset(struct brc_ybuilder *b, size_t off)
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

int brc_ybuild_next(struct brc_ybuilder *b, yaml_event_t *ev)
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
		m = brc_ybuild_mark(b, p->problem_mark);
		brc_diag_add(b->d, &m, NULL, "YAML parser out of memory");
	} else if (p->context) {
		m = brc_ybuild_mark(b, p->problem_mark);
		brc_diag_add(b->d, &m, NULL,
		            "YAML syntax error: %s %s (started at %zu:%zu)",
		            p->problem ? p->problem : "error", p->context,
		            p->context_mark.line + 1,
		            p->context_mark.column + 1);
	} else {
		m = brc_ybuild_mark(b, p->problem_mark);
		brc_diag_add(b->d, &m, NULL, "YAML syntax error: %s",
		            p->problem ? p->problem : "error");
	}
	b->failed = true;
	return -1;
}

/* Account for `n` more nodes; false (with a message) past the budget. */
bool brc_ybuild_budget(struct brc_ybuilder *b, size_t n,
                       const struct brc_mark *m)
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


static struct brc_ynode *resolve_alias(struct brc_ybuilder *b,
                                       const char *name,
                                       const struct brc_mark *m)
{
	/* The latest definition of a re-used anchor name wins. */
	for (size_t i = b->n_anchors; i-- > 0;) {
		if (strcmp(b->anchors[i].name, name))
			continue;
		if (!brc_ybuild_budget(b, b->anchors[i].node->weight, m))
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

static void add_anchor(struct brc_ybuilder *b, char *name,
                       struct brc_ynode *n)
{
	if (b->n_anchors == b->cap_anchors) {
		b->cap_anchors = b->cap_anchors ? 2 * b->cap_anchors : 8;
		b->anchors = brc_xrealloc(b->anchors,
		                         b->cap_anchors * sizeof(*b->anchors));
	}
	b->anchors[b->n_anchors].name = name;
	b->anchors[b->n_anchors++].node = brc_ynode_copy(n);
}

static struct brc_ynode *build_seq(struct brc_ybuilder *b,
                                   struct brc_ynode *seq, int depth)
{
	yaml_event_t ev;

	while (!b->failed && !brc_ybuild_next(b, &ev)) {
		struct brc_ynode *item;

		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return seq;
		}
		item = brc_ybuild_node(b, &ev, depth + 1);
		if (item)
			brc_ynode_seq_add(seq, item);
	}
	brc_ynode_free(seq);
	return NULL;
}

/* A tag we do not understand ("!foo", "!!python/object") would silently
 * mean nothing here: refuse it.  The core schema's tags (!!str, !!int,
 * !!map...) and the non-specific "!" are fine. */
static bool bad_tag(struct brc_ybuilder *b, const yaml_event_t *ev,
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
struct brc_ynode *brc_ybuild_node(struct brc_ybuilder *b, yaml_event_t *ev,
                                  int depth)
{
	struct brc_mark m = brc_ybuild_mark(b, ev->start_mark);
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
	if (ev->type != YAML_ALIAS_EVENT && !brc_ybuild_budget(b, 1, &m))
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
		n = brc_ybuild_map(b, brc_ynode_new(BR_YNODE_MAP, &m), depth);
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
	if (n && anchor && !b->failed && brc_ybuild_budget(b, n->weight, &m)) {
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

static struct brc_ynode *parse_stream(struct brc_ybuilder *b)
{
	struct brc_ynode *root = NULL;
	yaml_event_t ev;
	struct brc_mark m;

	if (brc_ybuild_next(b, &ev)) /* STREAM_START */
		return NULL;
	yaml_event_delete(&ev);
	if (brc_ybuild_next(b, &ev))
		return NULL;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return NULL; /* empty: the caller says so */
	}
	yaml_event_delete(&ev); /* DOCUMENT_START */
	if (brc_ybuild_next(b, &ev))
		return NULL;
	root = brc_ybuild_node(b, &ev, 1);
	if (b->failed || brc_ybuild_next(b, &ev)) /* DOCUMENT_END */
		goto fail;
	yaml_event_delete(&ev);
	if (brc_ybuild_next(b, &ev))
		goto fail;
	if (ev.type == YAML_DOCUMENT_START_EVENT) {
		m = brc_ybuild_mark(b, ev.start_mark);
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
	struct brc_ybuilder b = {
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

/*
 * yamltree.h - a small, bounded YAML document tree built from libyaml
 * events, for the scenario parser.
 *
 * Every node carries the mark (file, line, column) it was read at.
 * Anchors and aliases are resolved by copying the anchored subtree, merge
 * keys ("<<: *base") are applied, duplicate mapping keys are reported, and
 * the nesting depth and the total node count are bounded so that deeply
 * nested documents and alias bombs fail fast with a message.  Nothing of
 * libyaml leaks out of yamltree.c.
 *
 * Diagnostics are collected in a brc_diag, one "file:line:col: path: msg"
 * line each, so that a caller can report every problem at once.
 */
#ifndef BR_YAMLTREE_H
#define BR_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/scenario.h"
#include "util.h"

/* Limits: generous for any real scenario, small enough to be harmless. */
#define BR_YAML_MAX_DEPTH 64
#define BR_YAML_MAX_NODES 100000

/* Collected error lines. */
struct brc_diag {
	struct brc_buf buf;
	int count;
};

/* Append "file:line:col: path: message" (the position is left out when the
 * mark has no line, the path when it is NULL or empty). */
void brc_diag_add(struct brc_diag *d, const struct brc_mark *m,
                 const char *path, const char *fmt, ...) BR_PRINTF(4, 5);

enum brc_ynode_kind {
	BR_YNODE_SCALAR,
	BR_YNODE_SEQ,
	BR_YNODE_MAP,
};

struct brc_ynode {
	enum brc_ynode_kind kind;
	struct brc_mark mark;    /* the file string is not owned           */
	char *value;            /* scalar text                            */
	bool plain;             /* an unquoted scalar (may be a number)   */
	size_t n;               /* items (seq) or entries (map)           */
	size_t cap;
	struct brc_ynode **items; /* seq items, map values                 */
	char **keys;            /* map keys                               */
	struct brc_mark *key_marks;
	size_t weight;          /* nodes in this subtree, itself included */
};

/*
 * Parse `len` bytes of YAML.  Returns the root node of the single document
 * (NULL for an empty stream or on error; errors are added to d, and
 * d->count tells them apart).  Marks point at `file`, which must outlive
 * the tree.  With `nomarks` every mark gets line 0 (used for --set values,
 * whose positions would be meaningless).
 */
struct brc_ynode *brc_yaml_parse(const char *file, const char *text,
                               size_t len, bool nomarks, struct brc_diag *d);

/* New nodes, for overrides. */
struct brc_ynode *brc_ynode_new(enum brc_ynode_kind kind,
                              const struct brc_mark *m);
/* Add key -> value to a map (no duplicate check); takes value. */
void brc_ynode_map_add(struct brc_ynode *map, const char *key,
                      const struct brc_mark *km, struct brc_ynode *value);
void brc_ynode_seq_add(struct brc_ynode *seq, struct brc_ynode *item);
/* A deep copy (aliases are copies of their anchor). */
struct brc_ynode *brc_ynode_copy(const struct brc_ynode *src);

/* The value of `key` in a map, or NULL (also when map is not a map); with
 * idx, its index. */
struct brc_ynode *brc_ynode_get(const struct brc_ynode *map, const char *key,
                              size_t *idx);

/* A plain scalar ~, null or empty: the same as an absent value. */
bool brc_ynode_is_null(const struct brc_ynode *n);

/* "a scalar", "a list", "a mapping". */
const char *brc_ynode_kind_name(const struct brc_ynode *n);

void brc_ynode_free(struct brc_ynode *n);

#endif /* BR_YAMLTREE_H */

/*
 * yamltree_priv.h - what yamltree_parse.c and yamltree_map.c share: the
 * builder's state while libyaml's events become a tree, and the steps
 * the mapping builder calls back into.  Not used outside yamltree_*.c.
 */
#ifndef BR_YAMLTREE_PRIV_H
#define BR_YAMLTREE_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

#include "scenario/yamltree.h"

struct brc_yanchor {
	char *name;
	struct brc_ynode *node; /* owned copy, aliases copy it again */
};

struct brc_ybuilder {
	yaml_parser_t parser;
	const char *file;
	const char *text;
	size_t len;
	bool nomarks;
	struct brc_diag *d;
	struct brc_yanchor *anchors;
	size_t n_anchors, cap_anchors;
	size_t nodes;          /* allocated so far, anchors included */
	bool failed;           /* stop at the first fatal problem    */
};

/* yamltree_parse.c: where a libyaml mark is (line and column 0 with
 * nomarks); the next event (-1 with the problem reported and b->failed
 * set); account for n more nodes (false, reported and failed, past
 * BR_YAML_MAX_NODES); the node that starts with *ev (consumed; NULL on
 * error, the caller goes on unless b->failed). */
struct brc_mark brc_ybuild_mark(struct brc_ybuilder *b, yaml_mark_t ym);
int brc_ybuild_next(struct brc_ybuilder *b, yaml_event_t *ev);
bool brc_ybuild_budget(struct brc_ybuilder *b, size_t n,
                       const struct brc_mark *m);
struct brc_ynode *brc_ybuild_node(struct brc_ybuilder *b, yaml_event_t *ev,
                                  int depth);

/* yamltree_map.c: the rest of a mapping after its start event, into map
 * (consumed): duplicate keys reported, '<<' merge keys applied.  NULL on
 * a fatal error (map freed). */
struct brc_ynode *brc_ybuild_map(struct brc_ybuilder *b,
                                 struct brc_ynode *map, int depth);

#endif /* BR_YAMLTREE_PRIV_H */

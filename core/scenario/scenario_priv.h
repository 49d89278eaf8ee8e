/*
 * scenario_priv.h - what the scenario_*.c files share: typed getters on the
 * YAML tree that report "file:line:col: path: message", the section
 * parsers, and --set override application.  Not used outside scenario*.c.
 */
#ifndef BR_SCENARIO_PRIV_H
#define BR_SCENARIO_PRIV_H

#include <stdint.h>

#include "scenario/scenario.h"
#include "scenario/yamltree.h"

/* Path buffers: "strategies[12].params.concurrency" and the like. */
#define BR_SC_PATH 256

/* base + "." + key (or just key when base is empty) into out. */
void br_sc_join(char *out, const char *base, const char *key);
/* base + "[i]" into out. */
void br_sc_index(char *out, const char *base, size_t i);

/* Report every key of `map` not in `known`, with a did-you-mean. */
void br_sc_keys(struct br_diag *d, const struct br_ynode *map,
                const char *base, const char *const *known, size_t n);

/* The value of key in map when present and not null, else NULL. */
const struct br_ynode *br_sc_child(const struct br_ynode *map,
                                   const char *key);

/* A section that must be a mapping: NULL when absent or (with an error)
 * of another kind. */
const struct br_ynode *br_sc_map(struct br_diag *d,
                                 const struct br_ynode *map,
                                 const char *base, const char *key);

/*
 * Typed getters: leave *out alone when the key is absent or null (its
 * default stays) and return 0; on success store and return 1; on an error
 * (wrong kind, quoted where a number is expected, parse failure, out of
 * [lo, hi]) report it and return -1.
 */
int br_sc_str(struct br_diag *d, const struct br_ynode *map,
              const char *base, const char *key, char **out);
int br_sc_int(struct br_diag *d, const struct br_ynode *map,
              const char *base, const char *key, int64_t *out, int64_t lo,
              int64_t hi);
int br_sc_double(struct br_diag *d, const struct br_ynode *map,
                 const char *base, const char *key, double *out, double lo,
                 double hi);
int br_sc_bool(struct br_diag *d, const struct br_ynode *map,
               const char *base, const char *key, bool *out);
int br_sc_size(struct br_diag *d, const struct br_ynode *map,
               const char *base, const char *key, int64_t *out, int64_t lo,
               int64_t hi);
int br_sc_duration(struct br_diag *d, const struct br_ynode *map,
                   const char *base, const char *key, double *out,
                   double lo, double hi);

/* The server section (scenario_server.c). */
void br_sc_server(struct br_diag *d, const struct br_ynode *root,
                  struct br_server *s);

/* strategies: and sweep: (scenario_strategy.c); mark files are copied
 * from the nodes, so the tree's file strings must outlive the scenario. */
void br_sc_strategies(struct br_diag *d, const struct br_ynode *root,
                      struct br_scenario *sc);
void br_sc_sweeps(struct br_diag *d, const struct br_ynode *root,
                  struct br_scenario *sc);

/* Apply one --set to the tree (scenario_override.c).  `label` is the
 * "--set PATH=VALUE" text the created nodes' marks point at. */
void br_sc_override(struct br_diag *d, struct br_ynode *root,
                    const struct br_override *ov, const char *label);

#endif /* BR_SCENARIO_PRIV_H */

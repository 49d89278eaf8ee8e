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
void brc_sc_join(char *out, const char *base, const char *key);
/* base + "[i]" into out. */
void brc_sc_index(char *out, const char *base, size_t i);

/* Report every key of `map` not in `known`, with a did-you-mean. */
void brc_sc_keys(struct brc_diag *d, const struct brc_ynode *map,
                const char *base, const char *const *known, size_t n);

/* The value of key in map when present and not null, else NULL. */
const struct brc_ynode *brc_sc_child(const struct brc_ynode *map,
                                   const char *key);

/* A section that must be a mapping: NULL when absent or (with an error)
 * of another kind. */
const struct brc_ynode *brc_sc_map(struct brc_diag *d,
                                 const struct brc_ynode *map,
                                 const char *base, const char *key);

/*
 * Typed getters: leave *out alone when the key is absent or null (its
 * default stays) and return 0; on success store and return 1; on an error
 * (wrong kind, quoted where a number is expected, parse failure, out of
 * [lo, hi]) report it and return -1.
 */
int brc_sc_str(struct brc_diag *d, const struct brc_ynode *map,
              const char *base, const char *key, char **out);
int brc_sc_int(struct brc_diag *d, const struct brc_ynode *map,
              const char *base, const char *key, int64_t *out, int64_t lo,
              int64_t hi);
int brc_sc_double(struct brc_diag *d, const struct brc_ynode *map,
                 const char *base, const char *key, double *out, double lo,
                 double hi);
int brc_sc_bool(struct brc_diag *d, const struct brc_ynode *map,
               const char *base, const char *key, bool *out);
int brc_sc_size(struct brc_diag *d, const struct brc_ynode *map,
               const char *base, const char *key, int64_t *out, int64_t lo,
               int64_t hi);
int brc_sc_duration(struct brc_diag *d, const struct brc_ynode *map,
                   const char *base, const char *key, double *out,
                   double lo, double hi);

/* The workload section (scenario_workload.c), with its defaults. */
void brc_sc_workload(struct brc_diag *d, const struct brc_ynode *root,
                    struct brc_workload *w);
/* The server section (scenario_server.c). */
void brc_sc_server(struct brc_diag *d, const struct brc_ynode *root,
                  struct brc_server *s);

/* strategies: and sweep: (scenario_strategy.c); mark files are copied
 * from the nodes, so the tree's file strings must outlive the scenario. */
void brc_sc_strategies(struct brc_diag *d, const struct brc_ynode *root,
                      struct brc_scenario *sc);
void brc_sc_sweeps(struct brc_diag *d, const struct brc_ynode *root,
                  struct brc_scenario *sc);

/* runs: (scenario_runs.c), and the flattened settings of the tree. */
void brc_sc_runs(struct brc_diag *d, const struct brc_ynode *root,
                struct brc_runs *r);
void brc_sc_settings(const struct brc_ynode *root, struct brc_scenario *sc);

/* Open-model arrivals (scenario_arrival.c): workload.arrival and
 * workload.duration (`wl` the workload mapping, may be NULL; days_given
 * when the file set days), the search: section, and the checks that need
 * all of them and the sweeps. */
void brc_sc_arrival(struct brc_diag *d, const struct brc_ynode *wl,
                   struct brc_workload *w, bool days_given);
void brc_sc_search(struct brc_diag *d, const struct brc_ynode *root,
                  struct brc_search *s);
void brc_sc_arrival_check(struct brc_diag *d, const struct brc_ynode *root,
                         struct brc_scenario *sc);

/* Apply one --set to the tree (scenario_override.c).  `label` is the
 * "--set PATH=VALUE" text the created nodes' marks point at. */
void brc_sc_override(struct brc_diag *d, struct brc_ynode *root,
                    const struct brc_override *ov, const char *label);

#endif /* BR_SCENARIO_PRIV_H */

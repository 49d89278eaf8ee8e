/*
 * scenario_get.c - typed, range-checked access to the YAML tree for the
 * scenario parser.  Every problem becomes one "file:line:col: path: msg"
 * line; absent and null values leave the caller's default in place.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_priv.h"

void brc_sc_join(char *out, const char *base, const char *key)
{
	if (base && *base)
		snprintf(out, BR_SC_PATH, "%.*s.%.*s", BR_SC_PATH / 2, base,
		         BR_SC_PATH / 2 - 2, key);
	else
		snprintf(out, BR_SC_PATH, "%.*s", BR_SC_PATH - 1, key);
}

void brc_sc_index(char *out, const char *base, size_t i)
{
	snprintf(out, BR_SC_PATH, "%.*s[%zu]", BR_SC_PATH - 24, base, i);
}

void brc_sc_keys(struct brc_diag *d, const struct brc_ynode *map,
                const char *base, const char *const *known, size_t n)
{
	char path[BR_SC_PATH];

	for (size_t i = 0; i < map->n; i++) {
		const char *k = map->keys[i], *s;
		size_t j;

		for (j = 0; j < n && strcmp(k, known[j]); j++)
			;
		/* "x-..." at the top holds anchors to re-use (as in
		 * docker-compose files) and is otherwise ignored. */
		if (j < n || (!*base && !strncmp(k, "x-", 2)))
			continue;
		brc_sc_join(path, base, k);
		s = brc_suggest(k, known, n);
		if (s) {
			brc_diag_add(d, &map->key_marks[i], path,
			            "unknown key '%s', did you mean '%s'?", k, s);
			continue;
		}
		struct brc_buf list = { 0 };

		for (j = 0; j < n; j++)
			brc_buf_printf(&list, "%s%s", j ? ", " : "", known[j]);
		brc_diag_add(d, &map->key_marks[i], path,
		            "unknown key '%s' (known keys: %s)", k,
		            list.data ? list.data : "none");
		brc_buf_free(&list);
	}
}

const struct brc_ynode *brc_sc_child(const struct brc_ynode *map,
                                   const char *key)
{
	const struct brc_ynode *n = brc_ynode_get(map, key, NULL);

	return brc_ynode_is_null(n) ? NULL : n;
}

const struct brc_ynode *brc_sc_map(struct brc_diag *d,
                                 const struct brc_ynode *map,
                                 const char *base, const char *key)
{
	const struct brc_ynode *n = brc_sc_child(map, key);
	char path[BR_SC_PATH];

	if (!n || n->kind == BR_YNODE_MAP)
		return n;
	brc_sc_join(path, base, key);
	brc_diag_add(d, &n->mark, path, "expected a mapping, found %s",
	            brc_ynode_kind_name(n));
	return NULL;
}

/*
 * The scalar at map[key]: 0 absent, 1 found (*np, path filled), -1 wrong
 * kind.  A number, a boolean, a size or a duration must be written plain:
 * "10" in quotes is a string, as in every YAML-typed language.
 */
static int scalar(struct brc_diag *d, const struct brc_ynode *map,
                  const char *base, const char *key, const char *what,
                  bool typed, const struct brc_ynode **np, char *path)
{
	const struct brc_ynode *n = brc_sc_child(map, key);

	if (!n)
		return 0;
	brc_sc_join(path, base, key);
	if (n->kind != BR_YNODE_SCALAR) {
		brc_diag_add(d, &n->mark, path, "expected %s, found %s", what,
		            brc_ynode_kind_name(n));
		return -1;
	}
	if (typed && !n->plain) {
		brc_diag_add(d, &n->mark, path,
		            "expected %s, found the quoted string \"%s\" "
		            "(write it without quotes)", what, n->value);
		return -1;
	}
	*np = n;
	return 1;
}

int brc_sc_str(struct brc_diag *d, const struct brc_ynode *map,
              const char *base, const char *key, char **out)
{
	const struct brc_ynode *n;
	char path[BR_SC_PATH];
	int r = scalar(d, map, base, key, "a string", false, &n, path);

	if (r <= 0)
		return r;
	free(*out);
	*out = brc_xstrdup(n->value);
	return 1;
}

int brc_sc_int(struct brc_diag *d, const struct brc_ynode *map,
              const char *base, const char *key, int64_t *out, int64_t lo,
              int64_t hi)
{
	const struct brc_ynode *n;
	char path[BR_SC_PATH];
	const char *why;
	int64_t v;
	int r = scalar(d, map, base, key, "an integer", true, &n, path);

	if (r <= 0)
		return r;
	if (brc_parse_int(n->value, &v, &why)) {
		brc_diag_add(d, &n->mark, path, "'%s': %s", n->value, why);
		return -1;
	}
	if (v < lo || v > hi) {
		brc_diag_add(d, &n->mark, path,
		            "%" PRId64 " is out of range (%" PRId64 "..%" PRId64
		            ")", v, lo, hi);
		return -1;
	}
	*out = v;
	return 1;
}

int brc_sc_double(struct brc_diag *d, const struct brc_ynode *map,
                 const char *base, const char *key, double *out, double lo,
                 double hi)
{
	const struct brc_ynode *n;
	char path[BR_SC_PATH];
	const char *why;
	double v;
	int r = scalar(d, map, base, key, "a number", true, &n, path);

	if (r <= 0)
		return r;
	if (brc_parse_double(n->value, &v, &why)) {
		brc_diag_add(d, &n->mark, path, "'%s': %s", n->value, why);
		return -1;
	}
	if (v < lo || v > hi) {
		brc_diag_add(d, &n->mark, path, "%g is out of range (%g..%g)", v,
		            lo, hi);
		return -1;
	}
	*out = v;
	return 1;
}

int brc_sc_bool(struct brc_diag *d, const struct brc_ynode *map,
               const char *base, const char *key, bool *out)
{
	const struct brc_ynode *n;
	char path[BR_SC_PATH];
	const char *why;
	bool v;
	int r = scalar(d, map, base, key, "a boolean", true, &n, path);

	if (r <= 0)
		return r;
	if (brc_parse_bool(n->value, &v, &why)) {
		brc_diag_add(d, &n->mark, path, "'%s': %s", n->value, why);
		return -1;
	}
	*out = v;
	return 1;
}

int brc_sc_size(struct brc_diag *d, const struct brc_ynode *map,
               const char *base, const char *key, int64_t *out, int64_t lo,
               int64_t hi)
{
	const struct brc_ynode *n;
	char path[BR_SC_PATH], a[32], b[32];
	const char *why;
	int64_t v;
	int r = scalar(d, map, base, key, "a size", true, &n, path);

	if (r <= 0)
		return r;
	if (brc_parse_size(n->value, &v, &why)) {
		brc_diag_add(d, &n->mark, path, "'%s': %s", n->value, why);
		return -1;
	}
	if (v < lo || v > hi) {
		brc_diag_add(d, &n->mark, path, "%s is out of range (%s..%s)",
		            n->value, brc_fmt_size(a, sizeof(a), (double)lo),
		            brc_fmt_size(b, sizeof(b), (double)hi));
		return -1;
	}
	*out = v;
	return 1;
}

int brc_sc_duration(struct brc_diag *d, const struct brc_ynode *map,
                   const char *base, const char *key, double *out,
                   double lo, double hi)
{
	const struct brc_ynode *n;
	char path[BR_SC_PATH], a[32], b[32];
	const char *why;
	double v;
	int r = scalar(d, map, base, key, "a duration", true, &n, path);

	if (r <= 0)
		return r;
	if (brc_parse_duration(n->value, &v, &why)) {
		brc_diag_add(d, &n->mark, path, "'%s': %s", n->value, why);
		return -1;
	}
	if (v < lo || v > hi) {
		brc_diag_add(d, &n->mark, path, "%s is out of range (%s..%s)",
		            n->value, brc_fmt_duration(a, sizeof(a), lo),
		            brc_fmt_duration(b, sizeof(b), hi));
		return -1;
	}
	*out = v;
	return 1;
}

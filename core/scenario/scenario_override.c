/*
 * scenario_override.c - apply a `--set PATH=VALUE` to the YAML tree before
 * validation, so that an override is checked exactly like the file.
 *
 * PATH is dot-separated keys with [i] list indices
 * ("strategies[1].params.concurrency"); VALUE is parsed as YAML, so
 * "[1,10]" and "{min: 1, max: 3}" work.  Missing mappings on the way are
 * created; an index may name an existing item or append one (i == n).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_priv.h"

struct seg {
	char *key;   /* NULL for an index */
	size_t index;
};

static void free_segs(struct seg *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].key);
	free(s);
}

/* Split PATH; -1 with a reason when malformed. */
static int split(const char *p, struct seg **out, size_t *n,
                 const char **why)
{
	struct seg *s = NULL;
	size_t ns = 0;

	*why = NULL;
	while (*p) {
		/* The file's own nesting limit holds here too; it also keeps
		 * the walk below (which names the path so far at every step)
		 * from going quadratic on a 60,000-segment path. */
		if (ns >= BR_YAML_MAX_DEPTH) {
			*why = "nested deeper than the scenario's limit";
			break;
		}
		s = brc_xrealloc(s, (ns + 1) * sizeof(*s));
		if (*p == '[') {
			char *end;

			errno = 0;
			unsigned long long v = strtoull(p + 1, &end, 10);

			if (end == p + 1 || *end != ']' || errno || p[1] == '-') {
				*why = "a list index is written [0], [1], ...";
				break;
			}
			s[ns].key = NULL;
			s[ns++].index = (size_t)v;
			p = end + 1;
		} else {
			size_t len = strcspn(p, ".[]");

			if (!len) {
				*why = "an empty key";
				break;
			}
			s[ns].key = brc_xmalloc(len + 1);
			memcpy(s[ns].key, p, len);
			s[ns].key[len] = '\0';
			s[ns++].index = 0;
			p += len;
		}
		if (*p == '.') {
			p++;
			if (!*p || *p == '[' || *p == '.') {
				*why = "an empty key";
				break;
			}
		} else if (*p && *p != '[') {
			*why = "expected '.' or '[' after ']'";
			break;
		}
	}
	if (!*why && !ns)
		*why = "an empty path";
	if (*why) {
		free_segs(s, ns);
		return -1;
	}
	*out = s;
	*n = ns;
	return 0;
}

/* The path so far, for messages: segments [0, upto). */
static void prefix(char *out, const struct seg *s, size_t upto)
{
	out[0] = '\0';
	for (size_t i = 0; i < upto; i++) {
		char tmp[BR_SC_PATH];

		if (s[i].key)
			brc_sc_join(tmp, out, s[i].key);
		else
			brc_sc_index(tmp, out, s[i].index);
		memcpy(out, tmp, BR_SC_PATH);
	}
}

/* Put `val` at step i of the walk inside `node`; returns the child to
 * walk into (NULL with an error reported). */
static struct brc_ynode *step(struct brc_diag *d, struct brc_ynode *node,
                             const struct seg *s, size_t i, size_t n,
                             struct brc_ynode **val,
                             const struct brc_mark *m)
{
	bool last = i + 1 == n;
	char path[BR_SC_PATH];
	struct brc_ynode *child = NULL;
	size_t idx = 0;

	prefix(path, s, i);
	if (s[i].key) {
		if (node->kind != BR_YNODE_MAP) {
			brc_diag_add(d, m, path,
			            "is %s, not a mapping: cannot set '%s' in it",
			            brc_ynode_kind_name(node), s[i].key);
			return NULL;
		}
		child = brc_ynode_get(node, s[i].key, &idx);
	} else {
		if (node->kind != BR_YNODE_SEQ) {
			brc_diag_add(d, m, path, "is %s, not a list: cannot "
			            "index it with [%zu]",
			            brc_ynode_kind_name(node), s[i].index);
			return NULL;
		}
		if (s[i].index > node->n) {
			brc_diag_add(d, m, path, "index [%zu] is out of range "
			            "(the list has %zu items; [%zu] appends)",
			            s[i].index, node->n, node->n);
			return NULL;
		}
		idx = s[i].index;
		child = idx < node->n ? node->items[idx] : NULL;
	}
	if (!last && child && !brc_ynode_is_null(child))
		return child;
	if (!last && !s[i + 1].key) {
		prefix(path, s, i + 1);
		brc_diag_add(d, m, path, "there is no list here to index");
		return NULL;
	}
	struct brc_ynode *fresh = last ? *val : brc_ynode_new(BR_YNODE_MAP, m);

	if (last)
		*val = NULL;
	if (child) {
		brc_ynode_free(child);
		node->items[idx] = fresh;
		if (node->kind == BR_YNODE_MAP)
			node->key_marks[idx] = *m; /* now the override's key */
	} else if (node->kind == BR_YNODE_MAP) {
		brc_ynode_map_add(node, s[i].key, m, fresh);
	} else {
		brc_ynode_seq_add(node, fresh);
	}
	return fresh;
}

void brc_sc_override(struct brc_diag *d, struct brc_ynode *root,
                    const struct brc_override *ov, const char *label)
{
	struct brc_mark m = { label, 0, 0 };
	struct brc_ynode *val, *node = root;
	struct seg *s;
	size_t n, errs = (size_t)d->count;
	const char *why;

	if (split(ov->path, &s, &n, &why)) {
		brc_diag_add(d, &m, NULL, "bad path '%.100s%s': %s", ov->path,
		            strlen(ov->path) > 100 ? "..." : "", why);
		return;
	}
	val = brc_yaml_parse(label, ov->value, strlen(ov->value), true, d);
	if ((size_t)d->count != errs)
		goto out;
	if (!val) { /* "--set x=" is an empty (null) value */
		val = brc_ynode_new(BR_YNODE_SCALAR, &m);
		val->value = brc_xstrdup("");
		val->plain = true;
	}
	for (size_t i = 0; i < n && node; i++)
		node = step(d, node, s, i, n, &val, &m);
out:
	brc_ynode_free(val);
	free_segs(s, n);
}

/*
 * params.c - type a plugin's parameters: turn scenario text (and the
 * defaults the plugin declares) into the options struct its create hook
 * receives, range-checked against the declared table, and back into text
 * for reports.  Strings and lists written into the options struct are
 * owned by it and released by brc_params_free.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/params.h"
#include "util.h"

const char *brc_param_type_name(enum br_param_type t)
{
	switch (t) {
	case BR_PARAM_INT:
		return "int";
	case BR_PARAM_DOUBLE:
		return "double";
	case BR_PARAM_BOOL:
		return "bool";
	case BR_PARAM_STRING:
		return "string";
	case BR_PARAM_SIZE:
		return "size";
	case BR_PARAM_DURATION:
		return "duration";
	case BR_PARAM_STRLIST:
		return "list";
	}
	return "unknown";
}

const struct br_param *brc_plugin_param(const struct br_plugin *desc,
                                       const char *name)
{
	if (!desc->params)
		return NULL;
	for (const struct br_param *p = desc->params; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* The slot of parameter p in opts, typed by the caller. */
#define SLOT(type, p, opts) ((type *)((char *)(opts) + (p)->offset))

static void free_list(char **list)
{
	if (!list)
		return;
	for (char **s = list; *s; s++)
		free(*s);
	free(list);
}

/* Release what a parameter's slot owns and zero it. */
static void clear_slot(const struct br_param *p, void *opts)
{
	if (p->type == BR_PARAM_STRING) {
		free(*SLOT(char *, p, opts));
		*SLOT(char *, p, opts) = NULL;
	} else if (p->type == BR_PARAM_STRLIST) {
		free_list(*SLOT(char **, p, opts));
		*SLOT(char **, p, opts) = NULL;
	}
}

/* Range [min, max] applies unless both are 0. */
static bool out_of_range(const struct br_param *p, double v)
{
	return !(p->min == 0 && p->max == 0) && (v < p->min || v > p->max);
}

/* A range bound as a scenario would write it; 0 plainly, not "0 ns". */
static const char *bound_text(const struct br_param *p, double v, char *buf,
                              size_t n)
{
	if (v == 0)
		snprintf(buf, n, "0");
	else if (p->type == BR_PARAM_DURATION)
		brc_fmt_duration(buf, n, v);
	else if (p->type == BR_PARAM_SIZE)
		brc_fmt_size(buf, n, v);
	else
		snprintf(buf, n, "%.15g", v);
	return buf;
}

char *brc_param_range_text(const struct br_param *p)
{
	char a[32], b[32];

	if (p->min == 0 && p->max == 0)
		return brc_xstrdup("-");
	return brc_xasprintf("%s..%s", bound_text(p, p->min, a, sizeof(a)),
	                    bound_text(p, p->max, b, sizeof(b)));
}

static void range_text(struct brc_buf *why, const struct br_param *p)
{
	char *r = brc_param_range_text(p);

	brc_buf_printf(why, "%s", r);
	free(r);
}

/* Write one scalar value of a non-list type; *why on failure. */
static int assign_scalar(const struct br_param *p, const char *s, void *opts,
                         struct brc_buf *why)
{
	const char *reason = NULL;
	int64_t i = 0;
	double d = 0;
	bool b;

	switch (p->type) {
	case BR_PARAM_INT:
		if (brc_parse_int(s, &i, &reason))
			break;
		d = (double)i;
		if (out_of_range(p, d))
			goto range;
		*SLOT(int64_t, p, opts) = i;
		return 0;
	case BR_PARAM_SIZE:
		if (brc_parse_size(s, &i, &reason))
			break;
		d = (double)i;
		if (out_of_range(p, d))
			goto range;
		*SLOT(int64_t, p, opts) = i;
		return 0;
	case BR_PARAM_DOUBLE:
		if (brc_parse_double(s, &d, &reason))
			break;
		if (out_of_range(p, d))
			goto range;
		*SLOT(double, p, opts) = d;
		return 0;
	case BR_PARAM_DURATION:
		if (brc_parse_duration(s, &d, &reason))
			break;
		if (out_of_range(p, d))
			goto range;
		*SLOT(double, p, opts) = d;
		return 0;
	case BR_PARAM_BOOL:
		if (brc_parse_bool(s, &b, &reason))
			break;
		*SLOT(bool, p, opts) = b;
		return 0;
	case BR_PARAM_STRING:
		clear_slot(p, opts);
		*SLOT(char *, p, opts) = brc_xstrdup(s);
		return 0;
	case BR_PARAM_STRLIST:
		break; /* handled by assign() */
	}
	brc_buf_printf(why, "'%s' is not a valid %s (%s)", s,
	              brc_param_type_name(p->type), reason ? reason : "?");
	return -1;
range:
	brc_buf_printf(why, "%s is out of range (", s);
	range_text(why, p);
	brc_buf_printf(why, ")");
	return -1;
}

static int assign(const struct br_param *p, char *const *items, size_t n,
                  bool is_list, void *opts, struct brc_buf *why)
{
	char **list;

	if (p->type == BR_PARAM_STRLIST) {
		list = brc_xcalloc(n + 1, sizeof(*list));
		for (size_t i = 0; i < n; i++)
			list[i] = brc_xstrdup(items[i]);
		clear_slot(p, opts);
		*SLOT(char **, p, opts) = list;
		return 0;
	}
	if (is_list || n != 1) {
		brc_buf_printf(why, "takes one %s, not a list",
		              brc_param_type_name(p->type));
		return -1;
	}
	return assign_scalar(p, items[0], opts, why);
}

/* A default is written as in a scenario: "a" or "[a, b]" for lists. */
static void split_default(const char *def, char ***items, size_t *n,
                          bool *is_list)
{
	size_t len = strlen(def);
	char *copy, *save = NULL;

	*n = 0;
	*items = brc_xcalloc(1, sizeof(**items));
	*is_list = len >= 2 && def[0] == '[' && def[len - 1] == ']';
	if (!*is_list) {
		(*items)[(*n)++] = brc_xstrdup(def);
		return;
	}
	copy = brc_xstrdup(def + 1);
	copy[len - 2] = '\0';
	for (char *t = strtok_r(copy, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		size_t tl;

		while (*t == ' ' || *t == '\t')
			t++;
		tl = strlen(t);
		while (tl && (t[tl - 1] == ' ' || t[tl - 1] == '\t'))
			t[--tl] = '\0';
		if (tl >= 2 && (t[0] == '"' || t[0] == '\'') && t[tl - 1] == t[0]) {
			t[tl - 1] = '\0';
			t++;
		}
		*items = brc_xrealloc(*items, (*n + 1) * sizeof(**items));
		(*items)[(*n)++] = brc_xstrdup(t);
	}
	free(copy);
}

static int apply_defaults(const struct br_plugin *desc, void *opts,
                          struct brc_buf *errs)
{
	int rc = 0;

	for (const struct br_param *p = desc->params; p && p->name; p++) {
		struct brc_buf why = { 0 };
		char **items;
		size_t n;
		bool is_list;

		if (!p->def)
			continue;
		split_default(p->def, &items, &n, &is_list);
		if (assign(p, items, n, is_list, opts, &why)) {
			brc_buf_printf(errs, "%sparameter '%s' has a bad default: %s",
			              errs->len ? "\n" : "", p->name, why.data);
			rc = -1;
		}
		brc_buf_free(&why);
		for (size_t i = 0; i < n; i++)
			free(items[i]);
		free(items);
	}
	return rc;
}

static void mark_prefix(struct brc_buf *b, const struct brc_mark *m)
{
	if (!m->file)
		return;
	if (m->line > 0)
		brc_buf_printf(b, "%s:%d:%d: ", m->file, m->line, m->col);
	else
		brc_buf_printf(b, "%s: ", m->file);
}

static void unknown_param(const struct br_plugin *desc, const char *name,
                          struct brc_buf *b)
{
	const char **names = NULL;
	size_t n = 0;
	const char *best;

	for (const struct br_param *p = desc->params; p && p->name; p++) {
		names = brc_xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = p->name;
	}
	brc_buf_printf(b, "plugin '%s' has no parameter '%s'", desc->name, name);
	best = brc_suggest(name, names, n);
	if (best)
		brc_buf_printf(b, " (did you mean '%s'?)", best);
	if (!n)
		brc_buf_printf(b, "; it has no parameters");
	for (size_t i = 0; i < n; i++)
		brc_buf_printf(b, "%s%s", i ? ", " : "; it has: ", names[i]);
	free(names);
}

int brc_params_build(const struct br_plugin *desc,
                    const struct brc_param_value *vals, size_t n_vals,
                    void **opts, char **err)
{
	struct brc_buf errs = { 0 };
	void *o = brc_xcalloc(1, desc->opts_size ? desc->opts_size : 1);

	*err = NULL;
	*opts = NULL;
	apply_defaults(desc, o, &errs);
	for (size_t i = 0; i < n_vals; i++) {
		const struct brc_param_value *v = &vals[i];
		const struct br_param *p = brc_plugin_param(desc, v->name);
		struct brc_buf why = { 0 };

		/* The scenario's rule for its own keys: "4" is text. */
		if (p && v->quoted && !v->is_list && p->type != BR_PARAM_STRING &&
		    p->type != BR_PARAM_STRLIST)
			brc_buf_printf(&why, "expected %s %s, found the quoted "
			              "string \"%s\" (write it without quotes)",
			              p->type == BR_PARAM_INT ? "an" : "a",
			              brc_param_type_name(p->type), v->items[0]);
		else if (p && !assign(p, v->items, v->n_items, v->is_list, o, &why))
			continue;
		if (errs.len)
			brc_buf_printf(&errs, "\n");
		mark_prefix(&errs, &v->mark);
		if (p)
			brc_buf_printf(&errs, "plugin '%s' parameter '%s': %s",
			              desc->name, p->name, why.data);
		else
			unknown_param(desc, v->name, &errs);
		brc_buf_free(&why);
	}
	if (errs.len) {
		brc_params_free(desc, o);
		*err = errs.data;
		return -1;
	}
	brc_buf_free(&errs);
	*opts = o;
	return 0;
}

void brc_params_free(const struct br_plugin *desc, void *opts)
{
	if (!opts)
		return;
	for (const struct br_param *p = desc->params; p && p->name; p++)
		clear_slot(p, opts);
	free(opts);
}

/* Sizes print exactly, in the largest binary unit that divides them. */
static char *format_size(int64_t v)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	while (v != 0 && v % 1024 == 0 && u + 1 < BR_ARRAY_SIZE(unit)) {
		v /= 1024;
		u++;
	}
	return brc_xasprintf("%" PRId64 " %s", v, unit[u]);
}

char *brc_params_format(const struct br_param *p, const void *opts)
{
	struct brc_buf b = { 0 };
	char buf[32];
	char *const *list;
	const char *s;

	switch (p->type) {
	case BR_PARAM_INT:
		return brc_xasprintf("%" PRId64, *SLOT(const int64_t, p, opts));
	case BR_PARAM_SIZE:
		return format_size(*SLOT(const int64_t, p, opts));
	case BR_PARAM_DOUBLE:
		return brc_xasprintf("%g", *SLOT(const double, p, opts));
	case BR_PARAM_DURATION:
		return brc_xstrdup(brc_fmt_duration(buf, sizeof(buf),
		                                  *SLOT(const double, p, opts)));
	case BR_PARAM_BOOL:
		return brc_xstrdup(*SLOT(const bool, p, opts) ? "true" : "false");
	case BR_PARAM_STRING:
		s = *SLOT(char *const, p, opts);
		return brc_xstrdup(s ? s : "");
	case BR_PARAM_STRLIST:
		list = *SLOT(char **const, p, opts);
		brc_buf_printf(&b, "[");
		for (size_t i = 0; list && list[i]; i++)
			brc_buf_printf(&b, "%s%s", i ? ", " : "", list[i]);
		brc_buf_printf(&b, "]");
		return b.data;
	}
	return brc_xstrdup("?");
}

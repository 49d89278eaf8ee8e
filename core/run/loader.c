/*
 * loader.c - dlopen a strategy plugin and check that it is a benchrun
 * plugin this core can drive: magic, ABI, descriptor size, required hooks
 * and a sane parameter table.  Every refusal says what the user should do
 * about it.  The search path is loader_path.c's, parameter typing
 * params.c's.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "run/loader.h"
#include "util.h"

/* The descriptor as ABI 1.0 defined it: everything up to `destroy`.  A
 * plugin built against a later 1.x header has a larger one. */
#define BR_PLUGIN_SIZE_1_0 \
	(offsetof(struct br_plugin, destroy) + sizeof(void (*)(void *)))
/* A parameter table entry as ABI 1.0 defined it: up to `help`. */
#define BR_PARAM_SIZE_1_0 \
	(offsetof(struct br_param, help) + sizeof(const char *))
/* Longest parameter table we walk before calling it unterminated. */
#define MAX_PARAMS 1000

size_t brc_param_type_size(enum br_param_type t)
{
	switch (t) {
	case BR_PARAM_INT:
	case BR_PARAM_SIZE:
		return sizeof(int64_t);
	case BR_PARAM_DOUBLE:
	case BR_PARAM_DURATION:
		return sizeof(double);
	case BR_PARAM_BOOL:
		return sizeof(bool);
	case BR_PARAM_STRING:
		return sizeof(const char *);
	case BR_PARAM_STRLIST:
		return sizeof(const char *const *);
	}
	return 0;
}

static bool valid_param_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

/* One problem of the parameter table into *why, or 0 when it is sound. */
static int check_one_param(const struct br_plugin *d, size_t i,
                           struct brc_buf *why)
{
	const struct br_param *p = &d->params[i];
	size_t size = brc_param_type_size(p->type);

	if (!valid_param_name(p->name)) {
		brc_buf_printf(why, "parameter name '%s' is not [a-z0-9_]+",
		              p->name);
		return -1;
	}
	for (size_t j = 0; j < i; j++) {
		if (!strcmp(d->params[j].name, p->name)) {
			brc_buf_printf(why, "duplicate parameter '%s'", p->name);
			return -1;
		}
	}
	if (!size) {
		brc_buf_printf(why, "parameter '%s' has unknown type %d",
		              p->name, (int)p->type);
		return -1;
	}
	if (p->offset > d->opts_size || size > d->opts_size - p->offset) {
		brc_buf_printf(why, "parameter '%s' (offset %zu, %zu bytes) "
		              "lies beyond opts_size %zu", p->name, p->offset,
		              size, d->opts_size);
		return -1;
	}
	/* Two parameters sharing bytes would have one's default freed or
	 * read as the other's type (a string pointer made of an int). */
	for (size_t j = 0; j < i; j++) {
		const struct br_param *q = &d->params[j];
		size_t qsize = brc_param_type_size(q->type);

		if (qsize && p->offset < q->offset + qsize &&
		    q->offset < p->offset + size) {
			brc_buf_printf(why, "parameters '%s' (offset %zu, %zu "
			              "bytes) and '%s' (offset %zu, %zu bytes) "
			              "overlap in the options struct", q->name,
			              q->offset, qsize, p->name, p->offset, size);
			return -1;
		}
	}
	if (p->offset % size) {
		brc_buf_printf(why, "parameter '%s' offset %zu is misaligned "
		              "for a %s", p->name, p->offset,
		              brc_param_type_name(p->type));
		return -1;
	}
	if (p->min > p->max) {
		brc_buf_printf(why, "parameter '%s' has min %g > max %g",
		              p->name, p->min, p->max);
		return -1;
	}
	return 0;
}

/* Check the table, then that every default parses and is in range. */
static int check_params(const struct br_plugin *d, struct brc_buf *why)
{
	void *opts;
	char *err = NULL;
	size_t i;

	if (!d->params)
		return 0;
	for (i = 0; d->params[i].name; i++)
		if (check_one_param(d, i, why))
			return -1;
	if (brc_params_build(d, NULL, 0, &opts, &err)) {
		brc_buf_printf(why, "%s", err);
		free(err);
		return -1;
	}
	brc_params_free(d, opts);
	return 0;
}

/*
 * The core's own copy of a checked descriptor, in this core's layout:
 * members the plugin's (older) header did not have are zero, and the
 * parameter table is re-laid at this core's stride, whatever stride the
 * plugin was built with (param_size, ABI 1.1; 1.0's entry size before).
 * Returns NULL with *err set when the table is unterminated or its stride
 * is impossible.
 */
static struct br_plugin *normalize(const char *name, const char *path,
                                   const struct br_plugin *d, char **err)
{
	struct br_plugin *n = brc_xcalloc(1, sizeof(*n));
	size_t stride = BR_PARAM_SIZE_1_0, count = 0;
	const char *p;

	memcpy(n, d, d->size < sizeof(*n) ? d->size : sizeof(*n));
	if (BR_HAS_MEMBER(struct br_plugin, d->size, param_size) &&
	    d->abi_minor >= 1) {
		stride = d->param_size;
		if (stride < BR_PARAM_SIZE_1_0 || stride > 4096) {
			*err = brc_xasprintf("plugin '%s' (%s) says its parameter "
			                    "entries are %zu bytes (1.0's are %zu): "
			                    "set it with BR_PLUGIN_HEADER", name,
			                    path, stride,
			                    (size_t)BR_PARAM_SIZE_1_0);
			goto fail;
		}
	}
	if (!d->params)
		return n;
	for (p = (const char *)d->params;
	     ((const struct br_param *)p)->name; p += stride)
		if (++count > MAX_PARAMS) {
			*err = brc_xasprintf("plugin '%s' (%s) has an invalid "
			                    "parameter table: it does not end with "
			                    "{NULL} within %d entries", name, path,
			                    MAX_PARAMS);
			goto fail;
		}
	n->params = brc_xcalloc(count + 1, sizeof(struct br_param));
	p = (const char *)d->params;
	for (size_t i = 0; i < count; i++, p += stride)
		memcpy((struct br_param *)&n->params[i], p,
		       stride < sizeof(struct br_param) ? stride
		                                        : sizeof(struct br_param));
	return n;

fail:
	free(n);
	return NULL;
}

static void free_normalized(const struct br_plugin *n, bool described)
{
	if (!n)
		return;
	/* A described copy owns its strings (loader_probe.c). */
	for (const struct br_param *p = n->params; described && p && p->name;
	     p++) {
		free((void *)p->name);
		free((void *)p->def);
		free((void *)p->help);
	}
	if (described) {
		free((void *)n->name);
		free((void *)n->description);
	}
	free((void *)n->params);
	free((void *)n);
}

/* The header of a descriptor: magic, ABI and size, checked before any
 * other member is read. */
static char *check_desc(const char *name, const char *path,
                        const struct br_plugin *d)
{
	if (d->magic != BR_PLUGIN_MAGIC)
		return brc_xasprintf("plugin '%s' (%s) has a wrong magic number "
		                    "0x%08x (want 0x%08x): it is not a benchrun "
		                    "plugin, or its descriptor lacks "
		                    "BR_PLUGIN_HEADER", name, path, d->magic,
		                    BR_PLUGIN_MAGIC);
	if (d->abi_major != BR_ABI_MAJOR)
		return brc_xasprintf("plugin '%s' (%s) was built for ABI %u.%u; "
		                    "this benchrun speaks %d.x: rebuild it "
		                    "against this benchrun's <benchrun/plugin.h>",
		                    name, path, d->abi_major, d->abi_minor,
		                    BR_ABI_MAJOR);
	if (d->abi_minor > BR_ABI_MINOR)
		return brc_xasprintf("plugin '%s' (%s) was built for ABI %u.%u; "
		                    "this benchrun speaks %d.0 to %d.%d: upgrade "
		                    "benchrun or rebuild the plugin against this "
		                    "benchrun's <benchrun/plugin.h>", name, path,
		                    d->abi_major, d->abi_minor, BR_ABI_MAJOR,
		                    BR_ABI_MAJOR, BR_ABI_MINOR);
	if (d->size < BR_PLUGIN_SIZE_1_0)
		return brc_xasprintf("plugin '%s' (%s) has a descriptor of %u "
		                    "bytes, smaller than ABI %d.0's %zu: rebuild "
		                    "it against this benchrun's "
		                    "<benchrun/plugin.h>", name, path, d->size,
		                    BR_ABI_MAJOR, BR_PLUGIN_SIZE_1_0);
	return NULL;
}

/* What the core relies on beyond the header, on the normalized copy. */
static char *check_body(const char *name, const char *path,
                        const struct br_plugin *d)
{
	struct brc_buf why = { 0 };

	if (!d->name || !*d->name)
		return brc_xasprintf("plugin '%s' (%s) has no name in its "
		                    "descriptor: set .name", name, path);
	if (!d->create || !d->run) {
		bool both = !d->create && !d->run;

		return brc_xasprintf("plugin '%s' (%s) lacks the required hook%s "
		                    "%s: set %s in its descriptor", name, path,
		                    both ? "s" : "",
		                    both ? "create and run"
		                         : d->create ? "run" : "create",
		                    both ? "them" : "it");
	}
	if (check_params(d, &why)) {
		char *msg = brc_xasprintf("plugin '%s' (%s) has an invalid "
		                         "parameter table: %s", name, path,
		                         why.data);

		brc_buf_free(&why);
		return msg;
	}
	return NULL;
}

static int load_file(const char *name, const char *path,
                     struct brc_loaded *out, char **err)
{
	const struct br_plugin *d;
	struct br_plugin *n;
	char real[PATH_MAX];
	void *dl;

	dlerror();
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		*err = brc_xasprintf("plugin '%s' (%s) cannot be loaded: %s; "
		                    "check its dependencies with `ldd %s`",
		                    name, path, dlerror(), path);
		return -1;
	}
	d = dlsym(dl, BR_PLUGIN_SYMBOL);
	if (!d) {
		*err = brc_xasprintf("plugin '%s' (%s) does not export the symbol "
		                    "'%s': is it a benchrun plugin? It must "
		                    "define `const struct br_plugin %s`", name,
		                    path, BR_PLUGIN_SYMBOL, BR_PLUGIN_SYMBOL);
		goto fail_close;
	}
	*err = check_desc(name, path, d);
	if (*err)
		goto fail_close;
	n = normalize(name, path, d, err);
	if (!n)
		goto fail_close;
	*err = check_body(name, path, n);
	if (*err)
		goto fail_free;
	out->dl = dl;
	out->desc = n;
	out->path = brc_xstrdup(realpath(path, real) ? real : path);
	return 0;

fail_free:
	free_normalized(n, false);
fail_close:
	dlclose(dl);
	return -1;
}

/* "dir/x.so" -> "x", for messages about plugins given by path. */
static char *name_of_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *name = brc_xstrdup(slash ? slash + 1 : path);
	size_t len = strlen(name);

	if (len > 3 && !strcmp(name + len - 3, ".so"))
		name[len - 3] = '\0';
	return name;
}

static int open_path(const char *spec, const char *base_dir,
                     struct brc_loaded *out, char **err)
{
	char *name = name_of_path(spec);
	char *path = spec[0] == '/' || !base_dir || !*base_dir
	                     ? brc_xstrdup(spec)
	                     : brc_xasprintf("%s/%s", base_dir, spec);
	struct stat st;
	const char *why = NULL;
	int rc = -1;

	if (stat(path, &st))
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	if (why)
		*err = brc_xasprintf("plugin '%s' not found at %s (%s); a path in "
		                    "a scenario is relative to the scenario's "
		                    "directory, a bare name is searched in the "
		                    "plugin directories", name, path, why);
	else
		rc = load_file(name, path, out, err);
	free(path);
	free(name);
	return rc;
}

int brc_plugin_open(const char *name, const char *base_dir, const char *extra,
                   struct brc_loaded *out, char **err)
{
	char *path;
	int rc;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	if (!name || !*name) {
		*err = brc_xstrdup("empty plugin name");
		return -1;
	}
	if (strchr(name, '/'))
		return open_path(name, base_dir, out, err);
	path = brc_loader_find(name, extra, err);
	if (!path)
		return -1;
	rc = load_file(name, path, out, err);
	free(path);
	return rc;
}

void brc_plugin_close(struct brc_loaded *p)
{
	if (!p)
		return;
	free_normalized(p->desc, p->described);
	if (p->dl)
		dlclose(p->dl);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

bool brc_plugin_honours_due(const struct br_plugin *d)
{
	/* The descriptor is normalized: a 1.0 plugin's flags read as 0. */
	return d->abi_minor >= 1 && (d->flags & BR_PLUGIN_F_DUE);
}

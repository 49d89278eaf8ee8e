/* yajl.c - yajl's event parser: callbacks track the key of every value and
 * keep only the summary's fields (it could be fed chunk by chunk). */
#include <yajl/yajl_parse.h>
#include "common.h"

struct st {
	struct sums *s;
	const unsigned char *key;
	size_t key_len;
	int depth;
};

static int is_key(struct st *st, const char *k)
{
	size_t n = strlen(k);
	return st->key_len == n && !memcmp(st->key, k, n);
}

static int on_number(void *ctx, const char *v, size_t n)
{
	struct st *st = ctx;
	char tmp[64];
	if (n >= sizeof(tmp))
		return 1;
	if (is_key(st, "amount")) {
		memcpy(tmp, v, n);
		tmp[n] = 0;
		st->s->cents += strtod(tmp, NULL) * 100;
	} else if (is_key(st, "free_seats")) {
		memcpy(tmp, v, n);
		tmp[n] = 0;
		st->s->seats += strtol(tmp, NULL, 10);
		st->s->trips++;
	}
	return 1;
}

static int on_string(void *ctx, const unsigned char *v, size_t n)
{
	struct st *st = ctx;
	if (is_key(st, "id"))
		st->s->digest = fnv((const char *)v, n, st->s->digest);
	return 1;
}

static int on_key(void *ctx, const unsigned char *k, size_t n)
{
	struct st *st = ctx;
	st->key = k;
	st->key_len = n;
	return 1;
}

static int on_other(void *ctx)
{
	(void)ctx;
	return 1;
}

static int on_bool(void *ctx, int b)
{
	(void)ctx;
	(void)b;
	return 1;
}

static const yajl_callbacks cb = {
	.yajl_null = on_other, .yajl_boolean = on_bool,
	.yajl_number = on_number, .yajl_string = on_string,
	.yajl_start_map = on_other, .yajl_map_key = on_key,
	.yajl_end_map = on_other, .yajl_start_array = on_other,
	.yajl_end_array = on_other,
};

static int one(struct sums *s)
{
	struct st st = { s, NULL, 0, 0 };
	yajl_handle h = yajl_alloc(&cb, NULL, &st);
	int rc = 0;
	if (yajl_parse(h, (const unsigned char *)doc, doc_len) != yajl_status_ok ||
	    yajl_complete_parse(h) != yajl_status_ok)
		rc = -1;
	yajl_free(h);
	return rc;
}
BENCH_MAIN("yajl", one)

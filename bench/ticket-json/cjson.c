/* cjson.c - the tree parser benchrun used first (malloc per node). */
#include <cjson/cJSON.h>
#include "common.h"

static int one(struct sums *s)
{
	cJSON *root = cJSON_ParseWithLength(doc, doc_len), *t;
	if (!root)
		return -1;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(root, "trips")) {
		cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "id");
		cJSON *p = cJSON_GetObjectItemCaseSensitive(t, "price");
		cJSON *a = cJSON_GetObjectItemCaseSensitive(p, "amount");
		cJSON *f = cJSON_GetObjectItemCaseSensitive(t, "free_seats");
		cJSON *d = cJSON_GetObjectItemCaseSensitive(t, "departure");
		if (!cJSON_IsString(id) || !cJSON_IsNumber(a) ||
		    !cJSON_IsNumber(f) || !cJSON_IsString(d))
			return -1;
		s->digest = fnv(id->valuestring, strlen(id->valuestring), s->digest);
		s->cents += a->valuedouble * 100;
		s->seats += (long)f->valuedouble;
		s->trips++;
	}
	cJSON_Delete(root);
	return 0;
}
#ifndef ARENA
BENCH_MAIN("cjson", one)
#endif

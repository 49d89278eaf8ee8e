// simdjson.cc - simdjson's DOM parser (stage 1 validates the whole document,
// UTF-8 and control bytes included; stage 2 builds a tape), one reused parser.
#include <simdjson.h>
#include "common.h"

static simdjson::dom::parser parser;

static int one(struct sums *s)
{
	simdjson::dom::element root;
	simdjson::dom::array trips;
	if (parser.parse(doc, doc_len, false).get(root) ||
	    root["trips"].get_array().get(trips))
		return -1;
	for (simdjson::dom::element t : trips) {
		std::string_view id, dep;
		double amount;
		int64_t seats;
		if (t["id"].get_string().get(id) || t["departure"].get_string().get(dep) ||
		    t["price"]["amount"].get_double().get(amount) ||
		    t["free_seats"].get_int64().get(seats))
			return -1;
		s->digest = fnv(id.data(), id.size(), s->digest);
		s->cents += amount * 100;
		s->seats += seats;
		s->trips++;
	}
	return 0;
}
BENCH_MAIN("simdjson", one)

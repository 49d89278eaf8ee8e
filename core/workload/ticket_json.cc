/*
 * ticket_json.cc - brc_json_ticket over simdjson's DOM parser (see
 * ticket_json.h): the one C++ translation unit of benchrun.  It knows
 * JSON, not tickets: the checks and their messages are in tickets.c.
 *
 * simdjson's stage 1 validates the whole input (UTF-8, unescaped control
 * bytes in strings, unclosed strings) and stage 2 the structure, literals
 * and numbers, before any field is read; input size is bounded by the
 * caller's max_body.  Nesting is bounded by the parser's max_depth, set to
 * BRC_JSON_MAX_DEPTH + 1 on every pooled parser: stage 2 keeps its open
 * containers in an array of max_depth entries (a loop, not recursion), so
 * a deep body costs no stack and is refused with DEPTH_ERROR, and nothing
 * else needs to scan the body for nesting first.  Errors are returned as
 * codes: nothing here throws.
 */
#include "config.h"

#include <simdjson.h>

#include <cstdio>
#include <mutex>
#include <new>

#include "workload/ticket_json.h"

static_assert(BRC_JSON_PADDING >= simdjson::SIMDJSON_PADDING,
              "BRC_JSON_PADDING must cover simdjson's padding");

namespace {

using simdjson::dom::element;

/* The pool: a stack of idle parsers.  A parser keeps its buffers (sized
 * for the largest body it has seen), so after warm-up a parse allocates
 * nothing. */
struct pooled {
	simdjson::dom::parser parser;
	pooled *next = nullptr;
};

std::mutex pool_lock;
pooled *pool_top;

/* simdjson's depth counts the document itself: containers that hold a
 * value nest at most max_depth - 1 deep.  Empty ones ([] and {}) take no
 * slot, so one more level of those is accepted (ticket_json.h). */
constexpr size_t parser_depth = BRC_JSON_MAX_DEPTH + 1;

/* An idle parser, or a new one with our max_depth and room for `capacity`
 * bytes (NULL when out of memory).  Every later allocate() the parser
 * makes for itself keeps the depth it was given here. */
pooled *take(size_t capacity)
{
	pooled *p;

	{
		std::lock_guard<std::mutex> g(pool_lock);
		if (pool_top) {
			p = pool_top;
			pool_top = p->next;
			return p;
		}
	}
	p = new (std::nothrow) pooled;
	if (p && p->parser.allocate(capacity > 0 ? capacity : 1,
	                            parser_depth) != simdjson::SUCCESS) {
		delete p;
		p = nullptr;
	}
	return p;
}

void give(pooled *p)
{
	std::lock_guard<std::mutex> g(pool_lock);
	p->next = pool_top;
	pool_top = p;
}

/* Short reasons for what a hostile or broken server sends. */
const char *reason(simdjson::error_code e)
{
	switch (e) {
	case simdjson::UNESCAPED_CHARS:
		return "raw control byte in a string";
	case simdjson::UTF8_ERROR:
		return "invalid UTF-8";
	case simdjson::UNCLOSED_STRING:
		return "unclosed string";
	case simdjson::DEPTH_ERROR:
		return "nested too deep";
	case simdjson::NUMBER_ERROR:
	case simdjson::NUMBER_OUT_OF_RANGE:
		return "bad number";
	case simdjson::STRING_ERROR:
		return "bad string escape";
	case simdjson::T_ATOM_ERROR:
	case simdjson::F_ATOM_ERROR:
	case simdjson::N_ATOM_ERROR:
		return "bad literal";
	case simdjson::EMPTY:
		return "no value";
	case simdjson::TAPE_ERROR:
		return "bad structure or trailing bytes";
	case simdjson::CAPACITY:
		return "too large to parse";
	default:
		return simdjson::error_message(e);
	}
}

/* v: an element, or the result of a lookup (an error when missing). */
template <typename T> brc_jstr str(T v)
{
	std::string_view s;

	if (v.get_string().get(s))
		return brc_jstr{ nullptr, 0 };
	return brc_jstr{ s.data(), s.size() };
}

template <typename T> brc_jnum num(T v)
{
	double d;

	/* get_double converts int64 and uint64 values too. */
	if (v.get_double().get(d))
		return brc_jnum{ false, 0 };
	return brc_jnum{ true, d };
}

/* The number under "amount" in a price object (the first such key). */
brc_jnum amount_of(simdjson::dom::object price)
{
	for (simdjson::dom::key_value_pair kv : price)
		if (kv.key == "amount")
			return num(kv.value);
	return brc_jnum{ false, 0 };
}

/*
 * A trip's fields in one pass over its keys (five lookups would walk the
 * key list five times), told apart by length first: most keys of a trip
 * are none of ours.  The first of duplicated keys wins, as a lookup would
 * have it; once all four are seen the rest of the keys are not read.
 */
void read_trip(simdjson::dom::object o, brc_jtrip *t)
{
	bool seen_id = false, seen_dep = false, seen_price = false,
	     seen_seats = false;

	for (simdjson::dom::key_value_pair kv : o) {
		std::string_view k = kv.key;

		switch (k.size()) {
		case 2:
			if (seen_id || k != "id")
				continue;
			seen_id = true;
			t->id = str(kv.value);
			break;
		case 9:
			if (seen_dep || k != "departure")
				continue;
			seen_dep = true;
			t->departure = str(kv.value);
			break;
		case 5: {
			simdjson::dom::object price;

			if (seen_price || k != "price")
				continue;
			seen_price = true;
			t->price_is_object = !kv.value.get_object().get(price);
			if (t->price_is_object)
				t->amount = amount_of(price);
			break;
		}
		case 10:
			if (seen_seats || k != "free_seats")
				continue;
			seen_seats = true;
			t->free_seats = num(kv.value);
			break;
		default:
			continue;
		}
		if (seen_id && seen_dep && seen_price && seen_seats)
			break;
	}
}

int walk(element root, brc_jhead_fn head, brc_jtrip_fn trip, void *ctx)
{
	brc_jhead h{};
	simdjson::dom::object top;
	simdjson::dom::array trips;
	int64_t k = 0;
	int rc;

	h.is_object = !root.get_object().get(top);
	if (h.is_object) {
		h.route = str(top["route"]);
		h.date = str(top["date"]);
		h.trips_is_array = !top["trips"].get_array().get(trips);
	}
	rc = head(ctx, &h);
	if (rc || !h.trips_is_array)
		return rc;
	for (element e : trips) {
		brc_jtrip t{};
		simdjson::dom::object o;

		t.is_object = !e.get_object().get(o);
		if (t.is_object)
			read_trip(o, &t);
		rc = trip(ctx, k++, &t);
		if (rc)
			return rc;
	}
	return 0;
}

} // namespace

extern "C" int brc_json_ticket(const char *body, size_t len, bool padded,
                               brc_jhead_fn head, brc_jtrip_fn trip,
                               void *ctx, char *why, size_t why_len)
{
	pooled *p = take(len);
	element root;
	simdjson::error_code e;
	int rc;

	/* A run under `ulimit -v` must say "out of memory", not blame the
	 * server's bytes. */
	if (!p) {
		e = simdjson::MEMALLOC;
		goto fail_memory;
	}
	/* Without padding, simdjson copies the body into a padded buffer. */
	e = p->parser.parse(body, len, !padded).get(root);
	if (e == simdjson::MEMALLOC) {
		/* A failed allocate() may leave the parser with max_depth 0;
		 * a fresh one is made next time. */
		delete p;
		goto fail_memory;
	}
	if (e) {
		if (why && why_len)
			snprintf(why, why_len, "not JSON (%s)", reason(e));
		rc = BRC_JSON_INVALID;
	} else {
		rc = walk(root, head, trip, ctx);
	}
	give(p);
	return rc;
fail_memory:
	if (why && why_len)
		snprintf(why, why_len, "out of memory while parsing a body of "
		         "%zu bytes", len);
	return -1;
}

extern "C" void brc_json_warm(size_t capacity)
{
	pooled *p = take(capacity);

	if (!p)
		return;
	/* On failure the parser stays as it was and grows on first use; the
	 * depth must be passed again (allocate's default is 1024). */
	if (p->parser.capacity() < capacity &&
	    p->parser.allocate(capacity, parser_depth) != simdjson::SUCCESS)
		capacity = 0;
	give(p);
}

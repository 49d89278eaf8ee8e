/*
 * results_doc.cc - brc_jdoc_parse over simdjson's DOM parser (see
 * results_doc.h): a results file becomes the cJSON tree the reader walks,
 * with the numbers of timelines packed beside it instead of one cJSON node
 * each.  Nothing here throws into C: an allocation failure ends in NULL
 * and the caller parses with cJSON (which then says it is out of memory
 * or reads the file slowly).
 */
#include "config.h"

#include <simdjson.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "results/results_doc.h"

static_assert(BRC_JDOC_PADDING >= simdjson::SIMDJSON_PADDING,
              "BRC_JDOC_PADDING must cover simdjson's padding");

/* A packed array: its count, and its numbers unless parsed without. */
struct brc_packed {
	size_t n = 0;
	std::vector<double> v;
};

struct brc_jdoc {
	cJSON *root = nullptr;
	bool numbers = true;
	std::unordered_map<const cJSON *, brc_packed> packed;

	~brc_jdoc() { cJSON_Delete(root); }
};

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

/* cJSON refuses documents nested deeper than this (CJSON_NESTING_LIMIT);
 * simdjson is told the same, so neither accepts what the other would not
 * have. */
constexpr size_t max_depth = 1000;

/* Where a value sits, as far as packing cares. */
enum class place {
	other,
	timeline,        /* the value of a member named "timeline" */
	timeline_member, /* the value of a member of such an object */
};

/* An array of numbers only (and at least one), packed into p, with its
 * numbers or counted: one pass, the tape of a long timeline is ~16 bytes
 * a number. */
bool pack(simdjson::dom::array a, bool numbers, brc_packed &p)
{
	if (numbers)
		p.v.reserve(a.size());
	for (element e : a) {
		double d;

		/* get_double converts int64 and uint64 values too, to the
		 * nearest double, as strtod would; anything else fails. */
		if (!numbers) {
			if (!e.is_number())
				return false;
		} else if (e.get_double().get(d)) {
			return false;
		} else {
			p.v.push_back(d);
		}
		p.n++;
	}
	return p.n > 0;
}

cJSON *convert(brc_jdoc &doc, element e, place where);

cJSON *convert_array(brc_jdoc &doc, simdjson::dom::array a, place where)
{
	cJSON *arr = cJSON_CreateArray();

	if (!arr)
		return nullptr;
	if (where == place::timeline_member) {
		try {
			brc_packed p;

			if (pack(a, doc.numbers, p)) {
				doc.packed.emplace(arr, std::move(p));
				return arr;
			}
		} catch (const std::bad_alloc &) {
			cJSON_Delete(arr);
			return nullptr;
		}
	}
	for (element c : a) {
		cJSON *item = convert(doc, c, place::other);

		if (!item) {
			cJSON_Delete(arr);
			return nullptr;
		}
		cJSON_AddItemToArray(arr, item);
	}
	return arr;
}

cJSON *convert_object(brc_jdoc &doc, simdjson::dom::object o, place where)
{
	cJSON *obj = cJSON_CreateObject();

	if (!obj)
		return nullptr;
	/* Keys in order, duplicates kept: a lookup finds the first, as in
	 * the tree cJSON would have built. */
	for (auto it = o.begin(); it != o.end(); ++it) {
		const char *key = it.key_c_str();
		place inner = where == place::timeline ? place::timeline_member
		              : !strcmp(key, "timeline") ? place::timeline
		                                         : place::other;
		cJSON *item = convert(doc, it.value(), inner);

		if (!item || !cJSON_AddItemToObject(obj, key, item)) {
			cJSON_Delete(item);
			cJSON_Delete(obj);
			return nullptr;
		}
	}
	return obj;
}

cJSON *convert(brc_jdoc &doc, element e, place where)
{
	switch (e.type()) {
	case element_type::ARRAY:
		return convert_array(doc, e.get_array().value_unsafe(), where);
	case element_type::OBJECT:
		return convert_object(doc, e.get_object().value_unsafe(), where);
	case element_type::INT64:
	case element_type::UINT64:
	case element_type::DOUBLE:
		return cJSON_CreateNumber(e.get_double().value_unsafe());
	case element_type::STRING:
		/* Up to a "\u0000", as cJSON's own strings. */
		return cJSON_CreateString(e.get_c_str().value_unsafe());
	case element_type::BOOL:
		return cJSON_CreateBool(e.get_bool().value_unsafe());
	case element_type::NULL_VALUE:
		return cJSON_CreateNull();
	}
	return nullptr;
}

/*
 * One parser kept for the process: `compare` and `merge` read several
 * files, and a parser's buffers (several times the file's size, touched
 * as it parses) cost more in page faults than in parsing when made anew.  Taken under a lock; a second reader at the same time
 * gets its own.
 */
std::mutex cache_lock;
std::unique_ptr<simdjson::dom::parser> cached;

std::unique_ptr<simdjson::dom::parser> take_parser()
{
	std::lock_guard<std::mutex> g(cache_lock);

	if (cached)
		return std::move(cached);
	return std::unique_ptr<simdjson::dom::parser>(
		new (std::nothrow) simdjson::dom::parser);
}

void give_parser(std::unique_ptr<simdjson::dom::parser> p)
{
	std::lock_guard<std::mutex> g(cache_lock);

	cached = std::move(p);
}

brc_jdoc *parse_with(simdjson::dom::parser &parser, const char *text,
                     size_t len, bool numbers)
{
	element root;
	brc_jdoc *doc;

	/* Grown to the largest file read (never shrunk: the next one is
	 * likely as large). */
	if (len > parser.capacity() && parser.allocate(len, max_depth))
		return nullptr;
	/* text has our padding: no copy. */
	if (parser.parse(text, len, false).get(root))
		return nullptr;
	doc = new (std::nothrow) brc_jdoc;
	if (!doc)
		return nullptr;
	doc->numbers = numbers;
	/* convert catches what the packing throws (std::bad_alloc) where it
	 * can still free the nodes made so far. */
	doc->root = convert(*doc, root, place::other);
	if (!doc->root) {
		delete doc;
		return nullptr;
	}
	return doc;
}

} // namespace

extern "C" struct brc_jdoc *brc_jdoc_parse(const char *text, size_t len,
                                           bool numbers)
{
	std::unique_ptr<simdjson::dom::parser> parser = take_parser();
	brc_jdoc *doc;

	if (!parser)
		return nullptr;
	doc = parse_with(*parser, text, len, numbers);
	give_parser(std::move(parser));
	return doc;
}

extern "C" const cJSON *brc_jdoc_root(const struct brc_jdoc *doc)
{
	return doc->root;
}

extern "C" bool brc_jdoc_packed(const struct brc_jdoc *doc,
                                const cJSON *array, size_t *n,
                                const double **vals)
{
	if (!doc || !array)
		return false;
	auto it = doc->packed.find(array);
	if (it == doc->packed.end())
		return false;
	*n = it->second.n;
	*vals = doc->numbers ? it->second.v.data() : nullptr;
	return true;
}

extern "C" void brc_jdoc_free(struct brc_jdoc *doc)
{
	delete doc;
}

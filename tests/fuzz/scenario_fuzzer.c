/*
 * scenario_fuzzer.c - libFuzzer target over the YAML -> scenario path:
 * whatever the bytes, brc_scenario_load_string must return 0 or -1 with a
 * message, never crash, hang or leak.  Overrides are fuzzed too: the first
 * line of the input, when it has the form "PATH=VALUE", is applied as --set.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct brc_scenario sc;
	struct brc_override ov;
	char *text = brc_xmalloc(size + 1), *errbuf = NULL, *nl, *eq;
	size_t n_ov = 0;

	memcpy(text, data, size);
	text[size] = '\0';
	nl = memchr(text, '\n', size);
	if (size > 4 && !strncmp(text, "#set ", 5) && nl) {
		*nl = '\0';
		eq = strchr(text + 5, '=');
		if (eq) {
			*eq = '\0';
			ov.path = text + 5;
			ov.value = eq + 1;
			n_ov = 1;
		}
	}
	if (brc_scenario_load_string("fuzz.yaml", (const char *)data, size, &ov,
	                            n_ov, &sc, &errbuf) == 0)
		brc_scenario_free(&sc);
	free(errbuf);
	free(text);
	return 0;
}

/*
 * plot_fuzzer.c - libFuzzer target over what keeps `benchrun plot` from
 * running code: brc_plot_quote must turn any bytes into one gnuplot
 * single-quoted string on one line, with nothing outside it (every inner
 * quote doubled, no control character), and brc_sanitize must leave clean
 * text of the same length, unchanged when sanitized again.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_plot.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = brc_xmalloc(size + 1), *once, *twice;
	struct brc_buf b = { 0 };
	size_t k;

	memcpy(s, data, size);
	s[size] = '\0';
	brc_plot_quote(&b, s);
	if (b.len < 2 || b.data[0] != '\'' || b.data[b.len - 1] != '\'')
		abort();
	for (k = 1; k + 1 < b.len; k++) {
		unsigned char c = (unsigned char)b.data[k];

		if (c < 0x20 || c == 0x7f)
			abort();
		if (c == '\'') {
			if (b.data[k + 1] != '\'' || k + 2 >= b.len)
				abort(); /* a lone quote would end the string */
			k++;
		}
	}
	if (k != b.len - 1)
		abort();
	once = brc_xsanitized(s, 0);
	twice = brc_xsanitized(once, 0);
	if (strlen(once) != strlen(s) || strcmp(once, twice) ||
	    !brc_is_clean(once, 0))
		abort();
	free(twice);
	free(once);
	brc_buf_free(&b);
	free(s);
	return 0;
}

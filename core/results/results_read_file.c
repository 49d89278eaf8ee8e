/*
 * results_read_file.c - a results file from its path to its tree: the
 * journal of an interrupted run (journal.h) or the JSON of a finished
 * one, parsed by simdjson with timelines packed (results_doc.h) or by
 * cJSON when simdjson refuses the text.  results_read.c reads the tree.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "results/journal.h"
#include "results/results.h"
#include "results/results_doc.h"
#include "results/results_read.h"
#include "util.h"

/* A results file with long timelines is a few MiB; 1 GiB is surely not
 * one of ours. */
#define MAX_RESULTS_FILE (1u << 30)

/*
 * The file's tree: simdjson's (results_doc.h: timelines packed, 7-9x
 * faster) when it takes the text, else cJSON's as always (it is more
 * lenient, and its error says where the text broke).  *doc is NULL for
 * cJSON's tree, which the caller then owns in *own.
 */
static const cJSON *parse(const char *path, const char *text, size_t len,
                          bool numbers, struct brc_jdoc **doc, cJSON **own,
                          char **err)
{
	*doc = brc_jdoc_parse(text, len, numbers);
	if (*doc)
		return brc_jdoc_root(*doc);
	*own = cJSON_ParseWithLength(text, len);
	if (!*own) {
		const char *at = cJSON_GetErrorPtr();
		long off = at && at >= text && at <= text + len ? at - text : -1;

		*err = brc_xasprintf("%s: not valid JSON (near byte %ld)", path, off);
	}
	return *own;
}

static int read_file(const char *path, bool timelines,
                     struct brc_results *out, char **err)
{
	struct brc_jdoc *doc = NULL;
	const cJSON *root;
	cJSON *own = NULL;
	size_t len;
	char *text;
	int rc;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	text = brc_read_file(path, MAX_RESULTS_FILE, &len);
	if (!text) {
		*err = brc_xasprintf("%s: %s", path, brc_file_strerror(errno));
		return -1;
	}
	/* The journal of an interrupted run (journal.h) reads as the
	 * results it holds, so report, compare, plot and merge recover it. */
	if (brc_journal_is(text, len)) {
		rc = brc_journal_parse(path, text, len, out, NULL, err);
		free(text);
		return rc;
	}
	/* simdjson reads whole blocks past the end. */
	text = brc_xrealloc(text, len + BRC_JDOC_PADDING);
	root = parse(path, text, len, timelines, &doc, &own, err);
	free(text);
	if (!root)
		return -1;
	rc = brc_results_from_doc(doc, timelines, root, path, out, err);
	brc_jdoc_free(doc);
	cJSON_Delete(own);
	return rc;
}

int brc_results_json_read(const char *path, struct brc_results *out, char **err)
{
	return read_file(path, true, out, err);
}

int brc_results_json_read_lean(const char *path, struct brc_results *out,
                               char **err)
{
	return read_file(path, false, out, err);
}

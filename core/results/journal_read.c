/*
 * journal_read.c - the journal of an interrupted run (journal.h) read back
 * as the results it holds: the header's results object gets each run line's
 * run in its group, and results_read.c reads that object like any results
 * file.  A line that does not parse or does not fit the header (the last
 * one, when benchrun was killed in the middle of writing it) is skipped
 * with a warning: the runs before it are what a kill must not lose.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results/journal.h"
#include "results/results_json_ext.h"
#include "util.h"

#define MAGIC "{\"benchrun_journal\":"
/* As for results files (results_read_file.c). */
#define MAX_JOURNAL (1u << 30)

bool brc_journal_is(const char *text, size_t len)
{
	return len >= sizeof(MAGIC) - 1 && !memcmp(text, MAGIC, sizeof(MAGIC) - 1);
}

enum brc_journal_state brc_journal_probe(const char *path)
{
	char head[sizeof(MAGIC)];
	struct stat st;
	ssize_t n;
	int fd;

	/* Nothing there, or nothing we can see (a missing directory, or
	 * /dev/null/x): creating it will say what is wrong. */
	if (lstat(path, &st))
		return BRC_JOURNAL_NONE;
	if (!S_ISREG(st.st_mode))
		return BRC_JOURNAL_NOT_REGULAR;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return BRC_JOURNAL_FOREIGN;
	n = read(fd, head, sizeof(head) - 1);
	close(fd);
	return n > 0 && brc_journal_is(head, (size_t)n) ? BRC_JOURNAL_OURS
	                                               : BRC_JOURNAL_FOREIGN;
}

/* A group of the header and its "runs" array. */
struct slot {
	const cJSON *group;
	cJSON *runs;
};

/* Every group's slot, by index (NULL when the header is not a results
 * object with groups). */
static struct slot *slots_of(cJSON *results, size_t *n)
{
	cJSON *groups = cJSON_GetObjectItemCaseSensitive(results, "groups"), *g;
	struct slot *s;
	size_t i = 0;

	if (!cJSON_IsArray(groups))
		return NULL;
	*n = (size_t)cJSON_GetArraySize(groups);
	s = brc_xcalloc(*n + 1, sizeof(*s));
	cJSON_ArrayForEach(g, groups) {
		cJSON *r = cJSON_GetObjectItemCaseSensitive(g, "runs");

		if (!cJSON_IsArray(r)) {
			r = cJSON_CreateArray();
			cJSON_DeleteItemFromObjectCaseSensitive(g, "runs");
			cJSON_AddItemToObject(g, "runs", r);
		}
		s[i].group = g;
		s[i++].runs = r;
	}
	return s;
}

static bool same_text(const cJSON *a, const cJSON *b)
{
	const char *x = cJSON_GetStringValue(a), *y = cJSON_GetStringValue(b);

	return x && y && !strcmp(x, y);
}

/* Move the run of one line into its group; false when the line is not a
 * run of this journal. */
static bool take_line(cJSON *line, const struct slot *s, size_t n)
{
	const cJSON *gi = cJSON_GetObjectItemCaseSensitive(line, "group");
	const cJSON *g;
	double v;

	if (!cJSON_IsObject(line) || !cJSON_IsNumber(gi) ||
	    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(line, "run")))
		return false;
	v = gi->valuedouble;
	if (!(v >= 0 && v < (double)n) || v != (double)(size_t)v)
		return false;
	g = s[(size_t)v].group;
	if (!same_text(cJSON_GetObjectItemCaseSensitive(line, "label"),
	               cJSON_GetObjectItemCaseSensitive(g, "label")) ||
	    !same_text(cJSON_GetObjectItemCaseSensitive(line, "point"),
	               cJSON_GetObjectItemCaseSensitive(g, "point")))
		return false;
	cJSON_AddItemToArray(s[(size_t)v].runs,
	                     cJSON_DetachItemFromObjectCaseSensitive(line, "run"));
	return true;
}

int brc_journal_parse(const char *path, const char *text, size_t len,
                      struct brc_results *out, size_t *valid, char **err)
{
	const char *end = text + len, *p, *nl;
	cJSON *head, *results = NULL;
	struct slot *slots = NULL;
	size_t n = 0, line_no = 1;
	int rc;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	nl = memchr(text, '\n', len);
	head = nl ? cJSON_ParseWithLength(text, (size_t)(nl - text)) : NULL;
	if (head)
		results = cJSON_DetachItemFromObjectCaseSensitive(head, "results");
	cJSON_Delete(head);
	if (results)
		slots = slots_of(results, &n);
	if (!slots) {
		*err = brc_xasprintf("%s: a journal whose first line is not a "
		                    "complete header: it holds no runs", path);
		cJSON_Delete(results);
		return -1;
	}
	for (p = nl + 1; p < end; p = nl + 1) {
		cJSON *line;

		line_no++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		line = cJSON_ParseWithLength(p, (size_t)(nl - p));
		if (!line || !take_line(line, slots, n))
			brc_warn("%s: line %zu is %s: skipped", path, line_no,
			        nl == end ? "cut short (benchrun was killed "
			                    "while writing it)"
			                  : "not a run of this journal");
		cJSON_Delete(line);
		if (nl == end)
			break;
	}
	if (valid) {
		/* The complete lines: up to the last newline. */
		const char *last = text + len;

		while (last > text && last[-1] != '\n')
			last--;
		*valid = (size_t)(last - text);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(results, "incomplete");
	cJSON_AddTrueToObject(results, "incomplete");
	rc = brc_results_from_json(results, path, out, err);
	cJSON_Delete(results);
	free(slots);
	return rc;
}

int brc_journal_read(const char *path, struct brc_results *out, size_t *valid,
                     char **err)
{
	size_t len;
	char *text = brc_read_file(path, MAX_JOURNAL, &len);
	int rc;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	if (!text) {
		*err = brc_xasprintf("%s: %s", path, brc_file_strerror(errno));
		return -1;
	}
	if (!brc_journal_is(text, len)) {
		*err = brc_xasprintf("%s: not a benchrun journal", path);
		free(text);
		return -1;
	}
	rc = brc_journal_parse(path, text, len, out, valid, err);
	free(text);
	return rc;
}

/*
 * journal.h - the journal of a run in progress, `OUT.json.partial` beside
 * the results file OUT.json: what makes a long sweep cost each run's own
 * bytes only (the results file is written once, at the end) and still
 * lose nothing when benchrun is killed.
 *
 * JSON Lines.  The first line is the header:
 *   {"benchrun_journal":1,"results":{...}}
 * the results object as results_json.c writes it (scenario, machine,
 * groups), with no runs and "incomplete": true.  Then one line per
 * measured run, appended and fdatasync'ed as the run ends:
 *   {"group":I,"label":"...","point":"...","run":{...}}
 * I indexes the header's groups (label and point must agree), and "run"
 * is the run exactly as the results file holds it.
 *
 * Read back (brc_results_json_read does it for any journal), the journal
 * is the results it holds, marked incomplete: `benchrun merge
 * OUT.json.partial -o OUT.json` recovers them, and report, compare and
 * plot read it directly.  A last line cut short (benchrun killed in the
 * middle of a write) is skipped with a warning.
 *
 * Never a file that is not ours: the journal is created with O_EXCL |
 * O_NOFOLLOW (a symlink, a FIFO, a device or anybody's file at that path
 * is refused, never followed or replaced), reopened only when its first
 * line is a journal header, and removed only if the name still holds the
 * very file benchrun wrote.
 */
#ifndef BR_JOURNAL_H
#define BR_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "results/results.h"

#define BRC_JOURNAL_SUFFIX ".partial"

/* The journal of results file `results` (malloc'd). */
char *brc_journal_path(const char *results);

/* What is at path: nothing (BRC_JOURNAL_NONE), a journal
 * (BRC_JOURNAL_OURS), a regular file that is not one (BRC_JOURNAL_FOREIGN),
 * or something else: a symlink, directory, device, FIFO or socket
 * (BRC_JOURNAL_NOT_REGULAR).  Never follows a symlink, never blocks. */
enum brc_journal_state {
	BRC_JOURNAL_NONE,
	BRC_JOURNAL_OURS,
	BRC_JOURNAL_FOREIGN,
	BRC_JOURNAL_NOT_REGULAR,
};
enum brc_journal_state brc_journal_probe(const char *path);

struct brc_journal;

/* A new journal at path with r's header (nothing may be there); NULL with
 * errno set (EEXIST when anything is). */
struct brc_journal *brc_journal_create(const char *path,
                                       const struct brc_results *r);
/* Reopen the journal at path to append more runs, first cutting it to
 * its first `valid` bytes (what brc_journal_parse found complete: a line
 * cut short by a kill must not run into the next one).  NULL with errno
 * set. */
struct brc_journal *brc_journal_reopen(const char *path, size_t valid);
/* Append run (of group index `group`, g) as one line and fdatasync it.
 * 0, or -1 with errno set (the journal is cut back to the runs before). */
int brc_journal_add(struct brc_journal *j, size_t group,
                    const struct brc_group *g,
                    const struct brc_run_result *run);
/* Close; with remove, unlink the journal if its name still holds our
 * file.  NULL is allowed. */
void brc_journal_close(struct brc_journal *j, bool remove);

/* journal_read.c: whether text is a journal (its first bytes). */
bool brc_journal_is(const char *text, size_t len);
/* The results a journal holds (out->incomplete set).  Malformed run lines
 * (a last line cut short) are skipped with a warning naming the line.
 * *valid (if not NULL) gets the length of its complete lines.  0, or -1
 * with *err (malloc'd) when even the header is unreadable. */
int brc_journal_parse(const char *path, const char *text, size_t len,
                      struct brc_results *out, size_t *valid, char **err);
/* The same from the file at path. */
int brc_journal_read(const char *path, struct brc_results *out, size_t *valid,
                     char **err);

#endif /* BR_JOURNAL_H */

/*
 * journal_write.c - writing the journal of a run in progress (journal.h):
 * created once with its header, one line appended and fdatasync'ed per
 * measured run, removed when the results file is safely written.  A sweep
 * of N runs writes each run's bytes once instead of rewriting the whole
 * results file N times.
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

struct brc_journal {
	char *path;
	int fd;
	off_t size;       /* bytes of complete lines                       */
	dev_t dev;        /* which file is ours, for the removal           */
	ino_t ino;
};

char *brc_journal_path(const char *results)
{
	return brc_xasprintf("%s%s", results, BRC_JOURNAL_SUFFIX);
}

/* Write all of text (a whole line), then fdatasync.  On failure, cut the
 * file back so a half-written line never runs into the next one. */
static int put_line(struct brc_journal *j, const char *text, size_t len)
{
	const char *p = text;
	size_t left = len;
	int saved;

	while (left) {
		ssize_t w = write(j->fd, p, left);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fdatasync(j->fd))
		goto fail;
	j->size += (off_t)len;
	return 0;

fail:
	saved = errno;
	if (ftruncate(j->fd, j->size) == 0)
		lseek(j->fd, j->size, SEEK_SET);
	errno = saved;
	return -1;
}

/* obj as one line (cJSON escapes every newline inside strings). */
static int put_json(struct brc_journal *j, cJSON *obj)
{
	char *text = cJSON_PrintUnformatted(obj);
	struct brc_buf line = { 0 };
	int rc, saved;

	if (!text) {
		errno = ENOMEM;
		return -1;
	}
	brc_buf_append(&line, text, strlen(text));
	brc_buf_append(&line, "\n", 1);
	cJSON_free(text);
	rc = put_line(j, line.data, line.len);
	saved = errno;
	brc_buf_free(&line);
	errno = saved;
	return rc;
}

/* The header holds the groups, not their runs (every run is a line of
 * its own) nor summaries of them. */
static void strip_runs(cJSON *res)
{
	cJSON *g;

	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(res, "groups")) {
		cJSON_DeleteItemFromObjectCaseSensitive(g, "summary");
		cJSON_DeleteItemFromObjectCaseSensitive(g, "runs");
		cJSON_AddArrayToObject(g, "runs");
	}
}

static struct brc_journal *journal_of(const char *path, int fd)
{
	struct brc_journal *j = brc_xcalloc(1, sizeof(*j));
	struct stat st;

	int saved = fstat(fd, &st) ? errno : S_ISREG(st.st_mode) ? 0 : EEXIST;

	if (saved) {
		free(j);
		close(fd);
		errno = saved;
		return NULL;
	}
	j->path = brc_xstrdup(path);
	j->fd = fd;
	j->dev = st.st_dev;
	j->ino = st.st_ino;
	j->size = st.st_size;
	return j;
}

struct brc_journal *brc_journal_create(const char *path,
                                       const struct brc_results *r)
{
	/* O_EXCL: whatever is at path (a leftover journal, a symlink even
	 * dangling, anybody's file) makes this fail, never replaced or
	 * followed.  The mode is the results file's: 0666 & ~umask. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	              0666);
	struct brc_journal *j;
	cJSON *head, *res;
	int saved;

	if (fd < 0)
		return NULL;
	j = journal_of(path, fd);
	if (!j)
		goto fail_unlink;
	head = cJSON_CreateObject();
	cJSON_AddNumberToObject(head, "benchrun_journal", 1);
	res = brc_results_to_json(r);
	strip_runs(res);
	cJSON_DeleteItemFromObjectCaseSensitive(res, "incomplete");
	cJSON_AddTrueToObject(res, "incomplete");
	cJSON_AddItemToObject(head, "results", res);
	if (put_json(j, head)) {
		saved = errno;
		cJSON_Delete(head);
		brc_journal_close(j, true);
		errno = saved;
		return NULL;
	}
	cJSON_Delete(head);
	/* The name must survive a crash as well as the lines. */
	brc_sync_dir(path);
	return j;

fail_unlink:
	saved = errno;
	unlink(path);
	errno = saved;
	return NULL;
}

struct brc_journal *brc_journal_reopen(const char *path, size_t valid)
{
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct brc_journal *j;

	if (fd < 0)
		return NULL;
	j = journal_of(path, fd);
	if (!j)
		return NULL;
	if (ftruncate(fd, (off_t)valid) || lseek(fd, (off_t)valid, SEEK_SET) < 0) {
		int saved = errno;

		brc_journal_close(j, false);
		errno = saved;
		return NULL;
	}
	j->size = (off_t)valid;
	return j;
}

int brc_journal_add(struct brc_journal *j, size_t group,
                    const struct brc_group *g, const struct brc_run_result *run)
{
	cJSON *line = cJSON_CreateObject();
	int rc, saved;

	cJSON_AddNumberToObject(line, "group", (double)group);
	cJSON_AddStringToObject(line, "label", g->label ? g->label : "");
	cJSON_AddStringToObject(line, "point", g->point ? g->point : "");
	cJSON_AddItemToObject(line, "run", brc_run_to_json(run));
	rc = put_json(j, line);
	saved = errno;
	cJSON_Delete(line);
	errno = saved;
	return rc;
}

void brc_journal_close(struct brc_journal *j, bool remove)
{
	struct stat st;

	if (!j)
		return;
	/* Only our own file: if someone replaced the name meanwhile, theirs
	 * stays. */
	if (remove && lstat(j->path, &st) == 0 && st.st_dev == j->dev &&
	    st.st_ino == j->ino) {
		unlink(j->path);
		brc_sync_dir(j->path);
	}
	close(j->fd);
	free(j->path);
	free(j);
}

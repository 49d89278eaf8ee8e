/*
 * export.c - write the workload as static files (benchrun export): day i's
 * body at the path its URL names, under a directory a web server can use
 * as its root.  The bodies are rendered by the same code the embedded
 * server uses, so validating what nginx serves from here still holds.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/export.h"
#include "workload/tickets.h"
#include "util.h"

const char *brc_export_path_template(const struct brc_server *s,
                                    const char **why)
{
	const char *t = s->url_template ? s->url_template
	                                : "/tickets/{route}/{date}";

	/* The embedded layout is "{base}" + path; an external URL's path
	 * starts after "scheme://host:port". */
	if (!strncmp(t, "{base}", 6)) {
		t += 6;
	} else if (strstr(t, "://")) {
		t = strchr(strstr(t, "://") + 3, '/');
		if (!t) {
			*why = "server.url has no path to name files after";
			return NULL;
		}
	}
	if (t[0] != '/') {
		*why = "the URL path must start with '/'";
		return NULL;
	}
	if (strpbrk(t, "?#")) {
		*why = "a URL with a query string or fragment cannot name a "
		       "static file";
		return NULL;
	}
	return t;
}

/* Every component of an absolute path must be a real name: no "", "."
 * or "..", so nothing lands outside the directory. */
static int check_path(const char *p, const char **why)
{
	while (*p == '/') {
		const char *c = p + 1;
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.')) {
			*why = "empty, '.' or '..' path component";
			return -1;
		}
		p = c + n;
	}
	return 0;
}

/* mkdir -p; path is restored before returning.  Below the first `keep`
 * bytes (the directory the user named, which may well be a symlink), every
 * directory must be a real one: a symlink planted inside the target
 * directory must not lead the export elsewhere (errno ELOOP). */
static int make_dirs(char *path, size_t keep)
{
	struct stat st;

	for (char *p = path + 1;; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			*p = c;
			return -1;
		}
		if ((size_t)(p - path) > keep &&
		    (lstat(path, &st) || !S_ISDIR(st.st_mode))) {
			*p = c;
			errno = ELOOP;
			return -1;
		}
		*p = c;
		if (!c)
			return 0;
	}
}

/* A plain write, not brc_write_file_atomic: an fsync per file would make
 * exporting 10,000 days take minutes, and a half-written export is simply
 * run again. */
static int write_file(const char *path, const char *data, size_t len)
{
	/* Never through a symlink, never into a FIFO or device: open without
	 * following or blocking, check, and only then truncate. */
	int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	              O_CLOEXEC, 0644);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EEXIST;
		return -1;
	}
	if (ftruncate(fd, 0))
		goto fail_fd;
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail_fd;
		data += n;
		len -= (size_t)n;
	}
	return close(fd);
fail_fd:
	close(fd);
	return -1;
}

int brc_export(const struct brc_scenario *sc, const char *dir,
              uint64_t *files, uint64_t *bytes)
{
	const struct brc_workload *w = &sc->workload;
	struct brc_buf body = { 0 };
	char *root = brc_xstrdup(*dir ? dir : "."), *last_dir = NULL;
	const char *tmpl, *why;
	int rc = -1;

	*files = *bytes = 0;
	tmpl = brc_export_path_template(&sc->server, &why);
	if (!tmpl) {
		brc_error("cannot export: %s", why);
		goto fail_root;
	}
	if (make_dirs(root, strlen(root))) {
		brc_error("%s: %s", root, strerror(errno));
		goto fail_root;
	}
	for (int64_t i = 0; i < w->days; i++) {
		char *rel = brc_ticket_url(tmpl, "", w, i);
		char *path = brc_xasprintf("%s%s", root, rel);
		char *slash = strrchr(path, '/');

		if (check_path(rel, &why)) {
			brc_error("cannot export day %" PRId64 " as '%s': %s", i,
			         rel, why);
			goto fail_day;
		}
		/* Days usually share a directory: create each one once. */
		*slash = '\0';
		if (!last_dir || strcmp(last_dir, path)) {
			if (make_dirs(path, strlen(root))) {
				brc_error("%s: %s", path, errno == ELOOP ?
				         "not a directory of ours (a symlink?): "
				         "refusing to follow it" : strerror(errno));
				goto fail_day;
			}
			free(last_dir);
			last_dir = brc_xstrdup(path);
		}
		*slash = '/';
		body.len = 0;
		brc_ticket_render(w, i, &body);
		if (write_file(path, body.data, body.len)) {
			brc_error("%s: %s", path, errno == ELOOP ?
			         "a symlink: refusing to follow it" :
			         brc_file_strerror(errno));
			goto fail_day;
		}
		(*files)++;
		*bytes += body.len;
		free(path);
		free(rel);
		continue;
fail_day:
		free(path);
		free(rel);
		goto fail_body;
	}
	rc = 0;
fail_body:
	brc_buf_free(&body);
	free(last_dir);
fail_root:
	free(root);
	return rc;
}

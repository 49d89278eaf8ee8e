/*
 * util_file.c - files and process limits: atomic writes (a crash never
 * leaves half a results file), bounded reads, mkdir -p, RLIMIT_NOFILE
 * (see util.h).
 */
#include "config.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

int brc_write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = brc_xasprintf("%s.tmp.XXXXXX", path);
	const char *p = data;
	int fd, saved;

	fd = mkstemp(tmp);
	if (fd < 0)
		goto fail_tmp;
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail_write;
		}
		p += w;
		len -= (size_t)w;
	}
	/* Results files are meant for people: the usual 0644, not mkstemp's
	 * 0600, honouring the umask. */
	mode_t um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) || fsync(fd))
		goto fail_write;
	if (close(fd)) {
		fd = -1;
		goto fail_write;
	}
	fd = -1;
	if (rename(tmp, path))
		goto fail_write;
	free(tmp);
	return 0;

fail_write:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
fail_tmp:
	saved = errno;
	free(tmp);
	errno = saved;
	return -1;
}

int brc_mkdir_parents(const char *path)
{
	char *dir = brc_xstrdup(path);
	int rc = 0;

	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) && errno != EEXIST) {
			rc = -1;
			break;
		}
		*p = '/';
	}
	int saved = errno;
	free(dir);
	errno = saved;
	return rc;
}

char *brc_read_file(const char *path, size_t max, size_t *len)
{
	struct brc_buf b = { 0 };
	char chunk[65536];
	struct stat st;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return NULL;
	}
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		if (b.len + (size_t)r > max) {
			errno = EFBIG;
			goto fail;
		}
		brc_buf_append(&b, chunk, (size_t)r);
	}
	close(fd);
	if (!b.data)
		brc_buf_append(&b, "", 0);
	if (len)
		*len = b.len;
	return b.data;

fail:
	saved = errno;
	close(fd);
	brc_buf_free(&b);
	errno = saved;
	return NULL;
}

uint64_t brc_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return (uint64_t)rl.rlim_cur;
}

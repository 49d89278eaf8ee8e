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

/* The umask without changing it (umask(2) can only set it, and setting
 * it back is a race with every other thread creating files): Linux shows
 * it in /proc/self/status.  Without /proc, the common 022. */
static mode_t current_umask(void)
{
	char *status = brc_read_file("/proc/self/status", 1 << 16, NULL);
	const char *u = status ? strstr(status, "\nUmask:") : NULL;
	unsigned long m = 022;

	if (u)
		m = strtoul(u + 7, NULL, 8);
	free(status);
	return (mode_t)(m & 0777);
}

int brc_output_path_ok(const char *path)
{
	struct stat st;

	/* Nothing there, or nothing we can see: the write itself will say
	 * what is wrong (a missing directory is created, /dev/null/x fails
	 * after the run, its table still shown). */
	if (lstat(path, &st))
		return 0;
	if (!S_ISREG(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	return 0;
}

/* fsync the directory holding path, so the rename survives a crash. */
static int sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? brc_xasprintf("%.*s", (int)(slash - path + 1), path)
	                  : brc_xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	free(dir);
	if (fd < 0)
		return -1;
	/* Some file systems cannot sync a directory: not our failure. */
	if (fsync(fd) && errno != EINVAL && errno != EROFS)
		rc = -1;
	close(fd);
	return rc;
}

int brc_sync_dir(const char *path)
{
	return sync_dir(path);
}

const char *brc_file_strerror(int err)
{
	if (err == EEXIST)
		return "not a regular file (a symlink, device, FIFO or "
		       "directory is there): refusing to replace it";
	if (err == ENODEV)
		return "not a regular file (a FIFO, device or socket)";
	return strerror(err);
}

int brc_write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = brc_xasprintf("%s.tmp.XXXXXX", path);
	const char *p = data;
	struct stat old;
	mode_t mode;
	int fd, saved;

	/* Never replace what is not a plain file of ours: a symlink, a
	 * device node (as root, -o /dev/null would replace /dev/null), a FIFO
	 * or a directory.  rename() below replaces a name, never follows
	 * one, so a symlink planted after this check is replaced, not its
	 * target written. */
	if (lstat(path, &old) == 0) {
		if (!S_ISREG(old.st_mode)) {
			errno = EEXIST;
			goto fail_tmp;
		}
		mode = old.st_mode & 07777;
	} else {
		/* Results files are meant for people: the usual 0644, not
		 * mkstemp's 0600, honouring the umask. */
		mode = 0666 & ~current_umask();
	}
	fd = mkostemp(tmp, O_CLOEXEC);
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
	if (fchmod(fd, mode) || fsync(fd))
		goto fail_write;
	if (close(fd)) {
		fd = -1;
		goto fail_write;
	}
	fd = -1;
	if (rename(tmp, path))
		goto fail_write;
	free(tmp);
	return sync_dir(path);

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
	struct stat st;
	int fd, saved;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer; only
	 * regular files are read (a FIFO or a device could block or never
	 * end). */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : ENODEV;
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	/* Sized once from the file's size and read straight into: a 66 MB
	 * results file was copied through a small buffer and reallocated
	 * as it grew (its size may still change while we read). */
	if (st.st_size > 0 && (uint64_t)st.st_size <= max)
		b.cap = (size_t)st.st_size + 2;
	else
		b.cap = max < 65536 ? max + 2 : 65536; /* /proc says 0 */
	b.data = brc_xmalloc(b.cap);
	for (;;) {
		size_t room = b.cap - b.len - 1;
		ssize_t r;

		if (!room) {
			b.cap *= 2;
			b.data = brc_xrealloc(b.data, b.cap);
			continue;
		}
		/* One byte past max is enough to know it is too large
		 * (b.len <= max here, and max - b.len < room cannot
		 * overflow when one is added). */
		if (max - b.len < room)
			room = max - b.len + 1;
		r = read(fd, b.data + b.len, room);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		b.len += (size_t)r;
		if (b.len > max) {
			errno = EFBIG;
			goto fail;
		}
	}
	close(fd);
	b.data[b.len] = '\0';
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

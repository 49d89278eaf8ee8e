/*
 * syncwatch.c - an LD_PRELOAD shim for tests/check_security_files.c: it
 * records every fsync and rename of a path below $BR_SYNCWATCH_DIR in the
 * file $BR_SYNCWATCH_LOG, one line each, so that a test can see what the
 * atomic write did and in which order:
 *
 *     fsync file /tmp/x/out.json.tmp.Ab12Cd cloexec=1
 *     rename /tmp/x/out.json.tmp.Ab12Cd /tmp/x/out.json
 *     fsync dir /tmp/x cloexec=1
 *
 * cloexec is the descriptor's FD_CLOEXEC flag at that moment: whether a
 * program started meanwhile by another thread would inherit it.  The real
 * calls are made unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* path, made absolute against the current directory. */
static void absolute(const char *path, char *out, size_t size)
{
	char cwd[4096];

	int n;

	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		n = snprintf(out, size, "%s", path);
	else
		n = snprintf(out, size, "%s/%s", cwd, path);
	if (n < 0 || (size_t)n >= size) /* too long to be one of ours */
		out[0] = '\0';
}

static int watched(const char *path)
{
	const char *dir = getenv("BR_SYNCWATCH_DIR");

	return dir && *dir && !strncmp(path, dir, strlen(dir));
}

static void note(const char *line)
{
	const char *log = getenv("BR_SYNCWATCH_LOG");
	int fd;

	if (!log)
		return;
	fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	/* One write per line: lines of several processes never mix. */
	if (write(fd, line, strlen(line)) < 0)
		(void)0;
	close(fd);
}

int fsync(int fd)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	char link[64], path[4096], line[4200];
	struct stat st;
	ssize_t n;
	int flags = fcntl(fd, F_GETFD);

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n > 0 && fstat(fd, &st) == 0) {
		path[n] = '\0';
		if (watched(path)) {
			snprintf(line, sizeof(line), "fsync %s %s cloexec=%d\n",
			         S_ISDIR(st.st_mode) ? "dir" : "file", path,
			         flags >= 0 && (flags & FD_CLOEXEC));
			note(line);
		}
	}
	return real(fd);
}

int rename(const char *from, const char *to)
{
	int (*real)(const char *, const char *) =
		(int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	char a[4096], b[4096], line[8300];
	int rc = real(from, to);

	absolute(from, a, sizeof(a));
	absolute(to, b, sizeof(b));
	if (rc == 0 && watched(b)) {
		snprintf(line, sizeof(line), "rename %s %s\n", a, b);
		note(line);
	}
	return rc;
}

/*
 * fail_add.c - an LD_PRELOAD shim for tests/check_robust_cli.c: in a
 * benchrun worker process only, curl_multi_add_handle fails from its
 * $BR_FAIL_ADD_AFTER + 1-th call on, as it would out of memory; in every
 * other process it is libcurl's.  A slot whose (re)start fails must not
 * leave an event loop waiting for nothing.
 */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int in_worker(void)
{
	static int known = -1;
	char buf[4096];
	ssize_t n;
	int fd;

	if (known >= 0)
		return known;
	known = 0;
	fd = open("/proc/self/cmdline", O_RDONLY);
	if (fd < 0)
		return known;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	for (ssize_t k = 0; k < n; k += (ssize_t)strlen(buf + k) + 1) {
		buf[n] = '\0';
		if (!strcmp(buf + k, "__worker"))
			known = 1;
	}
	return known;
}

CURLMcode curl_multi_add_handle(CURLM *multi, CURL *easy)
{
	static unsigned long calls;
	CURLMcode (*real)(CURLM *, CURL *) =
		(CURLMcode (*)(CURLM *, CURL *))dlsym(RTLD_NEXT,
		                                      "curl_multi_add_handle");
	const char *after = getenv("BR_FAIL_ADD_AFTER");

	if (in_worker() && after && ++calls > strtoul(after, NULL, 10))
		return CURLM_OUT_OF_MEMORY;
	return real(multi, easy);
}

/*
 * results_host.c - the machine and software a result was measured on, so
 * that a results file read months later says what produced it.
 */
#include "config.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "results/results.h"
#include "util.h"

/* "model name : Intel(R) Xeon(R) ..." from /proc/cpuinfo; other
 * architectures name the field differently, hence the fallbacks. */
static char *cpu_model(void)
{
	static const char *const keys[] = { "model name", "Processor",
	                                     "cpu model", "uarch" };
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	if (!f)
		return brc_xstrdup("unknown");
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		for (size_t i = 0; i < BR_ARRAY_SIZE(keys); i++) {
			if (strncmp(line, keys[i], strlen(keys[i])))
				continue;
			char *v = colon + 1;

			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = '\0';
			fclose(f);
			return brc_xstrdup(v);
		}
	}
	fclose(f);
	return brc_xstrdup("unknown");
}

void brc_results_fill_host(struct brc_results *r)
{
	curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
	struct utsname u;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	free(r->host_kernel);
	if (uname(&u) == 0)
		r->host_kernel = brc_xasprintf("%s %s %s", u.sysname, u.release,
		                              u.machine);
	else
		r->host_kernel = brc_xstrdup("unknown");
	free(r->host_cpu);
	r->host_cpu = cpu_model();
	r->host_cores = cores > 0 ? (int)cores : 1;
	free(r->benchrun_version);
	r->benchrun_version = brc_xstrdup(PACKAGE_VERSION);
	free(r->libcurl_version);
	r->libcurl_version = brc_xstrdup(cv->version);
	free(r->compiler);
#ifdef __clang__
	r->compiler = brc_xstrdup("clang " __clang_version__);
#elif defined(__GNUC__)
	r->compiler = brc_xstrdup("gcc " __VERSION__);
#else
	r->compiler = brc_xstrdup("unknown");
#endif
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	free(r->started_at);
	r->started_at = brc_xstrdup(when);
}

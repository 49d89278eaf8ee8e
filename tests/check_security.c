/*
 * check_security.c - hostile input (issue 11, security half): crafted
 * results files, scenarios and environments must never make benchrun run
 * anything, replace a file that is not its own, or put raw escape
 * sequences on a terminal; every test here failed before its fix.  The
 * "attack" is always a command that creates a marker file: the test
 * asserts the marker does not exist.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report_plot.h"
#include "suites.h"
#include "util.h"

static bool have_gnuplot(void)
{
	if (!access(BR_GNUPLOT, X_OK) || !system("command -v gnuplot >/dev/null"))
		return true;
	fprintf(stderr, "check_security: gnuplot not found, plot test skipped "
	        "(apt-get install gnuplot-nox)\n");
	return false;
}

static bool exists(const char *name)
{
	char *p = brc_xasprintf("%s/%s", brc_test_dir, name);
	bool e = access(p, F_OK) == 0;

	free(p);
	return e;
}

/* A real results file with a sweep (two groups), written by a short run. */
static cJSON *real_results(void)
{
	char *yaml = brc_test_write(brc_test_dir, "base.yaml",
		"name: base\nworkload: {days: 2, trips: 2}\n"
		"strategies: [threads]\nsweep: {concurrency: [1, 2]}\n");
	char *out = brc_xasprintf("%s/base.json", brc_test_dir);
	const char *argv[] = { "-q", "-o", out, yaml, NULL };
	cJSON *doc;

	ck_assert_int_eq(brc_test_benchrun(argv, 60, NULL), 0);
	doc = brc_test_load_json(out);
	ck_assert_ptr_nonnull(doc);
	free(out);
	free(yaml);
	return doc;
}

static char *save(cJSON *doc, const char *name)
{
	char *text = cJSON_Print(doc);
	char *path = brc_test_write(brc_test_dir, name, text);

	free(text);
	return path;
}

static void set_str(cJSON *obj, const char *key, const char *value)
{
	cJSON_ReplaceItemInObjectCaseSensitive(obj, key, cJSON_CreateString(value));
}

/* `benchrun plot` on a file; returns its exit code. */
static int plot(const char *results, const char *picture)
{
	char *out = brc_xasprintf("%s/%s", brc_test_dir, picture);
	const char *argv[] = { "-q", "plot", results, "-o", out, NULL };
	int rc = brc_test_benchrun(argv, 60, NULL);

	free(out);
	return rc;
}

/* The whole SVG is text without a control character (valid XML 1.0). */
static void assert_clean_svg(const char *name)
{
	char *p = brc_xasprintf("%s/%s", brc_test_dir, name);
	size_t len;
	char *svg = brc_read_file(p, 1u << 26, &len);

	ck_assert_ptr_nonnull(svg);
	ck_assert_ptr_nonnull(strstr(svg, "<svg"));
	for (size_t i = 0; i < len; i++)
		ck_assert_msg((unsigned char)svg[i] >= 0x20 || svg[i] == '\n' ||
		              svg[i] == '\t' || svg[i] == '\r',
		              "control byte 0x%02x at %zu", svg[i], i);
	free(svg);
	free(p);
}

START_TEST(test_plot_point_quote)
{
	cJSON *doc;
	char *path, *cmd;

	if (!have_gnuplot())
		return;
	doc = real_results();
	cmd = brc_xasprintf("x' . system('touch %s/F') . '", brc_test_dir);
	/* The last group's point is the one in focus: it goes in titles. */
	set_str(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "groups"), 1),
	        "point", cmd);
	path = save(doc, "evil.json");
	ck_assert_int_eq(plot(path, "p.svg"), 0);
	ck_assert_msg(!exists("F"), "plot ran a command from groups[].point");
	assert_clean_svg("p.svg");
	free(cmd);
	free(path);
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_plot_newline_labels)
{
	cJSON *doc, *g;
	char *path, *l, *n, *s;

	if (!have_gnuplot())
		return;
	doc = real_results();
	l = brc_xasprintf("x\nsystem(\"touch %s/L\")\n#", brc_test_dir);
	n = brc_xasprintf("n\nsystem('touch %s/N')\n#\033[31mred\033]0;t\007",
	                  brc_test_dir);
	s = brc_xasprintf("s\r\nsystem('touch %s/S')\n#", brc_test_dir);
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(doc, "groups"))
		set_str(g, "label", l);
	set_str(cJSON_GetObjectItem(doc, "scenario"), "name", n);
	set_str(doc, "server", s);
	path = save(doc, "evil.json");
	int rc = plot(path, "p.svg");

	ck_assert_msg(!exists("L"), "plot ran a command from a label");
	ck_assert_msg(!exists("N"), "plot ran a command from scenario.name");
	ck_assert_msg(!exists("S"), "plot ran a command from server");
	ck_assert_int_eq(rc, 0);
	assert_clean_svg("p.svg");
	free(l);
	free(n);
	free(s);
	free(path);
	cJSON_Delete(doc);
}
END_TEST

/* TMPDIR is the user's, but a quote in it must not become gnuplot code. */
START_TEST(test_plot_tmpdir_quote)
{
	cJSON *doc;
	char *tmp, *path;

	if (!have_gnuplot())
		return;
	doc = real_results();
	path = NULL;
	/* A directory name has no '/': the marker's path travels in $M. */
	tmp = brc_xasprintf("%s/q'.system('touch \"$M\"').'", brc_test_dir);
	ck_assert_int_eq(mkdir(tmp, 0700), 0);
	setenv("TMPDIR", tmp, 1);
	free(path);
	path = brc_xasprintf("%s/T", brc_test_dir);
	setenv("M", path, 1);
	free(path);
	path = save(doc, "r.json");
	int rc = plot(path, "p.svg");

	unsetenv("TMPDIR");
	ck_assert_msg(!exists("T"), "plot ran a command from TMPDIR");
	ck_assert_int_eq(rc, 0);
	assert_clean_svg("p.svg");
	free(tmp);
	free(path);
	cJSON_Delete(doc);
}
END_TEST

/* A sweep value reaches the picture of an ordinary run (outputs.plot) as
 * the point in focus; validate said ok to it. */
START_TEST(test_plot_sweep_value_in_run)
{
	char *mark = brc_xasprintf("%s/W", brc_test_dir);
	char *yaml, *sc, *svg, *evil;
	const char *argv[] = { "-q", NULL, NULL };
	int rc;

	if (!have_gnuplot()) {
		free(mark);
		return;
	}
	setenv("M", mark, 1);
	svg = brc_xasprintf("%s/w.svg", brc_test_dir);
	/* The program runs in the swept directory: both exist. */
	evil = brc_xasprintf("%s/x' . system('touch \"$M\"') . '",
	                     brc_test_dir);
	ck_assert_int_eq(mkdir(evil, 0700), 0);
	yaml = brc_xasprintf(
		"workload: {days: 1, trips: 1}\n"
		"strategies: [{plugin: exec, params: {command: [/bin/true]}}]\n"
		"sweep: {cwd: ['%s', \"%s/x' . system('touch \\\"$M\\\"') . '\"]}\n"
		"outputs: {plot: '%s'}\n", brc_test_dir, brc_test_dir, svg);
	sc = brc_test_write(brc_test_dir, "w.yaml", yaml);
	argv[1] = sc;
	rc = brc_test_benchrun(argv, 90, NULL);
	ck_assert_msg(!exists("W"), "a run's plot ran a command from a sweep "
	              "value");
	ck_assert_int_eq(rc, 1); /* /bin/true reports no ticket */
	assert_clean_svg("w.svg");
	free(evil);
	free(sc);
	free(yaml);
	free(svg);
	free(mark);
}
END_TEST

/* The quoting itself: whatever the input, one single-quoted string on one
 * line, and nothing outside it. */
START_TEST(test_plot_quote_total)
{
	static const char *const in[] = {
		"plain", "it's", "a\nb", "a\rb", "'\n'", "\\", "a\\\nb",
		"\033[2J", "`id`", "@macro", "\xc2\x9b" "31m", "\xff\xfe",
	};

	for (size_t i = 0; i < BR_ARRAY_SIZE(in); i++) {
		struct brc_buf b = { 0 };
		size_t k;

		brc_plot_quote(&b, in[i]);
		ck_assert_uint_ge(b.len, 2);
		ck_assert_int_eq(b.data[0], '\'');
		ck_assert_int_eq(b.data[b.len - 1], '\'');
		for (k = 1; k + 1 < b.len; k++) {
			unsigned char c = (unsigned char)b.data[k];

			ck_assert_msg(c >= 0x20 && c != 0x7f, "control in %s", b.data);
			if (c == '\'') {
				/* Only doubled quotes inside. */
				ck_assert_int_eq(b.data[k + 1], '\'');
				k++;
			}
		}
		ck_assert_uint_eq(k, b.len - 1);
		brc_buf_free(&b);
	}
}
END_TEST

Suite *brc_suite_security(void)
{
	Suite *s = suite_create("security");
	TCase *tc = tcase_create("plot");

	tcase_add_checked_fixture(tc, brc_test_dir_setup,
	                          brc_test_dir_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_plot_point_quote);
	tcase_add_test(tc, test_plot_newline_labels);
	tcase_add_test(tc, test_plot_tmpdir_quote);
	tcase_add_test(tc, test_plot_sweep_value_in_run);
	tcase_add_test(tc, test_plot_quote_total);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * report_html.c - one self-contained HTML page per results file: the
 * verdicts, the summary table (the terminal's own cells), charts as inline
 * SVG (report_html_charts.c), every run with its failures and log, the
 * scenario as it was written, and the machine.  Offline and script-free:
 * no external resource, no JavaScript, and a Content-Security-Policy that
 * forbids scripts outright -- a results file is untrusted input, so even a
 * string that escaped escaping could not run.  Light and dark schemes and
 * print follow the reader's settings.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_html.h"
#include "report/report_svg.h"
#include "report/report_util.h"
#include "util.h"

static const char css[] =
	":root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--mute:#666;"
	"--line:#ddd;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--code:#f6f8fa}"
	"@media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--bg:#161616;"
	"--mute:#a0a0a0;--line:#3a3a3a;--ok:#3fb950;--warn:#d29922;"
	"--bad:#f85149;--code:#1f1f1f}}"
	"body{font:15px/1.45 system-ui,sans-serif;color:var(--fg);"
	"background:var(--bg);max-width:1100px;margin:0 auto;padding:1em 1.5em}"
	"h1{font-size:1.5em;margin-bottom:.2em}h2{border-bottom:1px solid "
	"var(--line);padding-bottom:.2em;margin-top:1.6em}"
	".meta,.note{color:var(--mute)}table{border-collapse:collapse;"
	"margin:.5em 0 1em;font-variant-numeric:tabular-nums}"
	"th,td{padding:.25em .6em;border-bottom:1px solid var(--line);"
	"text-align:right;vertical-align:top}th:first-child,td:first-child,"
	"td.s,th.s{text-align:left}.ok{color:var(--ok)}.warn{color:var(--warn)}"
	".bad{color:var(--bad)}.banner{border:1px solid var(--warn);padding:"
	".5em 1em}pre{background:var(--code);padding:.7em;overflow:auto;"
	"white-space:pre-wrap;word-break:break-all}"
	"svg.chart{max-width:100%;height:auto;display:block;margin:.5em 0;"
	"font:12px system-ui,sans-serif;fill:currentColor}"
	"svg .grid{stroke:var(--line);stroke-width:1}svg .axis,svg .whisker"
	"{stroke:currentColor;stroke-width:1.2;fill:none}"
	"svg .series polyline{stroke-width:1.8}"
	"details{margin:.4em 0}summary{cursor:pointer;font-weight:600}"
	"@media print{body{max-width:none;font-size:11px}details{display:"
	"block}details>*{display:block}h2{break-after:avoid}"
	"svg.chart,table{break-inside:avoid}}";

static void esc(struct brc_buf *b, const char *s)
{
	brc_html_escape(b, s ? s : "");
}

/* Text of several lines (a verdict and its memory line): each escaped,
 * joined by <br>, indentation dropped. */
static void lines(struct brc_buf *b, const char *s)
{
	char *copy = brc_xstrdup(s ? s : ""), *save = NULL;
	bool first = true;

	for (char *l = strtok_r(copy, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		brc_buf_printf(b, "%s", first ? "" : "<br>");
		esc(b, l + strspn(l, " "));
		first = false;
	}
	free(copy);
}

static void tag(struct brc_buf *b, const char *open, const char *s,
                const char *close)
{
	brc_buf_printf(b, "%s", open);
	esc(b, s);
	brc_buf_printf(b, "%s", close);
}

void brc_html_head(struct brc_buf *b, const char *what,
                   const struct brc_results *r)
{
	brc_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	              "<meta charset=\"utf-8\">"
	              "<meta name=\"viewport\" content=\"width=device-width, "
	              "initial-scale=1\">"
	              "<meta http-equiv=\"Content-Security-Policy\" "
	              "content=\"default-src 'none'; style-src 'unsafe-inline'; "
	              "img-src data:\">"
	              "<meta name=\"generator\" content=\"benchrun %s\">",
	              PACKAGE_VERSION);
	brc_buf_printf(b, "<title>benchrun %s: ", what);
	tag(b, "", r->scenario_name, "</title>");
	brc_buf_printf(b, "<style>%s</style></head>\n<body>\n", css);
	brc_buf_printf(b, "<header><h1>benchrun %s: ", what);
	tag(b, "", r->scenario_name, "</h1>");
	brc_buf_printf(b, "<p class=\"meta\">%llu requests, seed %llu",
	              (unsigned long long)r->requests,
	              (unsigned long long)r->seed);
	if (r->server_desc)
		tag(b, "; server: ", r->server_desc, "");
	if (r->started_at)
		tag(b, "; started ", r->started_at, "");
	brc_buf_printf(b, ".</p></header>\n");
	if (r->incomplete)
		brc_buf_printf(b, "<p class=\"banner\"><strong>Incomplete:</strong> "
		              "interrupted before every run finished.</p>\n");
}

/* The terminal's comparison lines and warnings for one sweep point. */
static void verdicts(struct brc_buf *b, const struct brc_results *r,
                     const char *point)
{
	const struct brc_group *base = brc_results_baseline(r, point);
	struct brc_buf warn = { 0 };
	char line[512];
	bool any = false;

	for (size_t i = 0; base && i < r->n_groups; i++) {
		const struct brc_group *g = &r->groups[i];

		if (strcmp(g->point ? g->point : "", point) ||
		    brc_report_comparison(g, base, line, sizeof(line)))
			continue;
		brc_buf_printf(b, "%s<li>", any ? "" : "<ul class=\"verdicts\">");
		lines(b, line);
		brc_buf_printf(b, "</li>");
		any = true;
	}
	if (base && brc_results_point_has_others(r, point, base) &&
	    !brc_report_baseline_note(base, line, sizeof(line))) {
		brc_buf_printf(b, "%s", any ? "" : "<ul class=\"verdicts\">");
		tag(b, "<li class=\"warn\">", line, "</li>");
		any = true;
	}
	if (any)
		brc_buf_printf(b, "</ul>\n");
	for (size_t i = 0; i < r->n_groups; i++)
		if (!strcmp(r->groups[i].point ? r->groups[i].point : "", point))
			brc_report_warnings(r, &r->groups[i], &warn);
	if (warn.len) {
		brc_buf_printf(b, "<ul class=\"warnings\">");
		for (char *p = warn.data, *nl; p && *p; p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			if (nl)
				*nl = '\0';
			tag(b, "<li class=\"warn\">warning: ", p, "</li>");
		}
		brc_buf_printf(b, "</ul>\n");
	}
	brc_buf_free(&warn);
}

/* The summary table of one sweep point: the terminal table's cells. */
void brc_html_summary(struct brc_buf *b, const struct brc_results *r,
                      const char *point)
{
	static const char *const health[] = { "ok", "warn", "bad" };
	char cells[BR_COL_N][BR_CELL];

	brc_buf_printf(b, "<table class=\"summary\"><thead><tr>");
	for (int c = 0; c < BR_COL_N; c++)
		tag(b, c == BR_COL_STATUS ? "<th class=\"s\">" : "<th>",
		    brc_col_titles[c], "</th>");
	brc_buf_printf(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < r->n_groups; i++) {
		const struct brc_group *g = &r->groups[i];

		if (strcmp(g->point ? g->point : "", point))
			continue;
		enum brc_health h = brc_report_cells(g, cells);

		brc_buf_printf(b, "<tr>");
		for (int c = 0; c < BR_COL_N; c++) {
			if (c == BR_COL_STATUS)
				brc_buf_printf(b, "<td class=\"s %s\">", health[h]);
			else
				brc_buf_printf(b, "<td>");
			esc(b, cells[c]);
			brc_buf_printf(b, "</td>");
		}
		brc_buf_printf(b, "</tr>\n");
	}
	brc_buf_printf(b, "</tbody></table>\n");
}

/* One value of a run: humanized, with the exact JSON value on hover. */
static void value(struct brc_buf *b, enum brc_metric_kind kind, double v)
{
	char human[64], exact[64];

	brc_fmt_metric(human, sizeof(human), kind, v);
	brc_fmt_exact(exact, sizeof(exact), v);
	brc_buf_printf(b, "<td title=\"%s\">", exact);
	esc(b, human);
	brc_buf_printf(b, "</td>");
}

static void runs(struct brc_buf *b, const struct brc_group *g)
{
	static const char *const titles[] = {
		"run", "status", "wall", "CPU", "req/s", "p50", "p90", "p99",
		"max", "ok", "retries", "largest RSS", "tree peak", "tree growth",
		"measured by", "reason"
	};

	brc_buf_printf(b, "<details><summary>");
	esc(b, g->label);
	if (g->point && *g->point)
		tag(b, " at ", g->point, "");
	tag(b, " <span class=\"note\">(plugin ", g->plugin, ")</span>");
	brc_buf_printf(b, "</summary>\n");
	if (g->n_params) {
		brc_buf_printf(b, "<p class=\"note\">parameters: ");
		for (size_t i = 0; i < g->n_params; i++) {
			brc_buf_printf(b, "%s", i ? ", " : "");
			esc(b, g->param_names[i]);
			tag(b, " = ", g->param_values[i], "");
		}
		brc_buf_printf(b, "</p>\n");
	}
	brc_buf_printf(b, "<table class=\"runs\"><thead><tr>");
	for (size_t c = 0; c < BR_ARRAY_SIZE(titles); c++)
		tag(b, c == 1 || c + 1 == BR_ARRAY_SIZE(titles) ? "<th class=\"s\">"
		                                               : "<th>",
		    titles[c], "</th>");
	brc_buf_printf(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < g->n_runs; i++) {
		const struct brc_run_result *x = &g->runs[i];
		bool good = x->status == BR_RUN_OK;

		brc_buf_printf(b, "<tr><td>%d</td><td class=\"s %s\">",
		              x->repetition + 1, good ? "ok" : "bad");
		esc(b, brc_run_status_name(x->status));
		brc_buf_printf(b, "</td>");
		value(b, BR_MK_TIME, x->wall);
		value(b, BR_MK_TIME, x->cpu_user + x->cpu_sys);
		value(b, BR_MK_RATE, x->req_per_s);
		value(b, BR_MK_TIME, x->latency.p50);
		value(b, BR_MK_TIME, x->latency.p90);
		value(b, BR_MK_TIME, x->latency.p99);
		value(b, BR_MK_TIME, x->latency.max);
		brc_buf_printf(b, "<td>%llu/%llu</td><td>%llu</td>",
		              (unsigned long long)x->ok,
		              (unsigned long long)x->requests,
		              (unsigned long long)x->retries);
		/* The best instrument's figures (docs/reading-results.md): the
		 * run's cgroup where the kernel had one, else sampled PSS. */
		value(b, BR_MK_SIZE, (double)(x->largest_rss > 0 ? x->largest_rss
		                                                 : x->peak_rss));
		value(b, BR_MK_SIZE, (double)(x->tree_peak > 0 ? x->tree_peak
		                                               : x->tree_peak_pss));
		value(b, BR_MK_SIZE, x->tree_peak > 0
		                             ? (double)(x->tree_peak - x->tree_baseline)
		                             : (double)(x->tree_peak_pss -
		                                        x->baseline_pss));
		brc_buf_printf(b, "<td class=\"s\">%s</td>",
		              x->mem_instrument == 1   ? "cgroup v1"
		              : x->mem_instrument == 2 ? "cgroup v2"
		                                       : "sampled PSS");
		tag(b, "<td class=\"s\">", x->reason, "</td></tr>\n");
	}
	brc_buf_printf(b, "</tbody></table>\n");
	for (size_t i = 0; i < g->n_runs; i++)
		if (g->runs[i].log && *g->runs[i].log) {
			brc_buf_printf(b, "<p class=\"note\">log of run %d:</p>",
			              g->runs[i].repetition + 1);
			tag(b, "<pre class=\"log\">", g->runs[i].log, "</pre>\n");
		}
	brc_buf_printf(b, "</details>\n");
}

static void machine(struct brc_buf *b, const struct brc_results *r)
{
	brc_buf_printf(b, "<h2 id=\"machine\">Machine and software</h2>\n"
	              "<table class=\"machine\"><tbody>");
	tag(b, "<tr><td>CPU</td><td class=\"s\">", r->host_cpu, "</td></tr>");
	brc_buf_printf(b, "<tr><td>cores</td><td class=\"s\">%d</td></tr>",
	              r->host_cores);
	tag(b, "<tr><td>kernel</td><td class=\"s\">", r->host_kernel,
	    "</td></tr>");
	tag(b, "<tr><td>benchrun</td><td class=\"s\">", r->benchrun_version,
	    "</td></tr>");
	tag(b, "<tr><td>libcurl</td><td class=\"s\">", r->libcurl_version,
	    "</td></tr>");
	tag(b, "<tr><td>compiler</td><td class=\"s\">", r->compiler,
	    "</td></tr>");
	tag(b, "<tr><td>scenario file</td><td class=\"s\">", r->scenario_path,
	    "</td></tr>");
	tag(b, "<tr><td>scenario hash</td><td class=\"s\">", r->scenario_hash,
	    "</td></tr>");
	brc_buf_printf(b, "</tbody></table>\n");
}

void brc_html_tail(struct brc_buf *b)
{
	brc_buf_printf(b, "<footer class=\"note\"><p>Written by benchrun %s."
	              "</p></footer>\n</body></html>\n", PACKAGE_VERSION);
}

void brc_report_html(struct brc_buf *b, const struct brc_results *r)
{
	size_t n_points;
	const char **points = brc_results_points(r, &n_points);

	brc_html_head(b, "results", r);
	brc_buf_printf(b, "<h2 id=\"verdicts\">Verdicts</h2>\n");
	tag(b, "<p class=\"note\">", brc_report_method, "</p>\n");
	for (size_t p = 0; p < n_points; p++) {
		if (*points[p])
			tag(b, "<h3>", points[p], "</h3>\n");
		verdicts(b, r, points[p]);
	}
	brc_buf_printf(b, "<h2 id=\"summary\">Summary</h2>\n");
	for (size_t p = 0; p < n_points; p++) {
		if (*points[p])
			tag(b, "<h3>", points[p], "</h3>\n");
		brc_html_summary(b, r, points[p]);
	}
	if (!r->n_groups)
		brc_buf_printf(b, "<p>No results.</p>\n");
	brc_buf_printf(b, "<p class=\"note\">Columns as in the terminal table; "
	              "docs/reading-results.md says what each covers.</p>\n");
	brc_buf_printf(b, "<h2 id=\"charts\">Charts</h2>\n");
	brc_html_charts(b, r, points, n_points);
	brc_buf_printf(b, "<h2 id=\"runs\">Runs</h2>\n<p class=\"note\">Every "
	              "run of every strategy; hover a value for the exact "
	              "figure in the results file.</p>\n");
	for (size_t i = 0; i < r->n_groups; i++)
		runs(b, &r->groups[i]);
	brc_buf_printf(b, "<h2 id=\"scenario\">Scenario</h2>\n");
	if (r->scenario_yaml)
		tag(b, "<pre class=\"yaml\">", r->scenario_yaml, "</pre>\n");
	else
		brc_buf_printf(b, "<p class=\"note\">The results file does not "
		              "hold the scenario's text.</p>\n");
	machine(b, r);
	brc_html_tail(b);
	free(points);
}

int brc_report_html_write(const char *path, const struct brc_results *r)
{
	struct brc_buf b = { 0 };
	int rc, saved;

	brc_report_html(&b, r);
	rc = brc_write_file_atomic(path, b.data, b.len);
	saved = errno;
	brc_buf_free(&b);
	errno = saved;
	return rc;
}

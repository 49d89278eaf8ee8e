/*
 * main.c - benchrun's command line: parse global options, pick the
 * subcommand, and hand over.  Each subcommand lives in its own cmd_*.c.
 */
#include "config.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "benchrun/plugin.h"
#include "cli/cli.h"
#include "run/worker.h"
#include "scenario/paths.h"
#include "util.h"

static const char usage_text[] =
"Usage: benchrun [OPTIONS] SCENARIO.yaml      run a scenario\n"
"       benchrun validate [OPTIONS] SCENARIO.yaml\n"
"       benchrun plugins [--plugin-path DIRS]\n"
"       benchrun serve [SCENARIO.yaml] [--host H] [--port P]\n"
"       benchrun export SCENARIO.yaml DIR\n"
"       benchrun compare OLD.json NEW.json [--threshold PCT] [--html FILE]\n"
"       benchrun plot RESULTS.json -o FILE.svg|FILE.png\n"
"       benchrun report RESULTS.json -o FILE.html\n"
"       benchrun merge A.json B.json ... -o ALL.json\n"
"       benchrun plan [--json] SCENARIO.yaml\n"
"       benchrun SCENARIO.yaml --cell IDS|env | --shard K/N\n"
"       benchrun check-plugin FILE.so|NAME [--set PARAM=VALUE]\n"
"\n"
"Benchmark concurrency strategies (plugins) on the same deterministic I/O\n"
"workload: fetch N days of bus tickets, validate every one, and report\n"
"wall/CPU time, throughput, latency and the memory of the process tree.\n"
"\n"
"Commands:\n"
"  (none)     run SCENARIO: every strategy x sweep point x repetition, each\n"
"             in its own worker process; print a table, write result files\n"
"  validate   check SCENARIO and that every plugin loads and accepts its\n"
"             parameters, without running anything\n"
"  plugins    list the plugins found, with their ABI and parameters\n"
"  serve      run the embedded ticket server in the foreground\n"
"  export     write the workload as static files for any web server\n"
"  compare    compare two result files; non-zero exit on a regression\n"
"             larger than --threshold\n"
"  plot       draw memory over time, time and memory bars, sweep curves\n"
"  report     one self-contained HTML page of a results file: verdicts,\n"
"             table, charts, every run, the scenario and the machine\n"
"  merge      join the results files of one scenario's cells (run on\n"
"             several machines) into one, as if one machine ran them\n"
"  plan       list the scenario's cells (one run of one strategy at one\n"
"             sweep point and repetition) with ids and estimated times\n"
"  check-plugin  the conformance cases against one plugin: PASS, FAIL or\n"
"             SKIP for each (--set gives the plugin a parameter)\n"
"\n"
"Options:\n"
"  -o, --output FILE      results JSON (run), the picture (plot) or the\n"
"                         page (report)\n"
"      --plugin-path DIRS colon-separated plugin directories, searched\n"
"                         before BENCHRUN_PLUGIN_PATH and the defaults\n"
"      --set PATH=VALUE   override a scenario value, e.g.\n"
"                         --set workload.days=20 --set sweep.concurrency=[1,10]\n"
"      --runs N           repetitions per strategy (overrides the scenario)\n"
"      --warmup N         unmeasured warm-up runs per strategy\n"
"      --host HOST        serve: address to bind (default 127.0.0.1)\n"
"      --port PORT        serve: port (default: the scenario's, else 8080)\n"
"      --public           serve, run: let the server bind an address beyond\n"
"                         loopback (anyone there can POST /_benchrun/reset)\n"
"      --threshold PCT    compare: regression threshold in percent\n"
"      --allow-few-runs   compare: pass a --threshold gate even with fewer\n"
"                         than 3 runs on a side (default: exit 2)\n"
"      --allow-different-workloads\n"
"                         compare: results of different requests, seed or\n"
"                         server model (default: refused, exit 2)\n"
"      --strict           run: a noisy machine (load, busy CPUs, powersave\n"
"                         governor...) is an error, not a warning\n"
"      --cell IDS         run: only these cells (3,5-9; env: the job\n"
"                         array's index, SLURM_ARRAY_TASK_ID or\n"
"                         JOB_COMPLETION_INDEX); see benchrun plan\n"
"      --shard K/N        run: every N-th cell from cell K (0 <= K < N)\n"
"      --resume           run: continue an interrupted run from its journal\n"
"                         (OUT.json.partial): only the runs it lacks\n"
"      --json             plan: the cells as JSON\n"
"      --html FILE        compare: also a self-contained HTML page\n"
"      --no-color         no colours (also when NO_COLOR is set)\n"
"      --progress=WHEN    auto (default): a live line on a terminal, else a\n"
"                         status line every 15 s; always (even with -q);\n"
"                         never\n"
"  -q, --quiet            only errors and the final table\n"
"  -v, --verbose          more detail (twice: debug)\n"
"  -h, --help             this help\n"
"  -V, --version          versions of benchrun and its libraries\n"
"\n"
"Environment: BENCHRUN_PLUGIN_PATH (plugin directories), NO_COLOR.\n"
"Exit status: 0 all good; 1 a run, validation or comparison failed;\n"
"2 usage error or invalid scenario; 130 interrupted.\n"
"See benchrun(1), benchrun-scenario(5) and README.md.\n";

/* The worker takes no options: its run spec comes on stdin. */
static int cmd_worker(const struct brc_options *o)
{
	(void)o;
	return brc_worker_main();
}

static const struct command {
	const char *name;
	int (*fn)(const struct brc_options *o);
	int min_args, max_args;
} commands[] = {
	{ "validate", brc_cmd_validate, 1, 1 },
	{ "plugins", brc_cmd_plugins, 0, 0 },
	{ "serve", brc_cmd_serve, 0, 1 },
	{ "export", brc_cmd_export, 2, 2 },
	{ "compare", brc_cmd_compare, 2, 2 },
	{ "plot", brc_cmd_plot, 1, 1 },
	{ "report", brc_cmd_report, 1, 1 },
	{ "merge", brc_cmd_merge, 1, 100000 },
	{ "plan", brc_cmd_plan, 1, 1 },
	{ "check-plugin", brc_cmd_check_plugin, 1, 1 },
	{ "__worker", cmd_worker, 0, 0 },
};

static void print_version(void)
{
	curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);

	printf("benchrun %s (plugin ABI %d.%d)\n", PACKAGE_VERSION, BR_ABI_MAJOR,
	       BR_ABI_MINOR);
	printf("libcurl %s, libyaml %s\n", cv->version, yaml_get_version_string());
	printf("plugin directory %s\n", BR_PLUGINDIR);
	printf("data directory %s ($datadir/ in a scenario)\n", brc_datadir());
}

BR_PRINTF(1, 2) static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "benchrun: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'benchrun --help'.\n");
	return BR_EXIT_USAGE;
}

static int parse_count(const char *s, int *out)
{
	int64_t v;
	const char *why;

	if (brc_parse_int(s, &v, &why) || v < 0 || v > 1000000)
		return -1;
	*out = (int)v;
	return 0;
}

enum { OPT_PLUGIN_PATH = 256, OPT_SET, OPT_RUNS, OPT_WARMUP, OPT_HOST,
       OPT_PORT, OPT_THRESHOLD, OPT_NO_COLOR, OPT_ALLOW_FEW,
       OPT_ALLOW_DIFFERENT, OPT_STRICT, OPT_CELL, OPT_SHARD, OPT_JSON,
       OPT_PUBLIC, OPT_PROGRESS, OPT_HTML, OPT_RESUME };

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "plugin-path", required_argument, NULL, OPT_PLUGIN_PATH },
	{ "set", required_argument, NULL, OPT_SET },
	{ "runs", required_argument, NULL, OPT_RUNS },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "public", no_argument, NULL, OPT_PUBLIC },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "allow-few-runs", no_argument, NULL, OPT_ALLOW_FEW },
	{ "allow-different-workloads", no_argument, NULL, OPT_ALLOW_DIFFERENT },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "cell", required_argument, NULL, OPT_CELL },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "progress", required_argument, NULL, OPT_PROGRESS },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "resume", no_argument, NULL, OPT_RESUME },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* A first argument that is no file and close to a command name is a
 * misspelt command ("valdate"); a scenario file always exists or has a
 * .yaml/.yml name.  Says so, with the command meant. */
static bool looks_like_command(const char *arg)
{
	const char *names[BR_ARRAY_SIZE(commands)];
	const char *best, *dot = strrchr(arg, '.');
	size_t n = 0;

	if (strchr(arg, '/') || access(arg, F_OK) == 0 ||
	    (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml"))))
		return false;
	for (size_t i = 0; i < BR_ARRAY_SIZE(commands); i++)
		if (commands[i].name[0] != '_')
			names[n++] = commands[i].name;
	best = brc_suggest(arg, names, n);
	if (!best)
		return false;
	usage_error("'%s' is not a command or a scenario file (did you mean "
	            "'%s'?)", arg, best);
	return true;
}

/* Parse one option; returns 0, or an exit code to stop with (+1000 for a
 * successful early exit). */
static int handle_option(int c, struct brc_options *o)
{
	const char *why;
	int64_t v;
	char *eq;

	switch (c) {
	case 'o':
		o->output = optarg;
		return 0;
	case OPT_PLUGIN_PATH:
		o->plugin_path = optarg;
		return 0;
	case OPT_SET:
		eq = strchr(optarg, '=');
		if (!eq || eq == optarg)
			return usage_error("--set wants PATH=VALUE, not '%s'", optarg);
		*eq = '\0';
		o->overrides = brc_xrealloc(o->overrides, (o->n_overrides + 1) *
		                           sizeof(*o->overrides));
		o->overrides[o->n_overrides].path = optarg;
		o->overrides[o->n_overrides].value = eq + 1;
		o->n_overrides++;
		return 0;
	case OPT_RUNS:
		if (parse_count(optarg, &o->runs) || o->runs < 1)
			return usage_error("--runs wants a number >= 1, not '%s'", optarg);
		return 0;
	case OPT_WARMUP:
		if (parse_count(optarg, &o->warmup))
			return usage_error("--warmup wants a number >= 0, not '%s'", optarg);
		return 0;
	case OPT_HOST:
		o->host = optarg;
		return 0;
	case OPT_PUBLIC:
		o->public_bind = true;
		return 0;
	case OPT_PORT:
		if (brc_parse_int(optarg, &v, &why) || v < 0 || v > 65535)
			return usage_error("--port wants 0..65535, not '%s'", optarg);
		o->port = (int)v;
		return 0;
	case OPT_THRESHOLD:
		if (brc_parse_double(optarg, &o->threshold, &why) ||
		    o->threshold < 0)
			return usage_error("--threshold wants a percentage, not '%s'",
			                   optarg);
		o->threshold /= 100.0;
		return 0;
	case OPT_NO_COLOR:
		o->no_color = true;
		return 0;
	case OPT_ALLOW_FEW:
		o->allow_few_runs = true;
		return 0;
	case OPT_ALLOW_DIFFERENT:
		o->allow_different = true;
		return 0;
	case OPT_STRICT:
		o->strict = true;
		return 0;
	case OPT_RESUME:
		o->resume = true;
		return 0;
	case OPT_CELL:
		o->cells = optarg;
		return 0;
	case OPT_SHARD:
		o->shard = optarg;
		return 0;
	case OPT_JSON:
		o->json = true;
		return 0;
	case OPT_PROGRESS:
		if (!strcmp(optarg, "auto"))
			o->progress = BRC_PROGRESS_AUTO;
		else if (!strcmp(optarg, "always"))
			o->progress = BRC_PROGRESS_ALWAYS;
		else if (!strcmp(optarg, "never"))
			o->progress = BRC_PROGRESS_NEVER;
		else
			return usage_error("--progress wants auto, always or "
			                   "never, not '%s'", optarg);
		return 0;
	case OPT_HTML:
		o->html = optarg;
		return 0;
	case 'q':
		brc_verbosity = -1;
		return 0;
	case 'v':
		if (brc_verbosity >= 0)
			brc_verbosity++;
		return 0;
	case 'h':
		fputs(usage_text, stdout);
		return 1000 + BR_EXIT_OK;
	case 'V':
		print_version();
		return 1000 + BR_EXIT_OK;
	default:
		fprintf(stderr, "Try 'benchrun --help'.\n");
		return BR_EXIT_USAGE;
	}
}

/*
 * Started with stdin, stdout or stderr closed (`benchrun c.yaml <&-`), the
 * next file or pipe opened would take its number, and the worker's stdin
 * or a report could end up on a terminal or nowhere.  Put /dev/null on
 * each closed one first, as curl's tool does.
 */
static void open_std_fds(void)
{
	int fd;

	do
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	while (fd >= 0 && fd <= STDERR_FILENO && fcntl(fd, F_SETFD, 0) == 0);
	if (fd > STDERR_FILENO)
		close(fd);
}

int main(int argc, char **argv)
{
	struct brc_options o = { .runs = -1, .warmup = -1, .port = -1 };
	const struct command *cmd = NULL;
	int c, rc;

	open_std_fds();
	const char *nc = getenv("NO_COLOR");
	o.no_color = nc && *nc;
	while ((c = getopt_long(argc, argv, "o:qvhV", long_opts, NULL)) != -1) {
		rc = handle_option(c, &o);
		if (rc) {
			free(o.overrides);
			return rc >= 1000 ? rc - 1000 : rc;
		}
	}
	o.args = argv + optind;
	o.n_args = argc - optind;
	if (o.n_args == 0) {
		fputs(usage_text, stderr);
		return BR_EXIT_USAGE;
	}
	for (size_t i = 0; i < BR_ARRAY_SIZE(commands); i++)
		if (!strcmp(o.args[0], commands[i].name))
			cmd = &commands[i];
	if (cmd) {
		o.args++;
		o.n_args--;
		if (o.n_args < cmd->min_args || o.n_args > cmd->max_args) {
			free(o.overrides);
			return usage_error("wrong number of arguments for '%s'",
			                   cmd->name);
		}
		rc = cmd->fn(&o);
	} else if (looks_like_command(o.args[0])) {
		rc = BR_EXIT_USAGE;
	} else if (o.n_args == 1) {
		rc = brc_cmd_run(&o);
	} else {
		rc = usage_error("unexpected argument '%s'", o.args[1]);
	}
	free(o.overrides);
	return rc;
}

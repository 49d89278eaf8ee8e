# core/local.mk - the benchrun binary and the core library the tests share.

noinst_LTLIBRARIES += core/libbrcore.la
core_libbrcore_la_SOURCES = \
	core/util.c core/util_parse.c core/util_file.c core/util.h core/summary_text.c \
	core/tickets.c core/ticket_gen.c core/ticket_gen.h core/ticket_render.c core/model.c \
	core/export.c core/export.h core/cmd_export.c \
	core/model.h core/report.h \
	core/histogram.c core/histogram.h core/runctx.c core/runctx.h core/worker.c core/sampler.c core/sampler.h core/runner.c core/runner.h core/run_spawn.c core/cmd_run.c \
	core/server.c core/server_int.h core/server_route.c core/server_delay.c core/server_body.c core/server_spawn.c core/cmd_serve.c \
	core/yamltree.c core/yamltree_parse.c core/yamltree.h core/scenario.c core/scenario_priv.h core/scenario_get.c core/scenario_server.c core/scenario_strategy.c core/scenario_override.c core/cli_scenario.c \
	core/loader.c core/loader_path.c core/params.c core/plan.c core/plan.h \
	core/cmd_plugins.c core/cmd_validate.c \
	core/stats.c core/stats.h core/results.c core/report_util.h \
	core/results_fields.c core/results_host.c core/results_read.c core/report_json.c \
	core/report_text.c core/report_table.c core/report_csv.c core/report_md.c \
	core/report_plot.c core/report_plot.h core/report_plot_panels.c \
	core/cmd_compare.c core/cmd_plot.c \
	core/cli.h core/scenario.h core/results.h core/loader.h \
	core/tickets.h core/server.h
core_libbrcore_la_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(YAML_CFLAGS) \
	$(CJSON_CFLAGS) $(MHD_CFLAGS)
core_libbrcore_la_LIBADD = $(CURL_LIBS) $(YAML_LIBS) $(CJSON_LIBS) $(MHD_LIBS)

bin_PROGRAMS += benchrun
benchrun_SOURCES = core/main.c
benchrun_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(YAML_CFLAGS)
benchrun_LDADD = core/libbrcore.la

# The one public header, installed as <benchrun/plugin.h>.
benchrunincludedir = $(includedir)/benchrun
benchruninclude_HEADERS = core/benchrun/plugin.h

# core/cli/local.mk - the command line: options, subcommands, and the glue from a scenario file to a run.

core_libbrcore_la_SOURCES += \
	%reldir%/check.h \
	%reldir%/check_cases.c \
	%reldir%/cli.h \
	%reldir%/cells.c \
	%reldir%/cli_journal.c \
	%reldir%/cli_outputs.c \
	%reldir%/cli_progress.c \
	%reldir%/cli_scenario.c \
	%reldir%/cmd_check_plugin.c \
	%reldir%/cmd_compare.c \
	%reldir%/compare_scenario.c \
	%reldir%/cmd_export.c \
	%reldir%/cmd_merge.c \
	%reldir%/cmd_plan.c \
	%reldir%/cmd_plot.c \
	%reldir%/cmd_plugins.c \
	%reldir%/cmd_report.c \
	%reldir%/cmd_run.c \
	%reldir%/cmd_serve.c \
	%reldir%/cmd_validate.c \
	%reldir%/run_loop.c \
	%reldir%/search.c

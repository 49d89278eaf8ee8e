# core/scenario/local.mk - the scenario: YAML read into a tree (yamltree*), checked and typed (scenario*), --set overrides, URL templates, and plugin parameters.

core_libbrcore_la_SOURCES += \
	%reldir%/params.c \
	%reldir%/params.h \
	%reldir%/paths.c \
	%reldir%/paths.h \
	%reldir%/scenario.c \
	%reldir%/scenario_arrival.c \
	%reldir%/scenario.h \
	%reldir%/scenario_get.c \
	%reldir%/scenario_override.c \
	%reldir%/scenario_priv.h \
	%reldir%/scenario_runs.c \
	%reldir%/scenario_server.c \
	%reldir%/scenario_strategy.c \
	%reldir%/scenario_workload.c \
	%reldir%/url_template.c \
	%reldir%/yamltree.c \
	%reldir%/yamltree.h \
	%reldir%/yamltree_map.c \
	%reldir%/yamltree_parse.c \
	%reldir%/yamltree_priv.h

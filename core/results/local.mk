# core/results/local.mk - the results model: runs and groups, the metric and field tables, the JSON file written and read back, statistics and latency histograms.

core_libbrcore_la_SOURCES += \
	%reldir%/histogram.c \
	%reldir%/histogram.h \
	%reldir%/hist_json.c \
	%reldir%/journal.h \
	%reldir%/journal_read.c \
	%reldir%/journal_write.c \
	%reldir%/merge.h \
	%reldir%/metrics.h \
	%reldir%/open_verdict.c \
	%reldir%/results.c \
	%reldir%/results_capacity.c \
	%reldir%/results_doc.cc \
	%reldir%/results_doc.h \
	%reldir%/results.h \
	%reldir%/results_host.c \
	%reldir%/results_json.c \
	%reldir%/results_json_ext.c \
	%reldir%/results_json_ext.h \
	%reldir%/results_machine.c \
	%reldir%/results_merge.c \
	%reldir%/results_read.c \
	%reldir%/results_read.h \
	%reldir%/results_read_file.c \
	%reldir%/run_fields.c \
	%reldir%/stats.c \
	%reldir%/stats_compare.c \
	%reldir%/stats.h \
	%reldir%/timeline.c \
	%reldir%/timeline.h

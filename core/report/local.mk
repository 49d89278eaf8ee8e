# core/report/local.mk - the reports people read: the terminal table, CSV, Markdown and the gnuplot picture.

core_libbrcore_la_SOURCES += \
	%reldir%/report.h \
	%reldir%/report_csv.c \
	%reldir%/report_fmt.c \
	%reldir%/report_html.c \
	%reldir%/report_html.h \
	%reldir%/report_html_compare.c \
	%reldir%/report_html_charts.c \
	%reldir%/report_svg.c \
	%reldir%/report_svg.h \
	%reldir%/report_md.c \
	%reldir%/report_open.c \
	%reldir%/report_plot.c \
	%reldir%/report_plot.h \
	%reldir%/report_plot_open.c \
	%reldir%/report_plot_panels.c \
	%reldir%/report_table.c \
	%reldir%/report_text.c \
	%reldir%/report_verdict.c \
	%reldir%/report_util.h

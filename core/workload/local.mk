# core/workload/local.mk - the workload: what request i asks for, the tickets the generator makes and renders, and what the core does with every body received.

core_libbrcore_la_SOURCES += \
	%reldir%/body_scan.c \
	%reldir%/body_scan.h \
	%reldir%/arrival.c \
	%reldir%/arrival.h \
	%reldir%/summary_text.c \
	%reldir%/ticket_gen.c \
	%reldir%/ticket_gen.h \
	%reldir%/ticket_render.c \
	%reldir%/tickets.c \
	%reldir%/ticket_json.cc \
	%reldir%/ticket_json.h \
	%reldir%/tickets.h

# core/server/local.mk - the embedded ticket server (libmicrohttpd), its latency and fault model, and `export` of the same tickets as files.

core_libbrcore_la_SOURCES += \
	%reldir%/export.c \
	%reldir%/export.h \
	%reldir%/model.c \
	%reldir%/model.h \
	%reldir%/server.c \
	%reldir%/server.h \
	%reldir%/server_body.c \
	%reldir%/server_delay.c \
	%reldir%/server_h2.c \
	%reldir%/server_h2.h \
	%reldir%/server_h2_int.h \
	%reldir%/server_h2_loop.c \
	%reldir%/server_guard.c \
	%reldir%/server_int.h \
	%reldir%/server_route.c \
	%reldir%/server_spawn.c

# core/run/local.mk - running a scenario: the plan of runs, the plugin loader, the worker process that measures one run, its run context and sampler, and the runner that spawns workers.

core_libbrcore_la_SOURCES += \
	%reldir%/loader.c \
	%reldir%/loader.h \
	%reldir%/loader_path.c \
	%reldir%/loader_probe.c \
	%reldir%/plan.c \
	%reldir%/plan.h \
	%reldir%/plan_order.c \
	%reldir%/plan_program.c \
	%reldir%/run_group.c \
	%reldir%/run_group.h \
	%reldir%/run_spawn.c \
	%reldir%/run_spec.c \
	%reldir%/run_spec.h \
	%reldir%/runctx.c \
	%reldir%/runctx.h \
	%reldir%/runctx_finish.c \
	%reldir%/runctx_life.c \
	%reldir%/runctx_priv.h \
	%reldir%/runner.c \
	%reldir%/runner.h \
	%reldir%/sampler.c \
	%reldir%/sampler.h \
	%reldir%/worker.c \
	%reldir%/worker.h \
	%reldir%/worker_guard.c \
	%reldir%/worker_guard.h \
	%reldir%/worker_pipe.c \
	%reldir%/worker_pipe.h
# The exact memory instrument and the run's sampler (issue 12).
core_libbrcore_la_SOURCES += \
	%reldir%/cgroup.c \
	%reldir%/cgroup.h \
	%reldir%/cgroup_read.c \
	%reldir%/sampler_estimate.c \
	%reldir%/sampler_tree.c \
	%reldir%/sampler_tree.h

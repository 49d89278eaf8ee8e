# docs/local.mk - man pages and guides.
dist_man_MANS += docs/benchrun-scenario.5
dist_man_MANS += docs/benchrun.1

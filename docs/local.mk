# docs/local.mk - man pages and guides.
dist_man_MANS += docs/benchrun-scenario.5
# The guides go to share/benchrun/docs, beside configs/ and examples/, so
# their relative links (../examples/hello-plugin/hello.c) work installed.
benchrundocsdir = $(pkgdatadir)/docs
dist_benchrundocs_DATA = docs/scenario.md docs/writing-a-plugin.md docs/exec-protocol.md \
	docs/security.md docs/reading-results.md
dist_man_MANS += docs/benchrun.1
dist_benchrundocs_DATA += docs/distributed.md
# The README's figures and the results they show.
EXTRA_DIST += docs/results
dist_benchrundocs_DATA += docs/open-model.md

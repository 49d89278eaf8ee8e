# docs/local.mk - man pages and guides.
dist_man_MANS += docs/benchrun-scenario.5
dist_doc_DATA += docs/scenario.md docs/writing-a-plugin.md docs/exec-protocol.md \
	docs/security.md docs/reading-results.md
dist_man_MANS += docs/benchrun.1

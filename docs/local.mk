# docs/local.mk - man pages and guides.

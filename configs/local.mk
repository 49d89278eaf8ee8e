# configs/local.mk - the scenario library, installed as examples.
configsdir = $(pkgdatadir)/configs
dist_configs_DATA =

# configs/local.mk - the scenario library, installed as examples.
configsdir = $(pkgdatadir)/configs
dist_configs_DATA = configs/default.yaml configs/seed.yaml \
	configs/scaling.yaml configs/throttled-site.yaml configs/cpu-mix.yaml \
	configs/flaky-site.yaml configs/open-load.yaml
# In the tarball, not installed: their Go and Node programs are not
# installed (examples/local.mk); README runs them from the source tree.
EXTRA_DIST += configs/languages.yaml configs/languages-scale.yaml

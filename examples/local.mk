# examples/local.mk - the example programs, installed next to the scenario
# library so that share/benchrun mirrors the source tree: configs/seed.yaml
# names ../examples/python/..., docs/writing-a-plugin.md links
# ../examples/hello-plugin/hello.c, and both work from either copy.
examplespydir = $(pkgdatadir)/examples/python
dist_examplespy_DATA = examples/python/sync_requests.py \
	examples/python/threadpool_requests.py examples/python/gevent_requests.py \
	examples/python/asyncio_aiohttp.py examples/python/asyncio_uvloop.py \
	examples/python/ticketlib.py
exampleshellodir = $(pkgdatadir)/examples/hello-plugin
dist_exampleshello_DATA = examples/hello-plugin/hello.c \
	examples/hello-plugin/Makefile

# plugins/local.mk - the strategy plugins, installed into $(plugindir).
# Each is one file that includes only <benchrun/plugin.h> and its own
# libraries; only the descriptor symbol is exported.

/*
 * cmd_pending.c - TEMPORARY during bring-up: subcommands whose files have
 * not landed yet.  Each owner deletes its function from here when adding
 * cmd_<name>.c; this file must be gone before the foundation lands.
 */
#include "config.h"

#include "cli.h"
#include "util.h"

#define PENDING(fn, name)                                      \
	int fn(const struct br_options *o)                         \
	{                                                          \
		(void)o;                                               \
		br_error("'%s' is not implemented yet", name);         \
		return BR_EXIT_FAIL;                                   \
	}


# The model layer: pure data and state machines over the aws layer; no curses.
noinst_LIBRARIES += libttmodel.a
libttmodel_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS)
libttmodel_a_SOURCES = \
	%reldir%/access_log.c \
	%reldir%/appcfg.c \
	%reldir%/appcfg_edit.c \
	%reldir%/apps.c \
	%reldir%/audit.c \
	%reldir%/catalog.c \
	%reldir%/invoke.c \
	%reldir%/items.c \
	%reldir%/items_query.c \
	%reldir%/logbuf.c \
	%reldir%/payloads.c \
	%reldir%/policy.c \
	%reldir%/replay.c \
	%reldir%/replay_batch.c \
	%reldir%/replay_memo.c \
	%reldir%/sched.c \
	%reldir%/snapshot.c \
	%reldir%/stack.c \
	%reldir%/state.c \
	%reldir%/tail.c \
	%reldir%/tail_buf.c \
	%reldir%/tail_internal.h \
	%reldir%/tail_live.c \
	include/tiertop/access_log.h \
	include/tiertop/appcfg.h \
	include/tiertop/apps.h \
	include/tiertop/audit.h \
	include/tiertop/catalog.h \
	include/tiertop/invoke.h \
	include/tiertop/items.h \
	include/tiertop/items_query.h \
	include/tiertop/logbuf.h \
	include/tiertop/payloads.h \
	include/tiertop/policy.h \
	include/tiertop/replay.h \
	include/tiertop/replay_batch.h \
	include/tiertop/sched.h \
	include/tiertop/snapshot.h \
	include/tiertop/stack.h \
	include/tiertop/state.h \
	include/tiertop/tail.h

TT_MODEL_LIBS = libttmodel.a $(TT_AWS_LIBS)

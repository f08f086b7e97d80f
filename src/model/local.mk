# The model layer: pure data and state machines over the aws layer; no curses.
noinst_LIBRARIES += libttmodel.a
libttmodel_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS)
libttmodel_a_SOURCES = \
	%reldir%/appcfg.c \
	%reldir%/catalog.c \
	%reldir%/stack.c \
	%reldir%/tail.c \
	%reldir%/tail_buf.c \
	%reldir%/tail_internal.h \
	%reldir%/tail_live.c \
	include/tiertop/appcfg.h \
	include/tiertop/catalog.h \
	include/tiertop/stack.h \
	include/tiertop/tail.h

TT_MODEL_LIBS = libttmodel.a $(TT_AWS_LIBS)

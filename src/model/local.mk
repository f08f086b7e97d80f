# The model layer: pure data and state machines over the aws layer; no curses.
noinst_LIBRARIES += libttmodel.a
libttmodel_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS)
libttmodel_a_SOURCES = \
	%reldir%/catalog.c \
	include/tiertop/catalog.h

TT_MODEL_LIBS = libttmodel.a $(TT_AWS_LIBS)

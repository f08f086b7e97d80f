bin_PROGRAMS += tiertop
tiertop_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS)
tiertop_SOURCES = \
	%reldir%/app.c \
	%reldir%/app.h \
	%reldir%/cmd_metrics.c \
	%reldir%/cmd_whoami.c \
	%reldir%/main.c
tiertop_LDADD = $(TT_MODEL_LIBS)

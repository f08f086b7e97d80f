bin_PROGRAMS += tiertop
tiertop_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS)
tiertop_SOURCES = \
	%reldir%/app.c \
	%reldir%/app.h \
	%reldir%/cmd_apis.c \
	%reldir%/cmd_audit.c \
	%reldir%/console.c \
	%reldir%/console_mfa.c \
	%reldir%/console_mfa.h \
	%reldir%/cmd_functions.c \
	%reldir%/cmd_invoke.c \
	%reldir%/cmd_items.c \
	%reldir%/cmd_logs.c \
	%reldir%/cmd_metrics.c \
	%reldir%/cmd_replay.c \
	%reldir%/cmd_replay_batch.c \
	%reldir%/replay_cli.h \
	%reldir%/cmd_status.c \
	%reldir%/cmd_tables.c \
	%reldir%/cmd_whoami.c \
	%reldir%/invoke_front.h \
	%reldir%/invoke_qualifiers.c \
	%reldir%/items_keys.c \
	%reldir%/items_keys.h \
	%reldir%/main.c \
	%reldir%/opts.c \
	%reldir%/opts.h \
	%reldir%/opts_range.c \
	%reldir%/select.c \
	%reldir%/select.h
tiertop_LDADD = libttterm.a $(TT_UI_LIBS) $(NCURSES_LIBS)

# The ui layer: the canvas, keys, keymaps, widgets and views. No curses: the
# unit tests link it without a terminal.
noinst_LIBRARIES += libttui.a
libttui_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS)
libttui_a_SOURCES = \
	%reldir%/canvas.c \
	%reldir%/draw.c \
	%reldir%/complete.c \
	%reldir%/keys.c \
	%reldir%/keymap.c \
	%reldir%/view_api.c \
	%reldir%/view_apps.c \
	%reldir%/view_audit.c \
	%reldir%/view_function.c \
	%reldir%/view_invoke.c \
	%reldir%/qual_pick.c \
	%reldir%/view_items.c \
	%reldir%/view_logs.c \
	%reldir%/view_replay.c \
	%reldir%/view_table.c \
	%reldir%/view_tiers.c \
	%reldir%/w_dialog.c \
	%reldir%/w_editor.c \
	%reldir%/w_status.c \
	%reldir%/w_table.c \
	include/tiertop/canvas.h \
	include/tiertop/dialog.h \
	include/tiertop/editor.h \
	include/tiertop/complete.h \
	include/tiertop/help.h \
	include/tiertop/keys.h \
	include/tiertop/qual_pick.h \
	include/tiertop/view.h \
	include/tiertop/view_logs.h \
	include/tiertop/views.h \
	include/tiertop/widgets.h

TT_UI_LIBS = libttui.a $(TT_MODEL_LIBS)

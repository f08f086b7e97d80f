# The terminal layer: the only code compiled against curses. osc52.c holds
# no curses call, so tests link it from this archive without curses.
noinst_LIBRARIES += libttterm.a
libttterm_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(CRYPTO_CFLAGS)
libttterm_a_SOURCES = \
	%reldir%/osc52.c \
	%reldir%/term.c \
	include/tiertop/term.h

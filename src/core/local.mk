noinst_LIBRARIES += libttcore.a
libttcore_a_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
libttcore_a_SOURCES = \
	%reldir%/buf.c \
	%reldir%/clock.c \
	%reldir%/err.c \
	%reldir%/fanout.c \
	%reldir%/json_text.c \
	%reldir%/log.c \
	%reldir%/sanitize.c \
	%reldir%/spark.c \
	%reldir%/str.c \
	%reldir%/strindex.c \
	%reldir%/utf8.c \
	%reldir%/xalloc.c \
	include/tiertop/buf.h \
	include/tiertop/clock.h \
	include/tiertop/err.h \
	include/tiertop/fanout.h \
	include/tiertop/json_text.h \
	include/tiertop/log.h \
	include/tiertop/sanitize.h \
	include/tiertop/spark.h \
	include/tiertop/str.h \
	include/tiertop/strindex.h \
	include/tiertop/utf8.h \
	include/tiertop/xalloc.h

TT_CORE_LIBS = libttcore.a $(CRYPTO_LIBS) -lm

noinst_LIBRARIES += libttaws.a
libttaws_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS) $(CRYPTO_CFLAGS) $(EXPAT_CFLAGS) $(ZLIB_CFLAGS)
libttaws_a_SOURCES = \
	%reldir%/sigv4.c \
	include/tiertop/sigv4.h

TT_AWS_LIBS = libttaws.a $(TT_CORE_LIBS) $(CURL_LIBS) $(JANSSON_LIBS) $(EXPAT_LIBS) $(ZLIB_LIBS)

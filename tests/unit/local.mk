# Unit tests link only the libraries below the terminal layer (no curses).
noinst_LIBRARIES += libtttest.a
libtttest_a_SOURCES = %reldir%/testutil.c %reldir%/testutil.h %reldir%/tap.h

TT_UNIT_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(CURL_CFLAGS)
TT_UNIT_LIBS = libtttest.a $(TT_AWS_LIBS)

check_PROGRAMS += test_sigv4_suite
test_sigv4_suite_SOURCES = %reldir%/test_sigv4_suite.c
test_sigv4_suite_CFLAGS = $(TT_UNIT_CFLAGS)
test_sigv4_suite_LDADD = $(TT_UNIT_LIBS)

TESTS += test_sigv4_suite

check_PROGRAMS += test_sigv4_botocore
test_sigv4_botocore_SOURCES = %reldir%/test_sigv4_botocore.c
test_sigv4_botocore_CFLAGS = $(TT_UNIT_CFLAGS)
test_sigv4_botocore_LDADD = $(TT_UNIT_LIBS)
EXTRA_DIST += tests/sigv4/gen_botocore_cases.py

TESTS += test_sigv4_botocore

check_PROGRAMS += test_profile
test_profile_SOURCES = %reldir%/test_profile.c
test_profile_CFLAGS = $(TT_UNIT_CFLAGS)
test_profile_LDADD = $(TT_UNIT_LIBS)

TESTS += test_profile

check_PROGRAMS += test_endpoint
test_endpoint_SOURCES = %reldir%/test_endpoint.c
test_endpoint_CFLAGS = $(TT_UNIT_CFLAGS)
test_endpoint_LDADD = $(TT_UNIT_LIBS)

TESTS += test_endpoint

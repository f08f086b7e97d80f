# libFuzzer targets for every parser of remote or user input. Built by
# build.sh with clang, outside the autotools build (which never needs
# clang); run.sh is one TAP test that builds them into tests/fuzz/bin and runs
# each briefly over its seed corpus (corpus/TARGET/). Long runs:
# bench/fuzz.sh. build.sh builds every fuzz_*.c: list a new one here too.
FUZZ_TARGETS = \
	%reldir%/fuzz_apigw.c \
	%reldir%/fuzz_appcfg.c \
	%reldir%/fuzz_clock.c \
	%reldir%/fuzz_creds_json.c \
	%reldir%/fuzz_cloudwatch.c \
	%reldir%/fuzz_ddb_value.c \
	%reldir%/fuzz_dynamodb.c \
	%reldir%/fuzz_eventstream.c \
	%reldir%/fuzz_items_query.c \
	%reldir%/fuzz_json_text.c \
	%reldir%/fuzz_lambda.c \
	%reldir%/fuzz_live_tail.c \
	%reldir%/fuzz_log_lines.c \
	%reldir%/fuzz_logs.c \
	%reldir%/fuzz_profile.c \
	%reldir%/fuzz_proto_error.c \
	%reldir%/fuzz_sanitize.c \
	%reldir%/fuzz_shlex.c \
	%reldir%/fuzz_template.c \
	%reldir%/fuzz_xml.c
# A variable, so that a second pass can leave it out: the targets are built
# with their own sanitizers whatever the build's flags are.
FUZZ_TESTS = %reldir%/run.sh
TESTS += $(FUZZ_TESTS)
EXTRA_DIST += %reldir%/run.sh %reldir%/build.sh %reldir%/fuzz.h $(FUZZ_TARGETS) %reldir%/corpus

clean-local: clean-local-fuzz
clean-local-fuzz:
	rm -rf tests/fuzz/bin
.PHONY: clean-local-fuzz

# The simulator's own tests (Python unittest, reported as TAP).
SIM_TESTS = %reldir%/test_sigcheck.py %reldir%/test_sim.py %reldir%/test_lambda.py \
	%reldir%/test_dynamodb.py %reldir%/test_logs.py %reldir%/test_cloudwatch.py \
	%reldir%/test_discovery.py
TESTS += $(SIM_TESTS)
EXTRA_DIST += $(SIM_TESTS) %reldir%/tiertop_sim.py %reldir%/simharness.py %reldir%/simcore \
	%reldir%/README.md tests/tap_unittest.py tests/py-tap.sh

# End-to-end: the real binary against the simulator (and tmux as a terminal).
E2E_TESTS = \
	%reldir%/whoami_sources.sh \
	%reldir%/config_errors.sh \
	%reldir%/functions_apis.sh \
	%reldir%/http_behaviour.sh \
	%reldir%/deadline.sh \
	%reldir%/invoke.sh \
	%reldir%/invoke_qualifiers.sh \
	%reldir%/items.sh \
	%reldir%/replay.sh \
	%reldir%/replay_batch.sh \
	%reldir%/audit.sh \
	%reldir%/metrics.sh \
	%reldir%/status.sh \
	%reldir%/app_config.sh \
	%reldir%/logs.sh \
	%reldir%/mfa_prompt.sh \
	%reldir%/console_mfa.sh \
	%reldir%/creds_refused.sh \
	%reldir%/output_safety.sh \
	%reldir%/console.sh \
	%reldir%/console_invoke.sh \
	%reldir%/console_replay.sh \
	%reldir%/console_items.sh \
	%reldir%/console_access.sh \
	%reldir%/console_audit.sh \
	%reldir%/console_unreachable.sh \
	%reldir%/console_monkey.sh \
	%reldir%/emulator_dynalite.sh \
	%reldir%/quotas.sh \
	%reldir%/usage.sh
TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) %reldir%/lib.sh tests/lsan.supp

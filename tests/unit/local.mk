# Unit tests link only the libraries below the terminal layer (no curses).
noinst_LIBRARIES += libtttest.a
libtttest_a_SOURCES = %reldir%/testutil.c %reldir%/testutil.h %reldir%/tap.h %reldir%/viewtest.h %reldir%/invoke_fakes.h

TT_UNIT_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(CURL_CFLAGS)
TT_UNIT_LIBS = libtttest.a $(TT_MODEL_LIBS)

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

check_PROGRAMS += test_core
test_core_SOURCES = %reldir%/test_core.c
test_core_CFLAGS = $(TT_UNIT_CFLAGS)
test_core_LDADD = $(TT_UNIT_LIBS)

TESTS += test_core

check_PROGRAMS += test_sanitize
test_sanitize_SOURCES = %reldir%/test_sanitize.c
test_sanitize_CFLAGS = $(TT_UNIT_CFLAGS)
test_sanitize_LDADD = $(TT_UNIT_LIBS)

TESTS += test_sanitize

check_PROGRAMS += test_json_text
test_json_text_SOURCES = %reldir%/test_json_text.c
test_json_text_CFLAGS = $(TT_UNIT_CFLAGS)
test_json_text_LDADD = $(TT_UNIT_LIBS)

TESTS += test_json_text

check_PROGRAMS += test_xml
test_xml_SOURCES = %reldir%/test_xml.c
test_xml_CFLAGS = $(TT_UNIT_CFLAGS)
test_xml_LDADD = $(TT_UNIT_LIBS)

TESTS += test_xml

check_PROGRAMS += test_retry
test_retry_SOURCES = %reldir%/test_retry.c
test_retry_CFLAGS = $(TT_UNIT_CFLAGS)
test_retry_LDADD = $(TT_UNIT_LIBS)

TESTS += test_retry

check_PROGRAMS += test_proto_error
test_proto_error_SOURCES = %reldir%/test_proto_error.c
test_proto_error_CFLAGS = $(TT_UNIT_CFLAGS)
test_proto_error_LDADD = $(TT_UNIT_LIBS)

TESTS += test_proto_error

check_PROGRAMS += test_cmdsplit
test_cmdsplit_SOURCES = %reldir%/test_cmdsplit.c
test_cmdsplit_CFLAGS = $(TT_UNIT_CFLAGS)
test_cmdsplit_LDADD = $(TT_UNIT_LIBS)

TESTS += test_cmdsplit

check_PROGRAMS += test_creds_cache
test_creds_cache_SOURCES = %reldir%/test_creds_cache.c
test_creds_cache_CFLAGS = $(TT_UNIT_CFLAGS)
test_creds_cache_LDADD = $(TT_UNIT_LIBS)
TESTS += test_creds_cache

check_PROGRAMS += test_cloudwatch
test_cloudwatch_SOURCES = %reldir%/test_cloudwatch.c
test_cloudwatch_CFLAGS = $(TT_UNIT_CFLAGS)
test_cloudwatch_LDADD = $(TT_UNIT_LIBS)
TESTS += test_cloudwatch

check_PROGRAMS += test_eventstream
test_eventstream_SOURCES = %reldir%/test_eventstream.c
test_eventstream_CFLAGS = $(TT_UNIT_CFLAGS)
test_eventstream_LDADD = $(TT_UNIT_LIBS)
TESTS += test_eventstream

check_PROGRAMS += test_ddb_value
test_ddb_value_SOURCES = %reldir%/test_ddb_value.c
test_ddb_value_CFLAGS = $(TT_UNIT_CFLAGS)
test_ddb_value_LDADD = $(TT_UNIT_LIBS)
TESTS += test_ddb_value

check_PROGRAMS += test_svc_dynamodb
test_svc_dynamodb_SOURCES = %reldir%/test_svc_dynamodb.c
test_svc_dynamodb_CFLAGS = $(TT_UNIT_CFLAGS)
test_svc_dynamodb_LDADD = $(TT_UNIT_LIBS)
TESTS += test_svc_dynamodb

check_PROGRAMS += test_stack
test_stack_SOURCES = %reldir%/test_stack.c
test_stack_CFLAGS = $(TT_UNIT_CFLAGS)
test_stack_LDADD = $(TT_UNIT_LIBS)
TESTS += test_stack

check_PROGRAMS += test_svc_lambda
test_svc_lambda_SOURCES = %reldir%/test_svc_lambda.c
test_svc_lambda_CFLAGS = $(TT_UNIT_CFLAGS)
test_svc_lambda_LDADD = $(TT_UNIT_LIBS)
TESTS += test_svc_lambda

check_PROGRAMS += test_svc_apigw
test_svc_apigw_SOURCES = %reldir%/test_svc_apigw.c
test_svc_apigw_CFLAGS = $(TT_UNIT_CFLAGS)
test_svc_apigw_LDADD = $(TT_UNIT_LIBS)
TESTS += test_svc_apigw

check_PROGRAMS += test_logs
test_logs_SOURCES = %reldir%/test_logs.c
test_logs_CFLAGS = $(TT_UNIT_CFLAGS)
test_logs_LDADD = $(TT_UNIT_LIBS)
TESTS += test_logs

check_PROGRAMS += test_tail
test_tail_SOURCES = %reldir%/test_tail.c
test_tail_CFLAGS = $(TT_UNIT_CFLAGS)
test_tail_LDADD = $(TT_UNIT_LIBS)
TESTS += test_tail

check_PROGRAMS += test_http_cancel
test_http_cancel_SOURCES = %reldir%/test_http_cancel.c
test_http_cancel_CFLAGS = $(TT_UNIT_CFLAGS)
test_http_cancel_LDADD = $(TT_UNIT_LIBS)
TESTS += test_http_cancel

check_PROGRAMS += test_fanout
test_fanout_SOURCES = %reldir%/test_fanout.c
test_fanout_CFLAGS = $(TT_UNIT_CFLAGS)
test_fanout_LDADD = $(TT_UNIT_LIBS)
TESTS += test_fanout

check_PROGRAMS += test_appcfg
test_appcfg_SOURCES = %reldir%/test_appcfg.c
test_appcfg_CFLAGS = $(TT_UNIT_CFLAGS)
test_appcfg_LDADD = $(TT_UNIT_LIBS)

TESTS += test_appcfg

check_PROGRAMS += test_snapshot
test_snapshot_SOURCES = %reldir%/test_snapshot.c
test_snapshot_CFLAGS = $(TT_UNIT_CFLAGS)
test_snapshot_LDADD = $(TT_UNIT_LIBS)

TESTS += test_snapshot

check_PROGRAMS += test_sched
test_sched_SOURCES = %reldir%/test_sched.c
test_sched_CFLAGS = $(TT_UNIT_CFLAGS)
test_sched_LDADD = $(TT_UNIT_LIBS)
TESTS += test_sched

# The ui layer, still without curses.
check_PROGRAMS += test_canvas
test_canvas_SOURCES = %reldir%/test_canvas.c
test_canvas_CFLAGS = $(TT_UNIT_CFLAGS)
test_canvas_LDADD = libtttest.a $(TT_UI_LIBS)

TESTS += test_canvas
EXTRA_DIST += tests/golden

# libttterm.a without $(NCURSES_LIBS): only the curses-free osc52.o is used.
check_PROGRAMS += test_term
test_term_SOURCES = %reldir%/test_term.c
test_term_CFLAGS = $(TT_UNIT_CFLAGS)
test_term_LDADD = libtttest.a libttterm.a $(TT_UI_LIBS)

TESTS += test_term

check_PROGRAMS += test_widgets
test_widgets_SOURCES = %reldir%/test_widgets.c
test_widgets_CFLAGS = $(TT_UNIT_CFLAGS)
test_widgets_LDADD = libtttest.a $(TT_UI_LIBS)

TESTS += test_widgets

check_PROGRAMS += test_dialog
test_dialog_SOURCES = %reldir%/test_dialog.c
test_dialog_CFLAGS = $(TT_UNIT_CFLAGS)
test_dialog_LDADD = libtttest.a $(TT_UI_LIBS)

TESTS += test_dialog

# logs: API Gateway access-log lines
check_PROGRAMS += test_access_log
test_access_log_SOURCES = %reldir%/test_access_log.c
test_access_log_CFLAGS = $(TT_UNIT_CFLAGS)
test_access_log_LDADD = $(TT_UNIT_LIBS)
TESTS += test_access_log

# logs: FilterLogEvents answers parsed in slices
check_PROGRAMS += test_logs_slice
test_logs_slice_SOURCES = %reldir%/test_logs_slice.c
test_logs_slice_CFLAGS = $(TT_UNIT_CFLAGS)
test_logs_slice_LDADD = $(TT_UNIT_LIBS)
TESTS += test_logs_slice
check_PROGRAMS += test_tail_slice
test_tail_slice_SOURCES = %reldir%/test_tail_slice.c
test_tail_slice_CFLAGS = $(TT_UNIT_CFLAGS)
test_tail_slice_LDADD = $(TT_UNIT_LIBS)
TESTS += test_tail_slice

check_PROGRAMS += test_logbuf
test_logbuf_SOURCES = %reldir%/test_logbuf.c
test_logbuf_CFLAGS = $(TT_UNIT_CFLAGS)
test_logbuf_LDADD = $(TT_UNIT_LIBS)
TESTS += test_logbuf

check_PROGRAMS += test_view_tiers
test_view_tiers_SOURCES = %reldir%/test_view_tiers.c
test_view_tiers_CFLAGS = $(TT_UNIT_CFLAGS)
test_view_tiers_LDADD = libtttest.a $(TT_UI_LIBS)

TESTS += test_view_tiers

# logs: the API view's access log
check_PROGRAMS += test_view_api
test_view_api_SOURCES = %reldir%/test_view_api.c
test_view_api_CFLAGS = $(TT_UNIT_CFLAGS)
test_view_api_LDADD = libtttest.a $(TT_UI_LIBS)
TESTS += test_view_api

# The terminal layer in tmux (see test_term_tmux.sh): the one program here
# that links curses.
check_PROGRAMS += term_check
term_check_SOURCES = %reldir%/term_check.c
term_check_CFLAGS = $(TT_UNIT_CFLAGS)
term_check_LDADD = libttterm.a $(TT_UI_LIBS) $(NCURSES_LIBS)

TESTS += %reldir%/test_term_tmux.sh
EXTRA_DIST += %reldir%/test_term_tmux.sh

check_PROGRAMS += test_view_logs
test_view_logs_SOURCES = %reldir%/test_view_logs.c
test_view_logs_CFLAGS = $(TT_UNIT_CFLAGS)
test_view_logs_LDADD = libtttest.a $(TT_UI_LIBS)
TESTS += test_view_logs

check_PROGRAMS += test_discovery
test_discovery_SOURCES = %reldir%/test_discovery.c
test_discovery_CFLAGS = $(TT_UNIT_CFLAGS)
test_discovery_LDADD = $(TT_UNIT_LIBS)

TESTS += test_discovery

check_PROGRAMS += test_policy
test_policy_SOURCES = %reldir%/test_policy.c
test_policy_CFLAGS = $(TT_UNIT_CFLAGS)
test_policy_LDADD = $(TT_UNIT_LIBS)
TESTS += test_policy

check_PROGRAMS += test_invoke
test_invoke_SOURCES = %reldir%/test_invoke.c
test_invoke_CFLAGS = $(TT_UNIT_CFLAGS)
test_invoke_LDADD = $(TT_UNIT_LIBS)
TESTS += test_invoke

check_PROGRAMS += test_replay
test_replay_SOURCES = %reldir%/test_replay.c
test_replay_CFLAGS = $(TT_UNIT_CFLAGS)
test_replay_LDADD = $(TT_UNIT_LIBS)
TESTS += test_replay

check_PROGRAMS += test_replay_batch
test_replay_batch_SOURCES = %reldir%/test_replay_batch.c
test_replay_batch_CFLAGS = $(TT_UNIT_CFLAGS)
test_replay_batch_LDADD = $(TT_UNIT_LIBS)
TESTS += test_replay_batch

check_PROGRAMS += test_view_replay
test_view_replay_SOURCES = %reldir%/test_view_replay.c
test_view_replay_CFLAGS = $(TT_UNIT_CFLAGS)
test_view_replay_LDADD = libtttest.a $(TT_UI_LIBS)
TESTS += test_view_replay

check_PROGRAMS += test_apps
test_apps_SOURCES = %reldir%/test_apps.c
test_apps_CFLAGS = $(TT_UNIT_CFLAGS)
test_apps_LDADD = $(TT_UNIT_LIBS)

TESTS += test_apps

check_PROGRAMS += test_view_apps
test_view_apps_SOURCES = %reldir%/test_view_apps.c
test_view_apps_CFLAGS = $(TT_UNIT_CFLAGS)
test_view_apps_LDADD = libtttest.a $(TT_UI_LIBS)
TESTS += test_view_apps

# editor: the payload editor widget, the remembered payloads, the invoke view
check_PROGRAMS += test_editor test_payloads test_view_invoke
test_editor_SOURCES = %reldir%/test_editor.c
test_editor_CFLAGS = $(TT_UNIT_CFLAGS)
test_editor_LDADD = libtttest.a $(TT_UI_LIBS)
test_payloads_SOURCES = %reldir%/test_payloads.c
test_payloads_CFLAGS = $(TT_UNIT_CFLAGS)
test_payloads_LDADD = $(TT_UNIT_LIBS)
test_view_invoke_SOURCES = %reldir%/test_view_invoke.c
test_view_invoke_CFLAGS = $(TT_UNIT_CFLAGS)
test_view_invoke_LDADD = libtttest.a $(TT_UI_LIBS)
TESTS += test_editor test_payloads test_view_invoke

check_PROGRAMS += test_audit
test_audit_SOURCES = %reldir%/test_audit.c
test_audit_CFLAGS = $(TT_UNIT_CFLAGS)
test_audit_LDADD = $(TT_UNIT_LIBS)
TESTS += test_audit

check_PROGRAMS += test_items
test_items_SOURCES = %reldir%/test_items.c
test_items_CFLAGS = $(TT_UNIT_CFLAGS)
test_items_LDADD = $(TT_UNIT_LIBS)
TESTS += test_items

check_PROGRAMS += test_items_query
test_items_query_SOURCES = %reldir%/test_items_query.c
test_items_query_CFLAGS = $(TT_UNIT_CFLAGS)
test_items_query_LDADD = $(TT_UNIT_LIBS)
TESTS += test_items_query

check_PROGRAMS += test_keys_doc
test_keys_doc_SOURCES = %reldir%/test_keys_doc.c
test_keys_doc_CFLAGS = $(TT_UNIT_CFLAGS)
test_keys_doc_LDADD = libtttest.a $(TT_UI_LIBS)
TESTS += test_keys_doc

check_PROGRAMS += test_complete
test_complete_SOURCES = %reldir%/test_complete.c
test_complete_CFLAGS = $(TT_UNIT_CFLAGS)
test_complete_LDADD = libtttest.a $(TT_UI_LIBS)
TESTS += test_complete

# browser: the item browser view over a fake DynamoDB
check_PROGRAMS += test_view_items
test_view_items_SOURCES = %reldir%/test_view_items.c
test_view_items_CFLAGS = $(TT_UNIT_CFLAGS)
test_view_items_LDADD = libtttest.a $(TT_UI_LIBS)
TESTS += test_view_items

check_PROGRAMS += test_view_audit
test_view_audit_SOURCES = %reldir%/test_view_audit.c
test_view_audit_CFLAGS = $(TT_UNIT_CFLAGS)
test_view_audit_LDADD = libtttest.a $(TT_UI_LIBS)
TESTS += test_view_audit

noinst_LIBRARIES += libttaws.a
libttaws_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS) $(CRYPTO_CFLAGS) $(EXPAT_CFLAGS) $(ZLIB_CFLAGS)
libttaws_a_SOURCES = \
	%reldir%/aws_client.c \
	%reldir%/creds.c \
	%reldir%/creds_assume.c \
	%reldir%/creds_files.c \
	%reldir%/creds_chain.c \
	%reldir%/creds_internal.h \
	%reldir%/creds_metadata.c \
	%reldir%/creds_process.c \
	%reldir%/creds_sso.c \
	%reldir%/creds_static.c \
	%reldir%/cw_internal.h \
	%reldir%/cw_wire.c \
	%reldir%/ddb_internal.h \
	%reldir%/ddb_parse.c \
	%reldir%/ddb_plain.c \
	%reldir%/ddb_read.c \
	%reldir%/ddb_table.c \
	%reldir%/ddb_value.c \
	%reldir%/ddb_write.c \
	%reldir%/endpoint.c \
	%reldir%/eventstream.c \
	%reldir%/http.c \
	%reldir%/http_config.c \
	%reldir%/http_internal.h \
	%reldir%/http_req.c \
	%reldir%/logs_internal.h \
	%reldir%/logs_wire.c \
	%reldir%/profile.c \
	%reldir%/proto_error.c \
	%reldir%/rest_internal.h \
	%reldir%/rest_json.c \
	%reldir%/retry.c \
	%reldir%/sigv4.c \
	%reldir%/svc_apigw.c \
	%reldir%/svc_apigw_parse.c \
	%reldir%/svc_cloudwatch.c \
	%reldir%/svc_discovery.c \
	%reldir%/svc_lambda.c \
	%reldir%/svc_lambda_invoke.c \
	%reldir%/svc_lambda_parse.c \
	%reldir%/svc_logs.c \
	%reldir%/svc_logs_live.c \
	%reldir%/svc_dynamodb.c \
	%reldir%/svc_sts.c \
	%reldir%/xml.c \
	include/tiertop/aws.h \
	include/tiertop/creds.h \
	include/tiertop/ddb_value.h \
	include/tiertop/endpoint.h \
	include/tiertop/eventstream.h \
	include/tiertop/http.h \
	include/tiertop/profile.h \
	include/tiertop/retry.h \
	include/tiertop/sigv4.h \
	include/tiertop/svc_apigw.h \
	include/tiertop/svc_cloudwatch.h \
	include/tiertop/svc_discovery.h \
	include/tiertop/svc_lambda.h \
	include/tiertop/svc_logs.h \
	include/tiertop/svc_dynamodb.h \
	include/tiertop/svc_sts.h \
	include/tiertop/xml.h

TT_AWS_LIBS = libttaws.a $(TT_CORE_LIBS) $(CURL_LIBS) $(JANSSON_LIBS) $(EXPAT_LIBS) $(ZLIB_LIBS) $(CRYPTO_LIBS)

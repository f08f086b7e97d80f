/* Private to the CloudWatch Logs client: the answer parsers shared by the
 * request/response calls (svc_logs.c, logs_wire.c) and Live Tail
 * (svc_logs_live.c), and the one place requests are built. */
#ifndef TIERTOP_LOGS_INTERNAL_H
#define TIERTOP_LOGS_INTERNAL_H

#include <jansson.h>

#include "tiertop/svc_logs.h"

/* Loads an answer that must be a JSON object; NULL with err (TT_ERR_AWS,
 * naming what) otherwise. Strings may hold NULs. */
json_t *logs_load(const char *json, size_t len, const char *what, struct tt_err *err);

/* Fills out from a JSON array of event objects (FilterLogEvents "events",
 * Live Tail "sessionResults"); elements that are not objects are skipped. */
void logs_events_from(json_t *array, struct tt_logs_event **out, size_t *n);

/* A signed awsJson1_1 request for op carrying body (which it takes). With
 * host_prefix, the default endpoint's host gets it in front ("stream-");
 * custom endpoints are left alone. Caller owns the result until submitted. */
struct tt_http_req *logs_request(const struct tt_aws *aws, const char *op, json_t *body,
                                 const char *host_prefix, struct tt_err *err);

#endif

#!/bin/sh
# API Gateway access logs in the console, through tmux against the
# simulator (whose REST API's prod stage logs every request in JSON to
# /aws/apigateway/feedback-api-access; its HTTP API's $default stage logs
# nothing): the API view names the group and `l` follows it, a stage
# without access logging says so, and the function view shows the access
# line that led to an invocation, matched on the Lambda request id the line
# records. Every wait is for something on the screen, never a sleep.
. "$(dirname "$0")/lib.sh"
console_test console_access
ACCESS=/aws/apigateway/feedback-api-access

TT_TMUX_ENV="LANG=C.UTF-8" run_in_tmux main --tag app=feedback --interval 5
t_ok "the tier screen" wait_screen "PRESENTATION ("
t_ok "... with the REST API" wait_screen "feedback-api"

# --- the API view: its stage's access log --------------------------------------------------------
keys : a p i s Enter / f e e d b a c k - a p i Enter
t_ok "the presentation tier, filtered" wait_screen "PRESENTATION (1) /feedback-api"
keys Enter
t_ok "the REST API opens" wait_screen "api feedback-api"
t_ok "its stage line names the access-log group" wait_screen "stages: prod | access log: $ACCESS"
keys l
t_ok "l follows the stage's access log" wait_screen "access feedback-api/prod"
t_ok "... showing the JSON lines the stage writes" wait_screen '"httpMethod":"POST","resource'
marker="access-marker-$$"
sim POST /_sim/logs/event "{\"group\":\"$ACCESS\",\"stream\":\"marker\",\"message\":\"{\\\"requestId\\\":\\\"$marker\\\",\\\"status\\\":\\\"200\\\"}\"}" >/dev/null
t_ok "an access-log line written after start appears" wait_screen "$marker"
keys Escape
t_ok "Esc goes back to the API" wait_screen "ROUTES"
keys Escape
t_ok "... and to the tier screen" wait_screen "PRESENTATION (1)"

# --- a stage without access logging ----------------------------------------------------------------
keys / f e e d b a c k - h t t p Enter
t_ok "the presentation tier, filtered again" wait_screen "PRESENTATION (1) /feedback-http"
keys Enter
t_ok "the HTTP API opens" wait_screen "api feedback-http"
t_ok "its stage line says it has no access log" wait_screen 'stages: \$default | access log: none'
keys l
t_ok "l says the stage has no access logging" wait_screen 'no access logging on stage \$default'
t_ok "... and stays in the API view" wait_screen "ROUTES"
keys Escape
t_ok "Esc goes back to the tier screen" wait_screen "PRESENTATION (1)"

# --- the function view: an invocation's access line ----------------------------------------------------
# Traffic stops, then one REST request is written: a REPORT line and the access line
# naming its Lambda request id, so it is the newest invocation (selected first).
sim POST /_sim/traffic '{"paused": true}' >/dev/null
lid="0e5c1a7d-4b1f-4a2e-9c3d-$(printf '%012d' $$)"
aid="7f1e2d3c-aaaa-4bbb-8ccc-$(printf '%012d' $$)"
sim POST /_sim/logs/event "{\"group\":\"/aws/lambda/submit-feedback\",\"stream\":\"2026/12/06/[\$LATEST]e2e\",\"message\":\"REPORT RequestId: $lid\\tDuration: 12.34 ms\\tBilled Duration: 13 ms\\tMemory Size: 256 MB\\tMax Memory Used: 80 MB\\t\\n\"}" >/dev/null
sim POST /_sim/logs/event "{\"group\":\"$ACCESS\",\"stream\":\"e2e\",\"message\":\"{\\\"requestId\\\":\\\"$aid\\\",\\\"httpMethod\\\":\\\"POST\\\",\\\"path\\\":\\\"/prod/feedback\\\",\\\"status\\\":\\\"201\\\",\\\"responseLatency\\\":\\\"33\\\",\\\"integrationLatency\\\":\\\"29\\\",\\\"integrationRequestId\\\":\\\"$lid\\\"}\"}" >/dev/null
keys : f u n c t i o n s Enter / s u b m i t Enter
t_ok "the logic tier, filtered" wait_screen "LOGIC (1) /submit"
keys Enter
t_ok "the function opens" wait_screen "fn submit-feedback"
t_ok "the injected invocation is listed" wait_screen "$lid"
t_ok "the selected invocation shows the access line that led to it" \
	wait_screen "via API Gateway: POST /prod/feedback 201 33 ms (integration 29 ms), request $aid"
t_ok "a wide row shows it too" wait_screen "$lid .*POST /prod/feedback 201 33 ms"
sim POST /_sim/traffic '{"paused": false}' >/dev/null

keys Escape
t_ok "Esc goes back to the tier screen" wait_screen "LOGIC (1)"
keys q
t_ok "q quits with status 0" wait_screen "EXIT=0"
t_done

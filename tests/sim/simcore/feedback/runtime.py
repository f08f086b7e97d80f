"""What the feedback functions do when they run, and the log lines they leave.

Both the synthetic traffic and Lambda Invoke go through Runtime.run(), so a function's
logs look the same whoever called it: platform lines (INIT_START, START, END, REPORT with
Init Duration on cold starts and Status: timeout on timeouts), text and JSON application
lines, multi-line stack traces, and the hostile feedback text itself.
"""
import base64
import json
import math
import random
import time

from . import items as seed_items
from . import metrics as mx
from . import resources as res
from .util import DEFAULT_REGION, SEED, det_uuid, h64, hex32, iso_ms

SPAM_WORDS = ('buy now', 'casino')
CONTAINER_LIFETIME = 1200  # seconds a synthetic execution environment (log stream) lives
SLOTS = {'submit-feedback': 3, 'spam-filter': 2, 'export-feedback': 1}


class Invocation:
    def __init__(self, fn, request_id, start_ms):
        self.fn = fn
        self.request_id = request_id
        self.start_ms = start_ms
        self.lines = []            # (ts ms, message)
        self.status = 'ok'         # ok | error | timeout
        self.result = None         # JSON-able result of a successful run
        self.error = None          # error payload (dict) of a failed run
        self.duration = 0.0
        self.init_duration = None
        self.stream = None
        self.stored = None         # item written to Feedback, if any

    @property
    def end_ms(self):
        return self.start_ms + int(math.ceil(self.duration))

    def log_text(self):
        return ''.join(message for _, message in self.lines)


class Runtime:
    def __init__(self, scenario):
        self.scenario = scenario
        self.warm = set()

    def reset(self):
        self.warm = set()

    # ------------------------------------------------------------ streams
    def stream_for(self, fn, start_ms, slot):
        """(stream name, cold start?) of the execution environment serving this call."""
        sec = start_ms // 1000
        offset = h64(SEED, 'slot-offset', fn, slot) % CONTAINER_LIFETIME
        window = (sec + offset) // CONTAINER_LIFETIME
        born = window * CONTAINER_LIFETIME - offset
        day = time.strftime('%Y/%m/%d', time.gmtime(max(born, 0)))
        name = f'{day}/[$LATEST]{hex32(SEED, fn, slot, window)}'
        key = (fn, name)
        cold = key not in self.warm
        self.warm.add(key)
        return name, cold, born * 1000

    # ------------------------------------------------------------ running
    def run(self, fn_name, event, start_ms, rng, store, region=DEFAULT_REGION, request_id=None):
        """Run a function on an event; returns the Invocation (nothing written yet)."""
        fn = res.FUNCTIONS_BY_NAME[fn_name]
        rid = request_id or det_uuid(SEED, 'request', fn_name, start_ms, rng.random())
        inv = Invocation(fn, rid, start_ms)
        slot = rng.randrange(SLOTS.get(fn_name, 1))
        inv.stream, cold, _ = self.stream_for(fn_name, start_ms, slot)
        t = start_ms
        if cold:
            inv.init_duration = round(120 + rng.random() * 260, 2) if fn.runtime.startswith('nodejs') \
                else round(80 + rng.random() * 180, 2)
            label = res.runtime_label(fn.runtime)
            inv.lines.append((t - int(inv.init_duration) - 3,
                              f'INIT_START Runtime Version: {label}\tRuntime Version ARN: '
                              f'{res.runtime_version_arn(region, fn.runtime)}\n'))
        inv.lines.append((t, f'START RequestId: {rid} Version: $LATEST\n'))
        handler = {'submit-feedback': self._submit, 'spam-filter': self._spam,
                   'export-feedback': self._export}.get(fn_name, self._worker)
        handler(inv, event, rng, store, region)
        if inv.status == 'timeout':
            inv.duration = fn.timeout * 1000.0 + round(rng.random() * 40, 2)
        end = inv.end_ms
        if inv.status == 'timeout':
            inv.lines.append((end, f'{iso_ms(end / 1000)} {rid} Task timed out after '
                                   f'{fn.timeout:.2f} seconds\n'))
            inv.error = {'errorMessage': f'{iso_ms(end / 1000)} {rid} Task timed out after '
                                         f'{fn.timeout:.2f} seconds'}
        inv.lines.append((end, f'END RequestId: {rid}\n'))
        billed = int(math.ceil(inv.duration))
        used = min(fn.memory, int(fn.memory * (0.25 + 0.3 * rng.random())) + 40)
        report = (f'REPORT RequestId: {rid}\tDuration: {inv.duration:.2f} ms\tBilled Duration: '
                  f'{billed} ms\tMemory Size: {fn.memory} MB\tMax Memory Used: {used} MB\t')
        if inv.init_duration is not None:
            report += f'Init Duration: {inv.init_duration:.2f} ms\t'
        if inv.status == 'timeout':
            report += 'Status: timeout'
        inv.lines.append((end, report + '\n'))
        return inv

    def _duration(self, rng, median, sigma):
        return round(math.exp(math.log(median) + sigma * rng.gauss(0, 1)), 2)

    def _text(self, inv, t, level, text):
        if inv.fn.runtime.startswith('nodejs'):
            inv.lines.append((t, f'{iso_ms(t / 1000)}\t{inv.request_id}\t{level}\t{text}\n'))
        else:
            inv.lines.append((t, f'[{level}]\t{iso_ms(t / 1000)}\t{inv.request_id}\t{text}\n'))

    def _json(self, inv, t, obj):
        obj = dict(obj)
        obj.setdefault('timestamp', iso_ms(t / 1000))
        obj['requestId'] = inv.request_id
        # JSON.stringify is compact; Python's json.dumps puts spaces after ':' and ','.
        compact = inv.fn.runtime.startswith('nodejs')
        text = json.dumps(obj, ensure_ascii=False, separators=(',', ':') if compact else None)
        inv.lines.append((t, text + '\n'))

    def _fail_node(self, inv, t, error_type, message):
        stack = [f'{error_type}: {message}',
                 '    at handler (file:///var/task/index.mjs:27:11)',
                 '    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)']
        # Node.js reports the stack as "trace" (Python uses "stackTrace").
        inv.error = {'errorType': error_type, 'errorMessage': message, 'trace': stack}
        inv.status = 'error'
        detail = json.dumps({'errorType': error_type, 'errorMessage': message, 'stack': stack},
                            separators=(',', ':'))
        inv.lines.append((t, f'{iso_ms(t / 1000)}\t{inv.request_id}\tERROR\tInvoke Error \t{detail}\n'))

    def _fail_python(self, inv, t, error_type, message, line=18, source=None):
        source = source or f'raise {error_type}({message!r})'
        frame = f'  File "/var/task/app.py", line {line}, in handler\n    {source}\n'
        inv.error = {'errorMessage': message, 'errorType': error_type,
                     'requestId': inv.request_id, 'stackTrace': [frame]}
        inv.status = 'error'
        inv.lines.append((t, f'[ERROR] {error_type}: {message}\nTraceback (most recent call last):\n'
                             f'{frame}'))

    # ------------------------------------------------------------ functions
    def _submit(self, inv, event, rng, store, region):
        t = inv.start_ms
        slow = mx.incident(t // 60000)
        inv.duration = self._duration(rng, 140.0 if slow else 42.0, 0.5)
        method, body, item_id = 'POST', event, None
        if isinstance(event, dict) and ('body' in event or 'httpMethod' in event or 'requestContext' in event):
            ctx = event.get('requestContext') or {}
            method = event.get('httpMethod') or (ctx.get('http') or {}).get('method') or 'POST'
            item_id = (event.get('pathParameters') or {}).get('id')
            raw = event.get('body')
            if event.get('isBase64Encoded') and isinstance(raw, str):
                try:
                    raw = base64.b64decode(raw).decode('utf-8')
                except ValueError:
                    raw = None
            try:
                body = json.loads(raw) if isinstance(raw, str) and raw else {}
            except ValueError:
                self._text(inv, t + 1, 'WARN', 'Request body is not JSON')
                inv.result = _proxy(400, {'message': 'Request body must be JSON'})
                return
        if method == 'GET':
            self._text(inv, t, 'INFO', f'Looking up feedback {item_id}')
            found = self.scenario.latest_item(item_id) if item_id else None
            inv.result = _proxy(200, found) if found else _proxy(404, {'message': 'Not found'})
            return
        if not isinstance(body, dict) or not isinstance(body.get('message'), str) or not body['message']:
            self._text(inv, t + 1, 'WARN', 'Rejected feedback without a message')
            inv.result = _proxy(400, {'message': 'message is required'})
            return
        message = body['message']
        self._text(inv, t, 'INFO', f'Received feedback: {message[:300]}')
        lowered = message.lower()
        if any(word in lowered for word in SPAM_WORDS):
            self._json(inv, t + 2, {'level': 'WARN', 'msg': 'spam rejected', 'length': len(message)})
            self._fail_node(inv, t + 3, 'SpamRejected', 'Feedback rejected as spam')
            return
        if slow and not store and rng.random() < 0.25:
            self._fail_node(inv, t + 4, 'ProvisionedThroughputExceededException',
                            'The level of configured provisioned throughput for the table was exceeded.')
            return
        now = inv.start_ms / 1000
        fid = body.get('feedbackId') if isinstance(body.get('feedbackId'), str) and body.get('feedbackId') \
            else 'fb-' + hex32(inv.request_id)[:12]
        created = body.get('createdAt') if isinstance(body.get('createdAt'), str) and body.get('createdAt') \
            else iso_ms(now)
        item = {'feedbackId': {'S': fid}, 'createdAt': {'S': created}, 'message': {'S': message},
                'status': {'S': 'new'}}
        if isinstance(body.get('email'), str) and body['email']:
            item['email'] = {'S': body['email']}
        rating = body.get('rating')
        if isinstance(rating, (int, float)) and not isinstance(rating, bool):
            item['rating'] = {'N': str(rating)}
        if store:
            self.scenario.store_feedback(item, now)
            inv.stored = item
        self._json(inv, inv.start_ms + int(inv.duration) - 1,
                   {'level': 'INFO', 'msg': 'stored feedback', 'feedbackId': fid,
                    'rating': rating if isinstance(rating, (int, float)) else None,
                    'latencyMs': int(inv.duration)})
        inv.result = _proxy(201, {'feedbackId': fid, 'createdAt': created})

    def _spam(self, inv, event, rng, store, region):
        t = inv.start_ms
        inv.duration = self._duration(rng, 14.0, 0.5)
        message = event.get('message') if isinstance(event, dict) else None
        if isinstance(event, dict) and isinstance(event.get('body'), str):
            try:
                message = json.loads(event['body']).get('message')
            except (ValueError, AttributeError):
                message = None
        if not isinstance(message, str):
            self._fail_python(inv, t + 1, 'KeyError', "'message'", line=9,
                              source="message = event['message']")
            return
        delay = event.get('delayMs') if isinstance(event, dict) else None
        if isinstance(delay, (int, float)) and delay >= inv.fn.timeout * 1000:
            self._text(inv, t + 1, 'INFO', f'Scoring message ({len(message)} chars)')
            inv.status = 'timeout'
            return
        self._text(inv, t, 'INFO', f'Scoring message ({len(message)} chars)')
        lowered = message.lower()
        if any(word in lowered for word in SPAM_WORDS):
            self._json(inv, t + 1, {'level': 'ERROR', 'message': 'spam detected', 'score': 0.97})
            self._fail_python(inv, t + 2, 'SpamDetected', 'message looks like spam')
            return
        score = round(0.6 if ('http://' in lowered or 'free' in lowered) else rng.random() * 0.2, 3)
        self._json(inv, t + int(inv.duration), {'level': 'INFO', 'message': 'scored', 'score': score,
                                               'spam': score >= 0.5})
        inv.result = {'spam': score >= 0.5, 'score': score}

    def _export(self, inv, event, rng, store, region):
        t = inv.start_ms
        slow = mx.incident(t // 60000)
        inv.duration = self._duration(rng, 26000.0 if slow else 7800.0, 0.45)
        count = self.scenario.feedback_count()
        self._text(inv, t + 5, 'INFO', f'Exporting {count} records from Feedback')
        if store:
            day = time.strftime('%Y-%m-%d', time.gmtime(t / 1000))
            self.scenario.store_stats(day, count)
        if slow and not store and rng.random() < 0.1:
            self._fail_python(inv, t + int(inv.duration) - 2, 'ProvisionedThroughputExceededException',
                              'An error occurred (ProvisionedThroughputExceededException) when calling '
                              'the PutItem operation: The level of configured provisioned throughput '
                              'for the table was exceeded.', line=44,
                              source="stats.put_item(Item=record)")
            return
        if inv.duration > inv.fn.timeout * 1000:
            if not store:
                inv.status = 'timeout'
                return
            inv.duration = round(inv.fn.timeout * 900.0 - rng.random() * 1000, 2)
        self._json(inv, t + int(inv.duration) - 1, {'level': 'INFO', 'message': 'export complete',
                                                    'records': count, 'durationMs': int(inv.duration)})
        inv.result = {'exported': count, 'table': 'Feedback'}

    def _worker(self, inv, event, rng, store, region):
        t = inv.start_ms
        inv.duration = self._duration(rng, 90.0, 0.6)
        self._text(inv, t + 1, 'INFO', f'{inv.fn.name} processed 1 message')
        inv.result = {'ok': True, 'worker': inv.fn.name}


def _proxy(status, body):
    return {'statusCode': status, 'headers': {'Content-Type': 'application/json'},
            'body': json.dumps(body, ensure_ascii=False, separators=(',', ':'))}


# ---------------------------------------------------------------- synthetic traffic

_SAMPLE_MESSAGES = seed_items._MESSAGES[:-1]  # no empty message


def synthetic_second(runtime, sec, rate):
    """The invocations of one second of synthetic traffic: [(Invocation, api or None)]."""
    rng = random.Random(h64(SEED, 'traffic', sec))
    count = _poisson(rng, rate)
    out = []
    starts = sorted(sec * 1000 + rng.randrange(1000) for _ in range(count))
    for start in starts:
        pick = rng.random()
        if pick < 0.62:
            fn = 'submit-feedback'
            message = rng.choice(_SAMPLE_MESSAGES)
            api = 'rest' if rng.random() < 0.75 else 'http'
            payload = {'message': message, 'rating': rng.randrange(1, 6)}
            if api == 'rest':
                event = {'resource': '/feedback', 'path': '/feedback', 'httpMethod': 'POST',
                         'body': json.dumps(payload)}
            else:
                event = {'version': '2.0', 'routeKey': 'POST /feedback',
                         'requestContext': {'http': {'method': 'POST', 'path': '/feedback'}},
                         'body': json.dumps(payload)}
        elif pick < 0.93:
            fn, api = 'spam-filter', None
            event = {'message': rng.choice(_SAMPLE_MESSAGES)}
            if rng.random() < 0.02:
                event['delayMs'] = 5000  # runs into the 3 s timeout
        else:
            fn, api, event = 'export-feedback', None, {'Records': []}
        inv = runtime.run(fn, event, start, rng, store=False)
        out.append((inv, api))
    return out


def _poisson(rng, rate):
    if rate <= 0:
        return 0
    limit, k, p = math.exp(-min(rate, 50)), 0, 1.0
    if rate > 50:
        return max(0, int(round(rng.gauss(rate, math.sqrt(rate)))))
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def api_log_lines(inv, api_id):
    """API Gateway execution log lines for a REST request that invoked submit-feedback."""
    rid = det_uuid(SEED, 'apireq', inv.request_id)
    t = inv.start_ms - 8
    status = 502 if inv.status != 'ok' else (inv.result or {}).get('statusCode', 200)
    ext = hex32(SEED, 'ext', rid)[:16].upper() + '='
    uri = (f'https://lambda.{DEFAULT_REGION}.amazonaws.com/2015-03-31/functions/'
           f'{res.function_arn(DEFAULT_REGION, "submit-feedback")}/invocations')
    lines = [
        (t, f'({rid}) Extended Request Id: {ext}'),
        (t, f'({rid}) Verifying Usage Plan for request: {rid}. API Key:  API Stage: {api_id}/prod'),
        (t + 1, f'({rid}) Starting execution for request: {rid}'),
        (t + 1, f'({rid}) HTTP Method: POST, Resource Path: /feedback'),
        (t + 2, f'({rid}) Endpoint request URI: {uri}'),
        (inv.end_ms + 3, f'({rid}) Received response. Status: 200, Integration latency: '
                         f'{int(inv.duration) + 4} ms'),
        (inv.end_ms + 4, f'({rid}) Method completed with status: {status}'),
    ]
    if inv.status != 'ok':
        lines.insert(5, (inv.end_ms + 3, f'({rid}) Lambda execution failed with status 200 due to '
                                         f'customer function error: {(inv.error or {}).get("errorMessage", "")}'))
    return lines, status


def api_access_line(inv):
    """The prod stage's access-log line (res.ACCESS_LOG_FORMAT) for the same REST request as
    api_log_lines: written when the response has gone out, integrationRequestId being the
    Lambda request id, as $context.integration.requestId is for a Lambda integration."""
    rid = det_uuid(SEED, 'apireq', inv.request_id)
    status = 502 if inv.status != 'ok' else (inv.result or {}).get('statusCode', 200)
    done = inv.end_ms + 4
    when = time.strftime('%d/%b/%Y:%H:%M:%S +0000', time.gmtime(inv.start_ms // 1000))
    ip = '203.0.113.%d' % (1 + h64(SEED, 'ip', rid) % 250)
    fields = {
        'requestId': rid, 'ip': ip, 'requestTime': when, 'httpMethod': 'POST',
        'resourcePath': '/feedback', 'path': '/prod/feedback', 'status': str(status),
        'protocol': 'HTTP/1.1', 'responseLength': str(40 + h64(SEED, 'len', rid) % 60),
        'responseLatency': str(done - (inv.start_ms - 8)),
        'integrationLatency': str(int(inv.duration) + 4),
        'integrationStatus': '200', 'integrationRequestId': inv.request_id,
    }
    return done, json.dumps(fields, separators=(',', ':'))

"""CloudWatch Logs (awsJson1_1, X-Amz-Target Logs_20140328.<Op>): DescribeLogGroups,
FilterLogEvents, ListTagsLogGroup, ListTagsForResource and StartLiveTail (an
application/vnd.amazon.eventstream answer on the same port).
"""
import bisect
import json
import time
import uuid

from ..feedback import eventstream
from ..feedback import resources as res
from ..feedback.filterpattern import PatternError, compile_pattern
from ..feedback.util import ACCOUNT, decode_token, encode_token, h64, region_of
from ..protocols import JSON
from ..wire import Response

SERVICE = 'logs'
PROTOCOL = JSON
TARGET = 'Logs_20140328'

MAX_EVENTS = 10000
MAX_PAGE_BYTES = 1024 * 1024
# FilterLogEvents, like the real one, searches a bounded amount of data per call: after
# this many non-matching events it returns what it has (possibly nothing) and a nextToken.
# Tests lower it with POST /_sim/config {"logs_filter_scan_events": N}.
SCAN_BUDGET = 5000
LIVE_TAIL_MAX_EVENTS = 500
LIVE_TAIL_INTERVAL = 1.0


# Logs names its own errors without a namespace; coral-level ones keep theirs.
_CORAL = ('UnrecognizedClientException', 'InvalidSignatureException', 'IncompleteSignatureException',
          'MissingAuthenticationTokenException', 'ExpiredTokenException',
          'UnknownOperationException', 'SerializationException', 'InternalFailure',
          'ServiceUnavailable')


def shape_error(reply, status, code, message, headers):
    type_ = ('com.amazon.coral.service#' + code) if code in _CORAL else code
    return Response(status, json.dumps({'__type': type_, 'message': message}).encode(),
                    'application/x-amz-json-1.1', headers)


class _Fail(Exception):
    def __init__(self, code, message, status=400, extra=None):
        super().__init__(message)
        self.code, self.message, self.status, self.extra = code, message, status, extra


def _invalid(message):
    return _Fail('InvalidParameterException', message)


def _missing_group():
    return _Fail('ResourceNotFoundException', 'The specified log group does not exist.')


def action_of(req):
    target = req.header('X-Amz-Target') or ''
    prefix, _, op = target.partition('.')
    return op if prefix == TARGET and op else None


def handle(sim, req, reply, action, identity):
    try:
        op = _OPERATIONS.get(action)
        if op is None:
            raise _Fail('UnknownOperationException', '')
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            raise _Fail('SerializationException', 'failed to parse the request body') from None
        sim.app.catch_up()
        out = op(sim, body, region_of(req), req)
        if isinstance(out, Response):
            return out
        return reply.json(out)
    except _Fail as fail:
        resp = reply.error(fail.status, fail.code, fail.message)
        if fail.extra:
            obj = json.loads(resp.body)
            obj.update(fail.extra)
            resp.body = json.dumps(obj).encode()
        return resp


# ---------------------------------------------------------------- helpers

def _int(body, name, low, high, default=None):
    value = body.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Fail('SerializationException', f'{name} must be an integer')
    if value < low or value > high:
        bound = f'greater than or equal to {low}' if value < low else f'less than or equal to {high}'
        raise _Fail('InvalidParameterException',
                    f"1 validation error detected: Value '{value}' at '{name}' failed to satisfy "
                    f'constraint: Member must have value {bound}')
    return value


def _group_of(sim, body, region, required=True):
    name = body.get('logGroupName')
    ident = body.get('logGroupIdentifier')
    if name is not None and ident is not None:
        raise _invalid('LogGroup name and LogGroup ARN are mutually exclusive parameters.')
    if ident is not None:
        name = _identifier(ident, region)
    if name is None:
        if not required:
            return None
        raise _invalid('Either logGroupName or logGroupIdentifier must be specified.')
    group = sim.app.logs.groups.get(name)
    if group is None:
        raise _missing_group()
    return group


def _identifier(ident, region):
    """A log group name from a name or a logGroupArn-style ARN."""
    if not isinstance(ident, str) or not ident:
        raise _invalid('Invalid log group identifier')
    if ident.startswith('arn:'):
        if ident.endswith(':*'):
            raise _invalid('LogGroup ARN should not end with a wildcard (:*)')
        parts = ident.split(':', 6)
        if len(parts) != 7 or parts[2] != 'logs' or parts[5] != 'log-group' or parts[4] != ACCOUNT:
            raise _invalid(f'Invalid log group identifier: {ident}')
        return parts[6]
    return ident


def _group_json(group, region):
    arn = res.log_group_arn(region, group.name)
    out = {'logGroupName': group.name, 'creationTime': group.created}
    if group.retention:
        out['retentionInDays'] = group.retention
    out.update({'metricFilterCount': 0, 'arn': arn + ':*', 'storedBytes': group.stored,
                'logGroupClass': 'STANDARD', 'logGroupArn': arn})
    return out


def _page(items, body, kind, limit, key):
    """Slice a name-ordered list after the token's position."""
    token = body.get('nextToken')
    start = 0
    if token is not None:
        state = decode_token(token, kind)
        if state is None:
            raise _invalid('The specified nextToken is invalid.')
        start = state['i']
    chunk = items[start:start + limit]
    out_token = None
    if start + limit < len(items):
        out_token = encode_token({'k': kind, 'i': start + limit, 'last': key(chunk[-1])})
    return chunk, out_token


# ---------------------------------------------------------------- describe

def _describe_groups(sim, body, region, req):
    limit = _int(body, 'limit', 1, 50, 50)
    prefix = body.get('logGroupNamePrefix')
    pattern = body.get('logGroupNamePattern')
    if prefix is not None and pattern is not None:
        raise _invalid('LogGroup name prefix and LogGroup name pattern are mutually exclusive '
                       'parameters.')
    with sim.app.logs.lock:
        groups = sorted(sim.app.logs.groups.values(), key=lambda g: g.name)
    if prefix is not None:
        groups = [g for g in groups if g.name.startswith(prefix)]
    if pattern is not None:
        groups = [g for g in groups if pattern.lower() in g.name.lower()]
    idents = body.get('logGroupIdentifiers')
    if idents is not None:
        names = {_identifier(i, region) for i in idents}
        groups = [g for g in groups if g.name in names]
    chunk, token = _page(groups, body, 'logs-groups', limit, lambda g: g.name)
    out = {'logGroups': [_group_json(g, region) for g in chunk]}
    if token:
        out['nextToken'] = token
    return out


def _tags_group(sim, body, region, req):
    group = _group_of(sim, body, region)
    return {'tags': dict(group.tags)}


def _tags_resource(sim, body, region, req):
    arn = body.get('resourceArn')
    if not isinstance(arn, str):
        raise _invalid('resourceArn is required')
    name = _identifier(arn, region)
    group = sim.app.logs.groups.get(name)
    if group is None:
        raise _Fail('ResourceNotFoundException', 'The specified resource does not exist.')
    return {'tags': dict(group.tags)}


# ---------------------------------------------------------------- events

def _time(body, name):
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Fail('SerializationException', f'{name} must be a number of milliseconds')
    if value < 0:
        raise _invalid(f"1 validation error detected: Value '{value}' at '{name}' failed to "
                       'satisfy constraint: Member must have value greater than or equal to 0')
    return value


def _filter_events(sim, body, region, req):
    group = _group_of(sim, body, region)
    limit = _int(body, 'limit', 1, MAX_EVENTS, MAX_EVENTS)
    start, end = _time(body, 'startTime'), _time(body, 'endTime')
    if start is not None and end is not None and end < start:
        raise _invalid('endTime must be greater than or equal to startTime')
    names = body.get('logStreamNames')
    prefix = body.get('logStreamNamePrefix')
    if names is not None and prefix is not None:
        raise _invalid('logStreamNames and logStreamNamePrefix are mutually exclusive')
    if names is not None:
        if not isinstance(names, list) or not 1 <= len(names) <= 100:
            raise _invalid('logStreamNames must hold 1 to 100 stream names')
        missing = [n for n in names if n not in group.streams]
        if missing:
            raise _Fail('ResourceNotFoundException', 'The specified log stream does not exist.')
    try:
        pred = compile_pattern(body.get('filterPattern'))
    except PatternError as exc:
        raise _invalid(str(exc)) from None
    fingerprint = h64(group.name, start, end, json.dumps(names), prefix, body.get('filterPattern'))
    lo_key = (start if start is not None else 0, 0)
    token = body.get('nextToken')
    if token is not None:
        state = decode_token(token, 'logs-filter')
        if state is None or state.get('f') != fingerprint:
            raise _invalid('The specified nextToken is invalid.')
        if sim.state.config().get('logs_filter_repeat_token'):
            return {'events': [], 'searchedLogStreams': [], 'nextToken': token}
        lo_key = tuple(state['p'])
    wanted = set(names) if names is not None else None
    budget = sim.state.config().get('logs_filter_scan_events') or SCAN_BUDGET
    events, size, skipped = [], 0, 0
    last_key = None
    more = False
    with sim.app.logs.lock:
        keys = group.keys
        pos = bisect.bisect_right(keys, lo_key) if token is not None else bisect.bisect_left(keys, lo_key)
        total = len(keys)
        while pos < total:
            ev = group.events[pos]
            if end is not None and ev.ts > end:
                break
            if skipped >= budget or len(events) >= limit:
                more = True
                break
            pos += 1
            if (wanted is not None and ev.stream not in wanted) or \
                    (prefix is not None and not ev.stream.startswith(prefix)) or \
                    (pred is not None and not pred(ev.message)):
                skipped += 1
                last_key = ev.key
                continue
            if size + ev.size > MAX_PAGE_BYTES:
                more = True
                break
            size += ev.size
            last_key = ev.key
            events.append({'logStreamName': ev.stream, 'timestamp': ev.ts, 'message': ev.message,
                           'ingestionTime': ev.ingest, 'eventId': ev.event_id})
    out = {'events': events, 'searchedLogStreams': []}
    if more and last_key is not None:
        out['nextToken'] = encode_token({'k': 'logs-filter', 'f': fingerprint, 'p': list(last_key)})
    elif more:
        out['nextToken'] = encode_token({'k': 'logs-filter', 'f': fingerprint, 'p': list(lo_key)})
    return out


# ---------------------------------------------------------------- Live Tail

def _start_live_tail(sim, body, region, req):
    idents = body.get('logGroupIdentifiers')
    if not isinstance(idents, list) or not idents:
        raise _invalid("1 validation error detected: Value null at 'logGroupIdentifiers' failed "
                       'to satisfy constraint: Member must not be null')
    if len(idents) > 10:
        raise _invalid("1 validation error detected: Value at 'logGroupIdentifiers' failed to "
                       'satisfy constraint: Member must have length less than or equal to 10')
    names = []
    for ident in idents:
        if not isinstance(ident, str) or not ident.startswith('arn:'):
            raise _invalid(f'LogGroup ARN is invalid: {ident}')
        name = _identifier(ident, region)
        if name not in sim.app.logs.groups:
            raise _Fail('ResourceNotFoundException', f'Log group {ident} does not exist')
        names.append((ident, name))
    streams = body.get('logStreamNames')
    prefixes = body.get('logStreamNamePrefixes')
    if streams is not None and prefixes is not None:
        raise _invalid('logStreamNames and logStreamNamePrefixes are mutually exclusive')
    if (streams is not None or prefixes is not None) and len(idents) != 1:
        raise _invalid('Only one log group can be specified with logStreamNames or '
                       'logStreamNamePrefixes')
    try:
        pred = compile_pattern(body.get('logEventFilterPattern'))
    except PatternError as exc:
        raise _invalid(str(exc)) from None
    config = sim.state.config()
    session = {
        'requestId': req.request_id, 'sessionId': str(uuid.uuid4()),
        'logGroupIdentifiers': idents, 'logStreamNames': streams or [],
        'logStreamNamePrefixes': prefixes or [],
        'logEventFilterPattern': body.get('logEventFilterPattern') or '',
    }
    stream = _live_tail(sim, session, names, pred, streams, prefixes, config)
    return Response(200, b'', 'application/vnd.amazon.eventstream', [], stream=stream)


def _live_tail(sim, session, names, pred, streams, prefixes, config):
    chunk = config.get('livetail_chunk_bytes')
    corrupt = bool(config.get('livetail_corrupt_crc'))
    max_seconds = float(config.get('livetail_max_seconds') or 10800)

    def split(frame):
        if not chunk:
            yield frame
        else:
            for i in range(0, len(frame), chunk):
                yield frame[i:i + chunk]

    def generate():
        yield from split(eventstream.event('initial-response', {}))
        yield from split(eventstream.event('sessionStart', session))
        with sim.app.logs.lock:
            cursors = {}
            for _, name in names:
                group = sim.app.logs.groups[name]
                cursors[name] = group.appended_base + len(group.appended)
        began = time.monotonic()
        corrupted = False
        wanted = set(streams) if streams else None
        while True:
            deadline = began + max_seconds
            now = time.monotonic()
            if now >= deadline:
                yield from split(eventstream.exception(
                    'SessionTimeoutException',
                    f'Session timed out after {int(max_seconds)} seconds'))
                return
            time.sleep(min(LIVE_TAIL_INTERVAL, deadline - now))
            if time.monotonic() >= deadline:
                continue
            sim.app.catch_up()
            results = []
            with sim.app.logs.lock:
                for ident, name in names:
                    group = sim.app.logs.groups.get(name)
                    if group is None:
                        continue
                    fresh = group.appended[max(0, cursors[name] - group.appended_base):]
                    cursors[name] = group.appended_base + len(group.appended)
                    for ev in fresh:
                        if wanted is not None and ev.stream not in wanted:
                            continue
                        if prefixes and not any(ev.stream.startswith(p) for p in prefixes):
                            continue
                        if pred is not None and not pred(ev.message):
                            continue
                        results.append({'logStreamName': ev.stream, 'logGroupIdentifier': ident,
                                        'message': ev.message, 'timestamp': ev.ts,
                                        'ingestionTime': ev.ingest})
            results.sort(key=lambda r: r['timestamp'])
            sampled = len(results) > LIVE_TAIL_MAX_EVENTS
            if sampled:
                step = len(results) / LIVE_TAIL_MAX_EVENTS
                results = [results[int(i * step)] for i in range(LIVE_TAIL_MAX_EVENTS)]
            frame = eventstream.event('sessionUpdate', {'sessionMetadata': {'sampled': sampled},
                                                        'sessionResults': results},
                                      corrupt=corrupt and not corrupted)
            corrupted = corrupted or corrupt
            yield from split(frame)
    return generate()


_OPERATIONS = {
    'DescribeLogGroups': _describe_groups,
    'FilterLogEvents': _filter_events,
    'ListTagsLogGroup': _tags_group,
    'ListTagsForResource': _tags_resource,
    'StartLiveTail': _start_live_tail,
}

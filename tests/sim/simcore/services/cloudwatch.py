"""CloudWatch (signing name `monitoring`) in both of its wire protocols:

* awsJson1_0: X-Amz-Target GraniteServiceVersion20100801.<Op>, epoch-second timestamps;
  errors name the Smithy shape in `__type` and, when the request carries
  `x-amzn-query-mode: true` (the awsQueryCompatible trait), the legacy query code in
  `x-amzn-query-error: <Code>;Sender`.
* awsQuery: form body Action=<Op>&Version=2010-08-01, XML answers with <OpResult> wrappers
  and <member> lists.

Operations: GetMetricData, GetMetricStatistics, ListMetrics, DescribeAlarms,
ListTagsForResource.

With POST /_sim/config {"cloudwatch_xml_only": true} the service behaves like an endpoint
that only speaks awsQuery: a JSON request is read as a query request without an Action
and gets the query protocol's `400 MissingAction` XML error (what AWS's query services
answer to a body they cannot read an Action from; query-only emulators such as LocalStack
answered JSON CloudWatch/SQS requests with an XML "Missing Action" error as well:
localstack/localstack#13028, aws/aws-sdk-java-v2#3972).

With {"cloudwatch_emulator": true} it behaves like an emulator that serves only awsQuery and
answers every awsJson request with HTTP 500 and an HTML page (no error code, no JSON).
"""
import json
import math
import re

from ..feedback import resources as res
from ..feedback.metrics import UNITS, align_start, series_of, valid_stat
from ..feedback.util import decode_token, encode_token, h64, region_of
from ..protocols import JSON, QUERY
from ..wire import Response
from .querykit import Stamp, XmlMap, parse_time, query_response, unflatten

SERVICE = 'monitoring'
TARGET = 'GraniteServiceVersion20100801'
XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/'
API_VERSION = '2010-08-01'

MAX_QUERIES = 500
MAX_DATAPOINTS = 100800
MAX_STATISTICS_POINTS = 1440
LIST_METRICS_PAGE = 500
_ID_RE = re.compile(r'^[a-z][a-zA-Z0-9_]*$')

# Legacy query code -> Smithy shape name used as the JSON __type.
_SHAPES = {
    'InvalidParameterValue': 'InvalidParameterValueException',
    'MissingParameter': 'MissingRequiredParameterException',
    'InvalidParameterCombination': 'InvalidParameterCombinationException',
    'InvalidNextToken': 'InvalidNextToken',
    'ResourceNotFound': 'ResourceNotFound',
    'LimitExceeded': 'LimitExceededFault',
    'InternalServiceError': 'InternalServiceFault',
    'InvalidAction': 'UnknownOperationException',
}
# JSON-protocol auth/availability codes -> their query-protocol names.
_QUERY_CODES = {
    'ExpiredTokenException': 'ExpiredToken',
    'UnrecognizedClientException': 'InvalidClientTokenId',
    'InvalidSignatureException': 'SignatureDoesNotMatch',
    'IncompleteSignatureException': 'IncompleteSignature',
    'MissingAuthenticationTokenException': 'MissingAuthenticationToken',
    'ThrottlingException': 'Throttling',
    'UnknownOperationException': 'InvalidAction',
}


class _Fail(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _invalid(message):
    return _Fail('InvalidParameterValue', message)


def _missing(name):
    return _Fail('MissingParameter', f'The parameter {name} is required.')


class _JsonFront:
    SERVICE = SERVICE
    PROTOCOL = JSON

    @staticmethod
    def action_of(req):
        target = req.header('X-Amz-Target') or ''
        prefix, _, op = target.partition('.')
        return op if prefix == TARGET and op else None

    @staticmethod
    def select(sim, req):
        config = sim.state.config()
        if config.get('cloudwatch_emulator'):
            return EMULATOR_JSON_FRONT if req.header('X-Amz-Target') else QUERY_FRONT
        return QUERY_FRONT if config.get('cloudwatch_xml_only') else JSON_FRONT

    @staticmethod
    def throttle_error(action):
        return 400, 'ThrottlingException', 'Rate exceeded'

    @staticmethod
    def shape_error(reply, status, code, message, headers):
        query_code = _QUERY_CODES.get(code, code)
        shape = _SHAPES.get(code, code)
        if code in _QUERY_CODES:
            namespace = 'com.amazon.coral.availability#' if code == 'ThrottlingException' \
                else 'com.amazon.coral.service#'
        else:
            namespace = 'com.amazonaws.cloudwatch#'
        if (reply.req.header('x-amzn-query-mode') or '').lower() == 'true':
            fault = 'Receiver' if status >= 500 else 'Sender'
            headers = headers + [('x-amzn-query-error', f'{query_code};{fault}')]
        body = json.dumps({'__type': namespace + shape, 'message': message}).encode()
        return Response(status, body, 'application/x-amz-json-1.0', headers)

    @staticmethod
    def handle(sim, req, reply, action, identity):
        try:
            op = _OPERATIONS.get(action)
            if op is None:
                raise _Fail('UnknownOperationException', f'Unknown operation {action}')
            try:
                body = req.json()
            except (ValueError, UnicodeDecodeError):
                raise _Fail('SerializationException', 'Unable to parse the request body') from None
            out = op(sim, body, region_of(req))
            return Response(200, json.dumps(_plain(out)).encode(), 'application/x-amz-json-1.0', [])
        except _Fail as fail:
            return reply.error(fail.status, fail.code, fail.message)


class _QueryFront:
    SERVICE = SERVICE
    PROTOCOL = QUERY
    XMLNS = XMLNS

    @staticmethod
    def action_of(req):
        return req.form().get('Action')

    @staticmethod
    def handle(sim, req, reply, action, identity):
        params = req.form()
        try:
            name = params.get('Action')
            if not name:
                raise _Fail('MissingAction', 'Missing Action')
            op = _OPERATIONS.get(name)
            if op is None:
                raise _Fail('InvalidAction', f'Could not find operation {name} for version {API_VERSION}')
            out = op(sim, unflatten(params), region_of(req))
            return query_response(name, out, req.request_id, XMLNS)
        except _Fail as fail:
            return reply.error(fail.status, fail.code, fail.message)


class _EmulatorJsonFront:
    """An emulator that serves only awsQuery: its web framework fails on an awsJson request
    and answers 500 with an HTML page, no error code (what some AWS emulators do)."""
    SERVICE = SERVICE
    PROTOCOL = JSON
    PAGE = (b'<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>'
            b'<body><h1>Internal Server Error</h1><p>The server encountered an internal error.</p>'
            b'</body></html>')

    action_of = _JsonFront.action_of

    @staticmethod
    def handle(sim, req, reply, action, identity):
        return Response(500, _EmulatorJsonFront.PAGE, 'text/html; charset=utf-8', [])


JSON_FRONT = _JsonFront()
QUERY_FRONT = _QueryFront()
EMULATOR_JSON_FRONT = _EmulatorJsonFront()


def _plain(value):
    """JSON form: timestamps stay epoch seconds."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}  # XmlMap included
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Stamp):
        return float(value)
    return value


# ---------------------------------------------------------------- inputs (both protocols)

def _int(value, name, low=None, high=None):
    if value is None:
        return None
    try:
        number = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or (isinstance(value, float) and value != int(value)):
        raise _invalid(f'The value {value} for parameter {name} is not a valid integer.')
    if (low is not None and number < low) or (high is not None and number > high):
        raise _invalid(f'The value {value} for parameter {name} is not valid: it must be between '
                       f'{low} and {high}.')
    return number


def _bool(value, default):
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() == 'true'


def _time(value, name):
    if value is None:
        raise _missing(name)
    ts = parse_time(value)
    if ts is None:
        raise _invalid(f'The parameter {name} must be a timestamp.')
    return ts


def _list(value, name):
    if value is None or value == '':
        return []  # awsQuery sends an empty list as `Name=`
    if not isinstance(value, list):
        raise _invalid(f'The parameter {name} must be a list.')
    return value


def _dims(raw, where):
    out = []
    for i, dim in enumerate(_list(raw, f'{where}.Dimensions'), 1):
        if not isinstance(dim, dict) or 'Name' not in dim or 'Value' not in dim:
            raise _missing(f'{where}.Dimensions.member.{i}.Name')
        out.append((str(dim['Name']), str(dim['Value'])))
    if len(out) > 30:
        raise _invalid(f'The collection {where}.Dimensions must not have a size greater than 30.')
    return out


# ---------------------------------------------------------------- GetMetricData

def _period_ok(period):
    return period in (1, 5, 10, 30) or (period >= 60 and period % 60 == 0)


def _get_metric_data(sim, body, region):
    queries = _list(body.get('MetricDataQueries'), 'MetricDataQueries')
    if not queries:
        raise _missing('MetricDataQueries')
    if len(queries) > MAX_QUERIES:
        raise _invalid(f'The collection MetricDataQueries must not have a size greater than {MAX_QUERIES}.')
    start = _time(body.get('StartTime'), 'StartTime')
    end = _time(body.get('EndTime'), 'EndTime')
    if end <= start:
        raise _invalid('The parameter StartTime must be less than the parameter EndTime.')
    scan_by = body.get('ScanBy') or 'TimestampDescending'
    if scan_by not in ('TimestampDescending', 'TimestampAscending'):
        raise _invalid(f'The value {scan_by} for parameter ScanBy is not valid.')
    budget = _int(body.get('MaxDatapoints'), 'MaxDatapoints', 1) or MAX_DATAPOINTS
    now = sim.now()
    parsed = []
    ids = set()
    for i, q in enumerate(queries, 1):
        where = f'MetricDataQueries.member.{i}'
        if not isinstance(q, dict):
            raise _invalid(f'The parameter {where} is not valid.')
        qid = q.get('Id')
        if not qid:
            raise _missing(f'{where}.Id')
        if not _ID_RE.match(str(qid)):
            raise _invalid(f'The value {qid} for parameter {where}.Id is not valid. It must start '
                           'with a lowercase letter and contain only letters, digits and underscores.')
        if qid in ids:
            raise _invalid(f'The value {qid} for parameter {where}.Id is not unique.')
        ids.add(qid)
        stat, expression = q.get('MetricStat'), q.get('Expression')
        if (stat is None) == (expression is None):
            raise _Fail('InvalidParameterCombination',
                        f'Exactly one element of the MetricStat or the Expression must be specified '
                        f'for the metric data query with Id {qid}.')
        entry = {'id': qid, 'label': q.get('Label'), 'return': _bool(q.get('ReturnData'), True)}
        if stat is not None:
            metric = stat.get('Metric') or {}
            for name in ('Namespace', 'MetricName'):
                if not metric.get(name):
                    raise _missing(f'{where}.MetricStat.Metric.{name}')
            period = _int(stat.get('Period'), f'{where}.MetricStat.Period', 1)
            if period is None:
                raise _missing(f'{where}.MetricStat.Period')
            if not _period_ok(period):
                raise _invalid(f'The parameter {where}.MetricStat.Period must be 1, 5, 10, 30 or a '
                               'multiple of 60.')
            name = stat.get('Stat')
            if not name:
                raise _missing(f'{where}.MetricStat.Stat')
            if not valid_stat(name):
                raise _invalid(f'The value {name} for parameter {where}.MetricStat.Stat is not supported.')
            entry.update(kind='stat', namespace=metric['Namespace'], metric=metric['MetricName'],
                         dims=_dims(metric.get('Dimensions'), f'{where}.MetricStat.Metric'),
                         period=period, stat=name)
        else:
            entry.update(kind='expr', expression=str(expression),
                         period=_int(q.get('Period'), f'{where}.Period', 1))
        parsed.append(entry)
    if not any(e['return'] for e in parsed):
        raise _invalid('At least one MetricDataQuery must have ReturnData set to true.')
    series = {}
    periods = [e['period'] for e in parsed if e['kind'] == 'stat']
    default_period = periods[0] if periods else 60
    aligned = align_start(start, now)
    for e in parsed:
        if e['kind'] == 'stat':
            series[e['id']] = dict(series_of(sim.app.metrics, e['namespace'], e['metric'], e['dims'],
                                             e['stat'], e['period'], start, end, now, aligned))
    grid = []
    t = aligned
    while t < end and len(grid) < MAX_DATAPOINTS:
        grid.append(t)
        t += default_period
    pending = [e for e in parsed if e['kind'] == 'expr']
    while pending:
        progress = False
        for e in list(pending):
            refs = set(re.findall(r'\b[a-z][a-zA-Z0-9_]*\b', e['expression'])) & ids
            if refs - set(series) - {e['id']}:
                continue
            series[e['id']] = _evaluate_expression(e, series, ids, grid)
            pending.remove(e)
            progress = True
        if not progress:
            raise _invalid(f'Error in expression {pending[0]["id"]}: Circular dependency between '
                           'metric data queries.')
    results = []
    for e in parsed:
        if not e['return']:
            continue
        points = sorted(series[e['id']].items(), reverse=scan_by == 'TimestampDescending')
        label = e['label'] or (e['metric'] if e['kind'] == 'stat' else e['id'])
        results.append({'id': e['id'], 'label': label, 'points': points})
    return _paginate(body, results, budget)


def _paginate(body, results, budget):
    fingerprint = h64(json.dumps({k: v for k, v in body.items() if k != 'NextToken'},
                                 sort_keys=True, default=str))
    index, offset = 0, 0
    token = body.get('NextToken')
    if token:
        state = decode_token(token, 'cw-gmd')
        if state is None or state.get('f') != fingerprint:
            raise _Fail('InvalidNextToken', 'The service returned an error with Error Code '
                                            'InvalidNextToken')
        index, offset = state['i'], state['o']
    out = []
    left = budget
    next_at = None
    for i, r in enumerate(results):
        if i < index:
            points = []
            status = 'Complete'
        else:
            begin = offset if i == index else 0
            remaining = r['points'][begin:]
            points = remaining[:left] if next_at is None else []
            left -= len(points)
            done = next_at is None and len(points) == len(remaining)
            status = 'Complete' if done else 'PartialData'
            if not done and next_at is None:
                next_at = (i, begin + len(points))
        if i < index:
            continue
        out.append({'Id': r['id'], 'Label': r['label'],
                    'Timestamps': [Stamp(ts) for ts, _ in points],
                    'Values': [v for _, v in points],
                    'StatusCode': status, 'Messages': []})
    result = {'MetricDataResults': out}
    if next_at is not None:
        result['NextToken'] = encode_token({'k': 'cw-gmd', 'f': fingerprint, 'i': next_at[0],
                                            'o': next_at[1]})
    result['Messages'] = []
    return result


# ---------------------------------------------------------------- metric math

_MATH_TOKEN = re.compile(r'\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/^(),\[\]]))')
_FUNCS = ('SUM', 'AVG', 'MIN', 'MAX', 'FILL', 'ABS', 'RATE', 'DIFF')


def _evaluate_expression(entry, series, ids, grid):
    text = entry['expression']
    toks, pos = [], 0
    while pos < len(text):
        m = _MATH_TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if not text[pos:].strip():
                break
            raise _invalid(f'Error in expression {entry["id"]}: Unsupported character '
                           f'"{text[pos:].strip()[0]}".')
        toks.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    state = {'i': 0}

    def fail(message):
        return _invalid(f'Error in expression {entry["id"]}: {message}')

    def peek():
        return toks[state['i']] if state['i'] < len(toks) else (None, None)

    def take(value=None):
        tok = peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            raise fail('Syntax error.')
        state['i'] += 1
        return tok

    def primary():
        kind, value = take()
        if kind == 'num':
            return float(value)
        if kind == 'op' and value == '(':
            inner = expr()
            take(')')
            return inner
        if kind == 'op' and value == '-':
            return _apply(lambda a: -a, primary())
        if kind == 'op' and value == '[':
            items = [expr()]
            while peek()[1] == ',':
                take()
                items.append(expr())
            take(']')
            return items
        if kind == 'name':
            if peek()[1] == '(':
                func = value.upper()
                if func not in _FUNCS:
                    raise fail(f'Unknown function {value}.')
                take('(')
                args = [expr()]
                while peek()[1] == ',':
                    take()
                    args.append(expr())
                take(')')
                return _function(func, args, grid, fail)
            if value not in ids:
                raise fail(f'Unrecognized metric identifier {value}.')
            if value == entry['id']:
                raise fail('An expression cannot refer to itself.')
            return dict(series[value])
        raise fail('Syntax error.')

    def power():
        left = primary()
        while peek()[1] == '^':
            take()
            left = _combine(left, primary(), lambda a, b: a ** b)
        return left

    def term():
        left = power()
        while peek()[1] in ('*', '/'):
            op = take()[1]
            right = power()
            left = _combine(left, right, (lambda a, b: a * b) if op == '*' else
                            (lambda a, b: a / b if b else math.nan))
        return left

    def expr():
        left = term()
        while peek()[1] in ('+', '-'):
            op = take()[1]
            right = term()
            left = _combine(left, right, (lambda a, b: a + b) if op == '+' else (lambda a, b: a - b))
        return left
    value = expr()
    if state['i'] != len(toks):
        raise fail('Syntax error.')
    if isinstance(value, list):
        raise fail('The expression must return a single time series.')
    if isinstance(value, float):
        return {t: value for t in grid}
    return {t: v for t, v in value.items() if not math.isnan(v)}


def _apply(fn, value):
    if isinstance(value, dict):
        return {t: fn(v) for t, v in value.items()}
    if isinstance(value, list):
        return [_apply(fn, v) for v in value]
    return fn(value)


def _combine(a, b, fn):
    if isinstance(a, dict) and isinstance(b, dict):
        return {t: fn(a[t], b[t]) for t in a if t in b}
    if isinstance(a, dict):
        return {t: fn(v, b) for t, v in a.items()}
    if isinstance(b, dict):
        return {t: fn(a, v) for t, v in b.items()}
    return fn(a, b)


def _function(func, args, grid, fail):
    if func in ('SUM', 'AVG', 'MIN', 'MAX'):
        if len(args) != 1:
            raise fail(f'{func} takes one argument.')
        arg = args[0]
        if isinstance(arg, dict):
            values = [v for v in arg.values()]
            if not values:
                return {}
            reduce = {'SUM': sum, 'AVG': lambda x: sum(x) / len(x), 'MIN': min, 'MAX': max}[func]
            return {t: reduce(values) for t in grid}
        members = [m for m in (arg if isinstance(arg, list) else [arg])]
        stamps = sorted({t for m in members if isinstance(m, dict) for t in m})
        out = {}
        for t in stamps:
            values = [m[t] if isinstance(m, dict) else m for m in members
                      if not isinstance(m, dict) or t in m]
            if values:
                out[t] = {'SUM': sum, 'AVG': lambda x: sum(x) / len(x), 'MIN': min, 'MAX': max}[func](values)
        return out
    if func == 'FILL':
        if len(args) != 2 or not isinstance(args[0], dict):
            raise fail('FILL takes a time series and a value.')
        fill = args[1]
        return {t: args[0].get(t, fill if not isinstance(fill, dict) else fill.get(t, math.nan))
                for t in grid}
    if func == 'ABS':
        return _apply(abs, args[0])
    if func in ('RATE', 'DIFF'):
        if not isinstance(args[0], dict):
            raise fail(f'{func} takes a time series.')
        stamps = sorted(args[0])
        out = {}
        for prev, cur in zip(stamps, stamps[1:]):
            delta = args[0][cur] - args[0][prev]
            out[cur] = delta / (cur - prev) if func == 'RATE' else delta
        return out
    raise fail(f'Unknown function {func}.')


# ---------------------------------------------------------------- GetMetricStatistics

def _get_metric_statistics(sim, body, region):
    for name in ('Namespace', 'MetricName', 'Period'):
        if body.get(name) in (None, ''):
            raise _missing(name)
    start = _time(body.get('StartTime'), 'StartTime')
    end = _time(body.get('EndTime'), 'EndTime')
    if end <= start:
        raise _invalid('The parameter StartTime must be less than the parameter EndTime.')
    period = _int(body.get('Period'), 'Period', 1)
    if not _period_ok(period):
        raise _invalid('The parameter Period must be 1, 5, 10, 30 or a multiple of 60.')
    stats = _list(body.get('Statistics'), 'Statistics')
    extended = _list(body.get('ExtendedStatistics'), 'ExtendedStatistics')
    if not stats and not extended:
        raise _Fail('InvalidParameterCombination', 'Must specify either Statistics or ExtendedStatistics.')
    for s in stats:
        if s not in ('SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'):
            raise _invalid(f'The value {s} for parameter Statistics is not valid.')
    for s in extended:
        if not valid_stat(s) or s in ('SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'):
            raise _invalid(f'The value {s} for parameter ExtendedStatistics is not valid.')
    now = sim.now()
    if (end - start) / period > MAX_STATISTICS_POINTS:
        raise _invalid('You have requested up to 1,441 datapoints, which exceeds the limit of '
                       f'{MAX_STATISTICS_POINTS}. You may reduce the datapoints requested by '
                       'increasing Period, or decreasing the time range.')
    dims = _dims(body.get('Dimensions'), 'GetMetricStatistics')
    aligned = align_start(start, now)
    columns = {}
    for stat in stats + extended:
        for ts, value in series_of(sim.app.metrics, body['Namespace'], body['MetricName'], dims,
                                   stat, period, start, end, now, aligned):
            columns.setdefault(ts, {})[stat] = value
    unit = body.get('Unit') or UNITS.get(body['MetricName'], 'None')
    points = []
    for ts in sorted(columns):
        point = {'Timestamp': Stamp(ts)}
        for stat in stats:
            if stat in columns[ts]:
                point[stat] = columns[ts][stat]
        point['Unit'] = unit
        if extended:
            point['ExtendedStatistics'] = XmlMap((s, columns[ts][s]) for s in extended if s in columns[ts])
        points.append(point)
    return {'Label': body['MetricName'], 'Datapoints': points}


# ---------------------------------------------------------------- ListMetrics

def _list_metrics(sim, body, region):
    wanted_dims = _list(body.get('Dimensions'), 'Dimensions')
    metrics = []
    for namespace, name, dims in sim.app.metrics.known():
        if body.get('Namespace') and namespace != body['Namespace']:
            continue
        if body.get('MetricName') and name != body['MetricName']:
            continue
        have = dict(dims)
        if any(d.get('Name') not in have or ('Value' in d and d['Value'] != have[d['Name']])
               for d in wanted_dims):
            continue
        metrics.append({'Namespace': namespace, 'MetricName': name,
                        'Dimensions': [{'Name': k, 'Value': v} for k, v in dims]})
    start = 0
    if body.get('NextToken'):
        state = decode_token(body['NextToken'], 'cw-list')
        if state is None:
            raise _Fail('InvalidNextToken', 'The service returned an error with Error Code InvalidNextToken')
        start = state['i']
    out = {'Metrics': metrics[start:start + LIST_METRICS_PAGE]}
    if start + LIST_METRICS_PAGE < len(metrics):
        out['NextToken'] = encode_token({'k': 'cw-list', 'i': start + LIST_METRICS_PAGE})
    return out


# ---------------------------------------------------------------- alarms

def _describe_alarms(sim, body, region):
    names = _list(body.get('AlarmNames'), 'AlarmNames')
    prefix = body.get('AlarmNamePrefix')
    if names and prefix:
        raise _Fail('InvalidParameterCombination',
                    'AlarmNamePrefix and AlarmNames cannot be specified at the same time.')
    types = _list(body.get('AlarmTypes'), 'AlarmTypes') or ['MetricAlarm']
    for t in types:
        if t not in ('MetricAlarm', 'CompositeAlarm', 'LogAlarm'):
            raise _invalid(f'The value {t} for parameter AlarmTypes is not valid.')
    state = body.get('StateValue')
    if state is not None and state not in ('OK', 'ALARM', 'INSUFFICIENT_DATA'):
        raise _invalid(f'The value {state} for parameter StateValue is not valid.')
    limit = _int(body.get('MaxRecords'), 'MaxRecords', 1, 100) or 50
    children_of = body.get('ChildrenOfAlarmName')
    parents_of = body.get('ParentsOfAlarmName')
    now = sim.now()
    alarms = sim.app.alarms
    rows = []
    if 'MetricAlarm' in types:
        rows += [('MetricAlarms', a['name'], a) for a in res.ALARMS]
    if 'CompositeAlarm' in types:
        rows += [('CompositeAlarms', a['name'], a) for a in res.COMPOSITE_ALARMS]
    rows.sort(key=lambda r: r[1])
    if names:
        rows = [r for r in rows if r[1] in names]
    if prefix:
        rows = [r for r in rows if r[1].startswith(prefix)]
    if children_of:
        parent = next((c for c in res.COMPOSITE_ALARMS if c['name'] == children_of), None)
        kids = set(re.findall(r'"([^"]+)"', parent['rule'])) if parent else set()
        rows = [r for r in rows if r[1] in kids]
    if parents_of:
        rows = [r for r in rows if r[0] == 'CompositeAlarms' and f'"{parents_of}"' in r[2]['rule']]
    described = []
    for kind, name, alarm in rows:
        entry = alarms.describe_metric(alarm, region, now) if kind == 'MetricAlarms' \
            else alarms.describe_composite(alarm, region, now)
        if state is None or entry['StateValue'] == state:
            described.append((kind, entry))
    start = 0
    if body.get('NextToken'):
        token = decode_token(body['NextToken'], 'cw-alarms')
        if token is None:
            raise _Fail('InvalidNextToken', 'The service returned an error with Error Code InvalidNextToken')
        start = token['i']
    page = described[start:start + limit]
    out = {'MetricAlarms': [], 'CompositeAlarms': []}
    for kind, entry in page:
        for key in ('AlarmConfigurationUpdatedTimestamp', 'StateUpdatedTimestamp',
                    'StateTransitionedTimestamp'):
            entry[key] = Stamp(entry[key])
        out[kind].append(entry)
    if start + limit < len(described):
        out['NextToken'] = encode_token({'k': 'cw-alarms', 'i': start + limit})
    return out


def _list_tags(sim, body, region):
    arn = body.get('ResourceARN')
    if not arn:
        raise _missing('ResourceARN')
    for alarm in res.ALARMS + res.COMPOSITE_ALARMS:
        if arn == res.alarm_arn(region, alarm['name']):
            return {'Tags': [{'Key': k, 'Value': v} for k, v in res.TAGS.items()]}
    raise _Fail('ResourceNotFoundException', 'The specified resource does not exist.', 404)


_OPERATIONS = {
    'GetMetricData': _get_metric_data,
    'GetMetricStatistics': _get_metric_statistics,
    'ListMetrics': _list_metrics,
    'DescribeAlarms': _describe_alarms,
    'ListTagsForResource': _list_tags,
}

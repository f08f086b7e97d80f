"""CloudWatch metrics of the feedback application.

Every metric has a baseline computed from the seed and the minute alone (so a past
window always gives the same numbers), plus what the simulator itself ran in that minute
(synthetic traffic and Invoke calls). A minute's data is an aggregate: sample count,
sum, minimum, maximum and a weighted set of sample values from which percentiles come.
Incidents (15-minute windows picked by the seed) raise errors, latency and throttling,
which is what moves the alarms.
"""
import math
import threading
from statistics import NormalDist

from . import resources as res
from .util import SEED, unit

# Probability grid for distribution metrics, and the mass each point stands for.
_GRID = [0.005, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99,
         0.995, 0.999]
_Z = [NormalDist().inv_cdf(p) for p in _GRID]
_MASS = []
for _k, _p in enumerate(_GRID):
    _lo = 0.0 if _k == 0 else (_GRID[_k - 1] + _p) / 2
    _hi = 1.0 if _k == len(_GRID) - 1 else (_p + _GRID[_k + 1]) / 2
    _MASS.append(_hi - _lo)

INCIDENT_WINDOW = 15  # minutes


class Agg:
    """One metric's data for one minute (or a merged period)."""
    __slots__ = ('count', 'total', 'low', 'high', 'dist')

    def __init__(self, count, total, low, high, dist):
        self.count, self.total, self.low, self.high, self.dist = count, total, low, high, dist

    def merge(self, other):
        if other is None:
            return self
        return Agg(self.count + other.count, self.total + other.total, min(self.low, other.low),
                   max(self.high, other.high), self.dist + other.dist)

    def absorb(self, other):
        """Merge in place (only for aggregates nobody else holds)."""
        self.count += other.count
        self.total += other.total
        self.low = min(self.low, other.low)
        self.high = max(self.high, other.high)
        index = {v: k for k, (v, _) in enumerate(self.dist)} if len(self.dist) < 64 else None
        for value, weight in other.dist:
            k = index.get(value) if index is not None else None
            if k is not None:
                self.dist[k] = (value, self.dist[k][1] + weight)
            else:
                self.dist.append((value, weight))


def counter(n, value=1.0):
    """n samples of the same value (Invocations, Count)."""
    if n <= 0:
        return None
    return Agg(n, n * value, value, value, [(value, n)])


def ratio(n, hits):
    """n samples of 0 or 1 (Errors, 4XXError): Sum = hits, Average = rate."""
    if n <= 0:
        return None
    hits = min(hits, n)
    dist = [(0.0, n - hits)] if hits < n else []
    if hits:
        dist.append((1.0, hits))
    return Agg(n, float(hits), 0.0 if hits < n else 1.0, 1.0 if hits else 0.0, dist)


def lognormal(n, median, sigma, cap=None):
    """n samples from a log-normal distribution, described by grid quantiles."""
    if n <= 0:
        return None
    mu = math.log(median)
    values = [math.exp(mu + sigma * z) for z in _Z]
    if cap is not None:
        values = [min(v, cap) for v in values]
    mean = math.exp(mu + sigma * sigma / 2)
    if cap is not None:
        mean = min(mean, cap)
    dist = [(round(v, 2), n * m) for v, m in zip(values, _MASS)]
    return Agg(n, round(n * mean, 2), round(values[0], 2), round(values[-1], 2), dist)


def gauge(value):
    return Agg(1, float(value), float(value), float(value), [(float(value), 1)])


def sample(value):
    return Agg(1, float(value), float(value), float(value), [(float(value), 1)])


def statistic(agg, stat):
    """Value of a statistic (Sum, Average, pNN, ...) or None when there is no data."""
    if agg is None or agg.count <= 0:
        return None
    if stat == 'Sum':
        return agg.total
    if stat == 'SampleCount':
        return float(agg.count)
    if stat == 'Average':
        return agg.total / agg.count
    if stat == 'Minimum':
        return agg.low
    if stat == 'Maximum':
        return agg.high
    if stat.startswith('p'):
        return percentile(agg.dist, float(stat[1:]) / 100)
    if stat == 'IQM':
        return trimmed_mean(agg.dist, 0.25, 0.75)
    if stat.startswith('tm'):
        return trimmed_mean(agg.dist, 0.0, float(stat[2:]) / 100)
    raise ValueError(stat)


def valid_stat(stat):
    if stat in ('Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum', 'IQM'):
        return True
    for prefix in ('p', 'tm'):
        if stat.startswith(prefix):
            try:
                value = float(stat[len(prefix):])
            except ValueError:
                return False
            return 0 < value <= 100 and stat[len(prefix):].replace('.', '', 1).isdigit()
    return False


def percentile(dist, p):
    points = sorted(dist)
    total = sum(w for _, w in points)
    if total <= 0:
        return None
    need = p * total
    acc = 0.0
    for value, weight in points:
        acc += weight
        if acc >= need - 1e-9:
            return value
    return points[-1][0]


def trimmed_mean(dist, lo, hi):
    points = sorted(dist)
    total = sum(w for _, w in points)
    if total <= 0:
        return None
    a, b = lo * total, hi * total
    acc = s = used = 0.0
    for value, weight in points:
        start, end = acc, acc + weight
        acc = end
        take = max(0.0, min(end, b) - max(start, a))
        s += take * value
        used += take
    return s / used if used else None


# ---------------------------------------------------------------- the application model

def incident(minute):
    """Whether this minute is inside a seeded incident window."""
    return unit(SEED, 'incident', minute // INCIDENT_WINDOW) < 0.22


def diurnal(minute):
    phase = (minute % 1440) / 1440.0
    return 0.45 + 0.55 * (0.5 + 0.5 * math.sin(2 * math.pi * (phase - 0.3)))


def _rnd(*parts):
    return unit(SEED, *parts)


def _poisson_like(mean, u):
    """Deterministic integer near mean (noise from u in [0,1))."""
    if mean <= 0:
        return 0
    spread = math.sqrt(mean)
    return max(0, int(round(mean + spread * NormalDist().inv_cdf(min(max(u, 1e-6), 1 - 1e-6)))))


_WORKERS = [f.name for f in res.FUNCTIONS if f.name.startswith('worker-')]


class Model:
    """Per-minute activity of each resource, from the seed."""

    def __init__(self):
        self._cache = {}
        self._lock = threading.Lock()

    def lambda_minute(self, fn, m):
        key = ('lambda', fn, m)
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        bad = incident(m)
        d = diurnal(m)
        u = _rnd('lam', fn, m)
        if fn == 'submit-feedback':
            n = _poisson_like(28 * d, u)
            errors = int(n * (0.3 if bad else 0.01) + _rnd('lamerr', fn, m) * (3 if bad else 1.2))
            throttles = int(_rnd('thr', fn, m) * 4) if bad else 0
            median, sigma = (140.0 if bad else 42.0), 0.55
        elif fn == 'spam-filter':
            n = _poisson_like(25 * d, u)
            errors = int(n * 0.04 + _rnd('lamerr', fn, m) * 1.5)
            throttles = 0
            median, sigma = 14.0, 0.5
        elif fn == 'export-feedback':
            n = (1 if m % 5 == 0 else 0) + (1 if bad and m % 2 == 0 else 0)
            errors = 1 if n and bad and _rnd('lamerr', fn, m) < 0.3 else 0
            throttles = 0
            median, sigma = (26000.0 if bad else 7800.0), 0.45
        else:
            active = _rnd('worker-active', fn, m // 10) < 0.35
            n = _poisson_like(6 * d, u) if active else 0
            errors = 1 if n and _rnd('lamerr', fn, m) < 0.05 else 0
            throttles = 0
            median = 80.0 + 900.0 * _rnd('worker-speed', fn)
            sigma = 0.6
        timeout_ms = res.FUNCTIONS_BY_NAME[fn].timeout * 1000.0
        median *= 0.8 + 0.4 * _rnd('median', fn, m)
        out = (n, min(errors, n), throttles, median, sigma, timeout_ms)
        with self._lock:
            if len(self._cache) > 200000:
                self._cache.clear()
            self._cache[key] = out
        return out

    def lambda_metric(self, fn, metric, m):
        n, errors, throttles, median, sigma, timeout_ms = self.lambda_minute(fn, m)
        if metric == 'Invocations':
            return counter(n)
        if metric == 'Errors':
            return ratio(n, errors)
        if metric == 'Throttles':
            return ratio(n + throttles, throttles) if throttles or n else None
        if metric == 'Duration':
            return lognormal(n, median, sigma, cap=timeout_ms)
        if metric == 'ConcurrentExecutions':
            if not n:
                return None
            return gauge(max(1, math.ceil(n * median / 60000.0 * 2.5)))
        return None

    def api_minute(self, kind, m):
        """(count, 4xx, 5xx, integration median) for the REST ('rest') or HTTP ('http') API."""
        n, errors, _, median, _, _ = self.lambda_minute('submit-feedback', m)
        share = 0.75 if kind == 'rest' else 0.25
        extra = _poisson_like(4 * diurnal(m), _rnd('apiextra', kind, m)) if kind == 'rest' else 2
        count = int(round(n * share)) + extra
        c5 = int(round(errors * share))
        c4 = int(count * 0.03 + _rnd('api4xx', kind, m) * 1.5)
        return count, min(c4, count), min(c5, count), median

    def api_metric(self, kind, metric, m):
        count, c4, c5, median = self.api_minute(kind, m)
        four, five = ('4XXError', '5XXError') if kind == 'rest' else ('4xx', '5xx')
        if metric == 'Count':
            return counter(count)
        if metric == four:
            return ratio(count, c4)
        if metric == five:
            return ratio(count, c5)
        if metric == 'Latency':
            return lognormal(count, median + 18.0, 0.5)
        if metric == 'IntegrationLatency':
            return lognormal(count, median + 4.0, 0.55)
        if metric == 'DataProcessed' and kind == 'http':
            return counter(count, 730.0) if count else None
        return None

    def table_minute(self, table, m):
        """{operation: (requests, median latency ms, throttled, system errors, returned items)},
        consumed read units, consumed write units, read throttles, write throttles."""
        bad = incident(m)
        if table == 'Feedback':
            n, errors, _, _, _, _ = self.lambda_minute('submit-feedback', m)
            exports, _, _, _, _, _ = self.lambda_minute('export-feedback', m)
            puts = max(0, n - errors)
            gets = _poisson_like(3 * diurnal(m), _rnd('gets', m))
            queries = exports * 8
            scans = exports * 2
            wthr = int(puts * 0.12) + (1 if puts else 0) if bad else 0
            ops = {
                'PutItem': (puts, 6.2, wthr, 1 if bad and _rnd('sys', m) < 0.2 else 0, 0),
                'GetItem': (gets, 3.4, 0, 0, gets),
                'Query': (queries, 11.0, 0, 0, queries * 25),
                'Scan': (scans, 38.0, 0, 0, scans * 120),
                'BatchGetItem': (exports, 9.0, 0, 0, exports * 40),
            }
            read = gets * 0.5 + queries * 4.0 + scans * 64.0 + exports * 20.0
            write = float(puts)
            return ops, read, write, 0, wthr
        exports, _, _, _, _, _ = self.lambda_minute('export-feedback', m)
        ops = {'PutItem': (exports, 5.5, 0, 0, 0), 'GetItem': (exports, 3.0, 0, 0, exports)}
        return ops, exports * 0.5, float(exports), 0, 0

    def table_metric(self, table, metric, dims, m):
        ops, read, write, rthr, wthr = self.table_minute(table, m)
        op = dims.get('Operation')
        gsi = dims.get('GlobalSecondaryIndexName')
        if metric in ('ProvisionedReadCapacityUnits', 'ProvisionedWriteCapacityUnits'):
            return gauge(5.0) if table == 'FeedbackStats' and not gsi else None
        if metric in ('ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits'):
            units = read if metric.startswith('ConsumedRead') else write
            if gsi:
                units = units * 0.3 if metric.startswith('ConsumedRead') else write
            requests = sum(v[0] for v in ops.values())
            if units <= 0 or requests <= 0:
                return None
            return Agg(requests, units, 0.5, max(1.0, units), [(units / requests, requests)])
        if metric in ('ReadThrottleEvents', 'WriteThrottleEvents'):
            value = rthr if metric.startswith('Read') else wthr
            return counter(value) if value else None
        if op is None or op not in ops:
            return None
        requests, median, throttled, syserr, returned = ops[op]
        if metric == 'SuccessfulRequestLatency':
            median *= 0.8 + 0.4 * _rnd('ddbmedian', table, op, m)
            return lognormal(requests - throttled - syserr, median, 0.4)
        if metric == 'ThrottledRequests':
            return counter(throttled) if throttled else None
        if metric == 'SystemErrors':
            return counter(syserr) if syserr else None
        if metric == 'ReturnedItemCount':
            if not requests:
                return None
            per = returned / requests
            return Agg(requests, float(returned), 0.0, per * 2, [(per, requests)])
        return None

    def user_errors(self, m):
        value = int(_rnd('usererr', m) * (4 if incident(m) else 1.6))
        return counter(value) if value else None


# ---------------------------------------------------------------- catalog

LAMBDA_METRICS = ('Invocations', 'Errors', 'Throttles', 'Duration', 'ConcurrentExecutions')
REST_METRICS = ('Count', '4XXError', '5XXError', 'Latency', 'IntegrationLatency')
HTTP_METRICS = ('Count', '4xx', '5xx', 'Latency', 'IntegrationLatency', 'DataProcessed')
TABLE_METRICS = ('ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits',
                 'ReadThrottleEvents', 'WriteThrottleEvents')
OP_METRICS = ('SuccessfulRequestLatency', 'ThrottledRequests', 'SystemErrors')
UNITS = {'Invocations': 'Count', 'Errors': 'Count', 'Throttles': 'Count',
         'Duration': 'Milliseconds', 'ConcurrentExecutions': 'Count', 'Count': 'Count',
         '4XXError': 'Count', '5XXError': 'Count', '4xx': 'Count', '5xx': 'Count',
         'Latency': 'Milliseconds', 'IntegrationLatency': 'Milliseconds', 'DataProcessed': 'Bytes',
         'SuccessfulRequestLatency': 'Milliseconds'}


def catalog():
    """Every (namespace, metric name, dims tuple) the application publishes."""
    out = []
    for fn in res.FUNCTIONS:
        for metric in LAMBDA_METRICS:
            out.append(('AWS/Lambda', metric, (('FunctionName', fn.name),)))
    for metric in ('ConcurrentExecutions', 'UnreservedConcurrentExecutions'):
        out.append(('AWS/Lambda', metric, ()))
    for metric in REST_METRICS:
        out.append(('AWS/ApiGateway', metric, (('ApiName', 'feedback-api'),)))
        out.append(('AWS/ApiGateway', metric, (('ApiName', 'feedback-api'), ('Stage', 'prod'))))
    for metric in HTTP_METRICS:
        out.append(('AWS/ApiGateway', metric, (('ApiId', res.HTTP_API_ID),)))
        out.append(('AWS/ApiGateway', metric, (('ApiId', res.HTTP_API_ID), ('Stage', '$default'))))
    for table in ('Feedback', 'FeedbackStats'):
        for metric in TABLE_METRICS:
            out.append(('AWS/DynamoDB', metric, (('TableName', table),)))
        if table == 'FeedbackStats':
            for metric in ('ProvisionedReadCapacityUnits', 'ProvisionedWriteCapacityUnits'):
                out.append(('AWS/DynamoDB', metric, (('TableName', table),)))
        ops = ('PutItem', 'GetItem', 'Query', 'Scan', 'BatchGetItem') if table == 'Feedback' \
            else ('PutItem', 'GetItem')
        for op in ops:
            for metric in OP_METRICS:
                out.append(('AWS/DynamoDB', metric, (('Operation', op), ('TableName', table))))
            if op in ('Query', 'Scan'):
                out.append(('AWS/DynamoDB', 'ReturnedItemCount', (('Operation', op), ('TableName', table))))
    for metric in ('ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits'):
        out.append(('AWS/DynamoDB', metric, (('GlobalSecondaryIndexName', 'ByStatus'),
                                             ('TableName', 'Feedback'))))
    out.append(('AWS/DynamoDB', 'UserErrors', ()))
    return out


class Metrics:
    """Baseline model plus overlay of what the simulator ran, per (metric, minute)."""

    def __init__(self):
        self.model = Model()
        self.lock = threading.Lock()
        self.overlay = {}
        self._catalog = None
        self._base = {}

    def reset(self):
        with self.lock:
            self.overlay = {}

    def known(self):
        if self._catalog is None:
            self._catalog = catalog()
        return self._catalog

    def add(self, namespace, metric, dims, minute, agg):
        key = (namespace, metric, tuple(sorted(dims)), minute)
        with self.lock:
            mine = self.overlay.get(key)
            if mine is None:
                self.overlay[key] = Agg(agg.count, agg.total, agg.low, agg.high, list(agg.dist))
            else:
                mine.absorb(agg)

    def minute(self, namespace, metric, dims, m, now_minute, now_fraction=1.0):
        """Aggregate for one metric (dims: sorted tuple of pairs) and minute, or None."""
        if m > now_minute:
            return None
        # The minute in progress has only what the simulator itself ran so far (AWS
        # publishes a minute's aggregate after it ends).
        base = None
        if m < now_minute:
            key = (namespace, metric, dims, m)
            base = self._base.get(key, self)
            if base is self:
                base = self._baseline(namespace, metric, dims, m)
                if len(self._base) > 400000:
                    self._base.clear()
                self._base[key] = base
        with self.lock:
            extra = self.overlay.get((namespace, metric, dims, m))
            if extra is not None:
                extra = Agg(extra.count, extra.total, extra.low, extra.high, list(extra.dist))
        if base is None:
            return extra
        return base.merge(extra) if extra is not None else base

    def _baseline(self, namespace, metric, dims, m):
        d = dict(dims)
        model = self.model
        if namespace == 'AWS/Lambda':
            if set(d) == {'FunctionName'} and d['FunctionName'] in res.FUNCTIONS_BY_NAME:
                return model.lambda_metric(d['FunctionName'], metric, m)
            if not d and metric in ('ConcurrentExecutions', 'UnreservedConcurrentExecutions'):
                total = 0.0
                for fn in res.FUNCTIONS:
                    agg = model.lambda_metric(fn.name, 'ConcurrentExecutions', m)
                    total += agg.high if agg else 0.0
                return gauge(total) if total else None
            return None
        if namespace == 'AWS/ApiGateway':
            if d.get('ApiName') == 'feedback-api' and set(d) <= {'ApiName', 'Stage'} and \
                    d.get('Stage', 'prod') == 'prod':
                return model.api_metric('rest', metric, m)
            if d.get('ApiId') == res.HTTP_API_ID and set(d) <= {'ApiId', 'Stage'} and \
                    d.get('Stage', '$default') == '$default':
                return model.api_metric('http', metric, m)
            return None
        if namespace == 'AWS/DynamoDB':
            if not d:
                return model.user_errors(m) if metric == 'UserErrors' else None
            table = d.get('TableName')
            if table not in ('Feedback', 'FeedbackStats') or metric == 'UserErrors':
                return None
            keys = set(d)
            if metric in TABLE_METRICS or metric.startswith('Provisioned'):
                if keys == {'TableName'} or (keys == {'TableName', 'GlobalSecondaryIndexName'} and
                                             table == 'Feedback' and
                                             d['GlobalSecondaryIndexName'] == 'ByStatus' and
                                             metric.startswith('Consumed')):
                    return model.table_metric(table, metric, d, m)
                return None
            if keys == {'TableName', 'Operation'}:
                if metric == 'ReturnedItemCount' and d['Operation'] not in ('Query', 'Scan'):
                    return None
                return model.table_metric(table, metric, d, m)
            return None
        return None


# ---------------------------------------------------------------- queries

DAY = 86400
RETENTION = ((15 * DAY, 60), (63 * DAY, 300), (455 * DAY, 3600))


def align_start(start, now):
    """GetMetricData's rounding of StartTime: to the minute under 15 days old, to 5 minutes
    up to 63 days, to the hour beyond."""
    age = now - start
    step = 60 if age < 15 * DAY else 300 if age < 63 * DAY else 3600
    return int(start // step * step)


def _available(period, minute_ts, now):
    """Whether data of this age still exists at this period's resolution."""
    age = now - minute_ts
    for limit, smallest in RETENTION:
        if age < limit:
            return period >= smallest
    return False


def series_of(metrics, namespace, name, dims, stat, period, start, end, now, aligned=None):
    """[(bucket start, value)] in time order for buckets starting in [start, end)."""
    dims = tuple(sorted(dims))
    first = aligned if aligned is not None else align_start(start, now)
    now_minute = int(now // 60)
    fraction = (now % 60) / 60.0
    out = []
    if period < 60 or period % 60:
        return out  # standard-resolution metrics have nothing finer than a minute
    t = first
    while t < end:
        agg = None
        m_end = min(t + period, end)
        minute = t // 60
        while minute * 60 < m_end:
            if minute > now_minute:
                break
            if _available(period, minute * 60, now):
                one = metrics.minute(namespace, name, dims, minute, now_minute, fraction)
                if one is not None:
                    agg = one if agg is None else agg.merge(one)
            minute += 1
        value = statistic(agg, stat) if agg is not None else None
        if value is not None:
            out.append((t, float(value)))
        t += period
        if t // 60 > now_minute + 1:
            break
    return out

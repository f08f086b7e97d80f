"""The feedback application: the state behind Lambda, DynamoDB, Logs, CloudWatch, API
Gateway, tagging and CloudFormation, rebuilt deterministically on reset.

Synthetic traffic is a function of the second it happens in (seeded), so the same
window always holds the same invocations. Its log events become visible at their
ingestionTime (a little after their timestamp, in ingestion order, as CloudWatch Logs
shows them): every Logs call first catches up to "now", and once someone has looked, a
background thread does too (Live Tail). Until the first reader after a reset nothing is
generated, so resets stay cheap for tests that never look at logs. Lambda Invoke writes
its lines at once, timestamped as if the run had just ended. POST /_sim/traffic changes
the rate or pauses it; paused time is skipped, not made up later.
"""
import calendar
import gc
import heapq
import random
import re
import threading
import time
from decimal import Decimal

from . import items as seed_items
from . import logfill
from . import metrics as mx
from . import resources as res
from .alarms import Alarms
from .ddb import Index, Table, key_sort_value
from .logstore import LogStore
from .metrics import Metrics
from .runtime import Runtime, api_access_line, api_log_lines, synthetic_second
from .util import DEFAULT_REGION, SEED, h64, iso_ms

DEFAULT_ITEMS = 250
DEFAULT_RATE = 2.0          # invocations per second
BACKFILL_SECONDS = 600      # synthetic history present right after a reset
MAX_CATCH_UP = 600          # longest stretch generated at once (after a clock jump)
TICK_SECONDS = 0.25
MAX_GROUP_EVENTS = 300_000  # older events are forgotten beyond this (per log group)
MAX_ITEMS = 1_000_000


class Scenario:
    def __init__(self, sim):
        self.sim = sim
        self.lock = threading.RLock()       # guards generation and scenario settings
        self.logs = LogStore()
        self.metrics = Metrics()
        self.alarms = Alarms(self.metrics)
        self.runtime = Runtime(self)
        self.tables = {}
        self.queries = {}
        self.sessions = 0
        self._pending_seq = 0
        self._thread = None
        self._stop = threading.Event()
        self.reset()

    # ------------------------------------------------------------ lifecycle
    def reset(self, feedback_items=DEFAULT_ITEMS):
        with self.lock:
            self.rate = DEFAULT_RATE
            self.paused = False
            self.paused_at = None
            self.paused_at_ms = None
            self.pending = []   # heap of synthetic log events not ingested yet
            self.feedback_items = feedback_items
            self.extra_tables = 0
            res.set_function_count(res.DEFAULT_FUNCTIONS)
            self.logs.reset()
            self.metrics.reset()
            self.alarms.reset()
            self.runtime.reset()
            self.queries = {}
            self._build_tables(feedback_items)
            created = int(res.DEPLOYED_AT * 1000)
            for name in res.LAMBDA_LOG_GROUPS:
                self.logs.create_group(name, created + h64(SEED, 'lg', name) % 60000, 14, res.TAGS)
            self.logs.create_group(res.API_LOG_GROUP, created + 120000, None, res.TAGS)
            self.logs.create_group(res.ACCESS_LOG_GROUP, created + 120000, 30, res.TAGS)
            self.generated_until = int(self.sim.now()) - BACKFILL_SECONDS
            self.active = False

    def reseed(self, feedback_items):
        with self.lock:
            self._build_tables(feedback_items)
            self.feedback_items = feedback_items

    def _build_tables(self, count):
        # Building 100,000 items makes millions of small objects: keep the cyclic GC
        # from rescanning them over and over meanwhile (it costs seconds otherwise).
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._make_tables(count)
        finally:
            if enabled:
                gc.enable()

    def _make_tables(self, count):
        feedback = Table('Feedback', {'feedbackId': 'S', 'createdAt': 'S', 'status': 'S'},
                         'feedbackId', 'createdAt', billing='PAY_PER_REQUEST',
                         indexes=[Index('ByStatus', 'status', 'createdAt')], stream=True,
                         created=res.DEPLOYED_AT + 12.345,
                         table_id=res.det_uuid(SEED, 'table', 'Feedback'))
        feedback.load(seed_items.generate(count))
        stats = Table('FeedbackStats', {'day': 'S'}, 'day', billing='PROVISIONED', read_units=5,
                      write_units=5, created=res.DEPLOYED_AT + 14.5,
                      table_id=res.det_uuid(SEED, 'table', 'FeedbackStats'))
        stats.load(seed_items.stats_items())
        self.tables = {'Feedback': feedback, 'FeedbackStats': stats}
        self.tables.update(self._filler_tables(self.extra_tables))

    @staticmethod
    def _filler_tables(count):
        """Empty on-demand tables of the workers, for benchmarks at scale."""
        out = {}
        for i in range(1, count + 1):
            name = f'worker-table-{i:03d}'
            out[name] = Table(name, {'pk': 'S'}, 'pk', billing='PAY_PER_REQUEST',
                              created=res.DEPLOYED_AT + 20 + i, table_id=res.det_uuid(SEED, 'table', name))
        return out

    def scale(self, functions=None, tables=None):
        """Set how many functions and tables the account holds (at least the defaults:
        the feedback application's resources stay as they are)."""
        with self.lock:
            if functions is not None:
                res.set_function_count(functions)
            if tables is not None:
                for name in [n for n in self.tables if n.startswith('worker-table-')]:
                    del self.tables[name]
                self.extra_tables = tables - 2
                self.tables.update(self._filler_tables(self.extra_tables))

    def scale_state(self):
        return {'functions': len(res.FUNCTIONS), 'tables': len(self.tables)}

    def start(self):
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name='traffic', daemon=True)
            self._thread.start()

    def stop(self):
        self._stop.set()

    def _run(self):
        while not self._stop.wait(TICK_SECONDS):
            try:
                self.catch_up(reader=False)
            except Exception:  # keep the thread alive; the log tells what went wrong
                self.sim.log.exception('synthetic traffic failed')

    # ------------------------------------------------------------ traffic
    def set_traffic(self, rate=None, paused=None):
        with self.lock:
            self.catch_up(reader=self.active)
            if rate is not None:
                self.rate = float(rate)
            if paused is not None and bool(paused) != self.paused:
                if paused:
                    # History up to now stays (generated when first read); nothing after.
                    # Lines still waiting for their ingestion time are ingested at once, so
                    # that a paused group no longer changes under a reader.
                    # Traffic is made a second at a time, so the current second's later
                    # invocations already wait in `pending`: they are dropped, so that every
                    # line a test writes after pausing is the newest of its group.
                    now = self.sim.now()
                    self.paused_at = int(now)
                    self.paused_at_ms = int(now * 1000)
                    self._ingest_pending(float('inf'), drop_after=self.paused_at_ms)
                else:
                    self.catch_up(reader=self.active)  # the paused stretch is skipped
                    self.generated_until = max(self.generated_until, int(self.sim.now()))
                self.paused = bool(paused)
            return self.traffic_state()

    def _ingest_pending(self, horizon, drop_after=None):
        with self.logs.lock:
            while self.pending and self.pending[0][0] <= horizon:
                ingest, _, group, stream, ts, message = heapq.heappop(self.pending)
                if drop_after is None or ts <= drop_after:
                    self.logs.append(group, stream, ts, message, ingest)

    def traffic_state(self):
        return {'rate': self.rate, 'paused': self.paused, 'active': self.active,
                'generated_until': self.generated_until}

    def catch_up(self, reader=True):
        """Generate synthetic traffic for every second that is due (readers of logs and
        metrics call this first; the background thread only once someone has read)."""
        with self.lock:
            if not reader and not self.active:
                return
            self.active = True
            now = self.sim.now()
            # Invocations are made a second at a time, up to the current one; their events
            # wait in `pending` until their ingestion time has come.
            target = int(now)
            if target > self.generated_until:
                limit = min(target, self.paused_at) if self.paused else target
                start = max(self.generated_until + 1, limit - MAX_CATCH_UP + 1)
                for sec in range(start, limit + 1):
                    for inv, api in synthetic_second(self.runtime, sec, self.rate):
                        self.record(inv, api, pending=True)
                # Paused, nothing past the pause is made: a clock moved ahead meanwhile (a
                # skew test) must not leave the seconds it skipped counted as made.
                self.generated_until = max(self.generated_until, limit) if self.paused else target
            # History made after a pause (by its first reader) must not trickle in later:
            # while paused, nothing waits for its ingestion time.
            if self.paused:
                self._ingest_pending(float('inf'), drop_after=self.paused_at_ms)
            else:
                self._ingest_pending(int(now * 1000))
            with self.logs.lock:
                for group in self.logs.groups.values():
                    cap = group.cap or MAX_GROUP_EVENTS
                    if len(group.events) > cap * 1.1:
                        group.trim(cap)

    # ------------------------------------------------------------ invocations
    def _emit(self, pending, group, stream, ts, message, ingest):
        if pending:
            self._pending_seq += 1
            heapq.heappush(self.pending, (ingest, self._pending_seq, group, stream, ts, message))
        else:
            self.logs.append(group, stream, ts, message, ingest)

    def record(self, inv, api=None, pending=False):
        """Write an invocation's log lines and metrics (and its API Gateway side); with
        `pending` the lines wait for their ingestion time."""
        fn = inv.fn.name
        group = inv.fn.log_group
        if group not in self.logs.groups:
            # Lambda creates a missing group itself: no retention, no tags.
            self.logs.create_group(group, inv.start_ms - 1000, None, None)
        delay = 180 + h64(SEED, 'ingest', inv.request_id) % 700
        for ts, message in inv.lines:
            self._emit(pending, group, inv.stream, ts, message, ts + delay)
        minute = inv.start_ms // 60000
        dims = (('FunctionName', fn),)
        failed = inv.status != 'ok'
        self.metrics.add('AWS/Lambda', 'Invocations', dims, minute, mx.counter(1))
        self.metrics.add('AWS/Lambda', 'Errors', dims, minute, mx.ratio(1, 1 if failed else 0))
        self.metrics.add('AWS/Lambda', 'Duration', dims, minute, mx.sample(inv.duration))
        if api is not None:
            self._record_api(inv, api, minute, pending)
        if inv.stored is not None:
            for d in ((('TableName', 'Feedback'),),
                      (('GlobalSecondaryIndexName', 'ByStatus'), ('TableName', 'Feedback'))):
                self.metrics.add('AWS/DynamoDB', 'ConsumedWriteCapacityUnits', d, minute, mx.sample(1.0))
            self.metrics.add('AWS/DynamoDB', 'SuccessfulRequestLatency',
                             (('Operation', 'PutItem'), ('TableName', 'Feedback')), minute, mx.sample(5.1))

    def _record_api(self, inv, api, minute, pending):
        if api == 'rest':
            lines, status = api_log_lines(inv, res.REST_API_ID)
            stream = res.hex_id(SEED, 'apistream', (inv.start_ms // 1000) // 1200)
            delay = 250 + h64(SEED, 'apiingest', inv.request_id) % 500
            for ts, message in lines:
                self._emit(pending, res.API_LOG_GROUP, stream, ts, message, ts + delay)
            # Access logs go to one stream per stage, named after the stage's id.
            ts, message = api_access_line(inv)
            self._emit(pending, res.ACCESS_LOG_GROUP, f'{res.REST_API_ID}-prod', ts, message, ts + delay)
            dim_sets = ((('ApiName', 'feedback-api'),), (('ApiName', 'feedback-api'), ('Stage', 'prod')))
            four, five = '4XXError', '5XXError'
        else:
            status = 502 if inv.status != 'ok' else (inv.result or {}).get('statusCode', 200)
            dim_sets = ((('ApiId', res.HTTP_API_ID),), (('ApiId', res.HTTP_API_ID), ('Stage', '$default')))
            four, five = '4xx', '5xx'
        for dims in dim_sets:
            self.metrics.add('AWS/ApiGateway', 'Count', dims, minute, mx.counter(1))
            self.metrics.add('AWS/ApiGateway', four, dims, minute, mx.ratio(1, 1 if 400 <= status < 500 else 0))
            self.metrics.add('AWS/ApiGateway', five, dims, minute, mx.ratio(1, 1 if status >= 500 else 0))
            self.metrics.add('AWS/ApiGateway', 'Latency', dims, minute, mx.sample(inv.duration + 17))
            self.metrics.add('AWS/ApiGateway', 'IntegrationLatency', dims, minute, mx.sample(inv.duration + 4))

    def invoke(self, fn_name, event, region=DEFAULT_REGION):
        """Run a function for Lambda Invoke (its effects are real: items get stored)."""
        with self.lock:
            now_ms = int(self.sim.now() * 1000)
            rng = random.Random(h64(SEED, 'invoke', fn_name, now_ms, self.sessions))
            self.sessions += 1
            inv = self.runtime.run(fn_name, event, now_ms, rng, store=True, region=region)
            # The answer comes now, so the run is over: it started `duration` ago.
            shift = inv.end_ms - now_ms
            inv.start_ms -= shift
            inv.lines = [(ts - shift, _shift_stamps(message, shift)) for ts, message in inv.lines]
            if isinstance(inv.error, dict) and isinstance(inv.error.get('errorMessage'), str):
                inv.error['errorMessage'] = _shift_stamps(inv.error['errorMessage'], shift)
            self.record(inv)
            return inv

    # ------------------------------------------------------------ benchmarks
    def fill_logs(self, name, count, start_ms, end_ms, streams, seed):
        """Add `count` Lambda-style events to a group (created if missing), all of them
        ingested already; returns how many events the group holds."""
        now_ms = int(self.sim.now() * 1000)
        events = logfill.generate(count, start_ms, end_ms, streams, seed)
        enabled = gc.isenabled()
        gc.disable()  # as in _build_tables: many small objects at once
        try:
            with self.lock, self.logs.lock:
                group = self.logs.create_group(name, start_ms - 60000)
                for ts, stream, message in events:
                    delay = 180 + h64(SEED, 'fill-ingest', stream, ts) % 700
                    self.logs.append(name, stream, ts, message, min(ts + delay, now_ms), start_ms)
                # What was asked for must all stay readable: the trimming in catch_up
                # would otherwise cut a fill above MAX_GROUP_EVENTS.
                group.cap = max(group.cap or MAX_GROUP_EVENTS, len(group.events))
                return len(group.events)
        finally:
            if enabled:
                gc.enable()

    def log_marker(self, name, stream, message, ingest_delay_ms):
        """Write one event stamped now, visible after `ingest_delay_ms` (0: at once), as
        a latency probe; returns (timestamp, ingestionTime)."""
        with self.lock:
            ts = int(self.sim.now() * 1000)
            if name not in self.logs.groups:
                self.logs.create_group(name, ts)
            self._emit(ingest_delay_ms > 0, name, stream, ts, message, ts + ingest_delay_ms)
            return ts, ts + ingest_delay_ms

    # ------------------------------------------------------------ data used by functions
    def store_feedback(self, item, now):
        self.tables['Feedback'].put(item)

    def store_stats(self, day, count):
        self.tables['FeedbackStats'].put({'day': {'S': day}, 'submitted': {'N': str(count)}})

    def feedback_count(self):
        return self.tables['Feedback'].item_count()

    def latest_item(self, feedback_id):
        table = self.tables['Feedback']
        with table.lock:
            hk = key_sort_value({'S': feedback_id})
            found = [item for (h, _), item in table.items.items() if h == hk]
        if not found:
            return None
        found.sort(key=lambda it: key_sort_value(it['createdAt']))
        return unmarshal(found[-1])


_ISO_MS = re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z')


def _shift_stamps(text, shift_ms):
    """Move the ISO timestamps a runtime printed into a log line by -shift_ms."""
    def move(m):
        stamp = m.group(0)
        ts = calendar.timegm(time.strptime(stamp[:19], '%Y-%m-%dT%H:%M:%S')) * 1000 + int(stamp[20:23])
        return iso_ms((ts - shift_ms) / 1000)
    return _ISO_MS.sub(move, text) if shift_ms else text


def unmarshal(item):
    return {k: _plain(v) for k, v in item.items()}


def _plain(av):
    (kind, value), = av.items()
    if kind == 'N':
        d = Decimal(value)
        return int(d) if d == d.to_integral_value() and abs(d) < 2 ** 53 else float(d)
    if kind == 'NS':
        return [_plain({'N': v}) for v in value]
    if kind == 'M':
        return unmarshal(value)
    if kind == 'L':
        return [_plain(v) for v in value]
    if kind == 'NULL':
        return None
    return value

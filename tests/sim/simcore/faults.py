"""Injected failures: throttling, 5xx, latency, dropped/truncated/garbled responses,
expired tokens and clock skew, matched by service and action."""
import random
import threading
from dataclasses import asdict, dataclass

from . import sigcheck
from .wire import Response

KINDS = ('throttle', 'error5xx', 'latency', 'reset', 'malformed', 'truncated', 'expired', 'skew')
DEFAULT_LATENCY_MS = 1000
RNG_SEED = 42
# How far off the skew fault pretends the server clock is when the request itself is fine.
PRETENDED_SKEW_SECONDS = 900


@dataclass
class Fault:
    kind: str
    service: str = '*'
    action: str = '*'
    count: int = 1          # applications left; -1 = unlimited
    rate: float = None      # probability per matching request
    latency_ms: int = 0
    retry_after: int = None
    status: int = None
    skip: int = 0           # matching requests let through before the first application

    def matches(self, service, action):
        return (self.count != 0 and self.service in ('*', service)
                and self.action in ('*', action))


def parse_fault(spec):
    """Validate an admin fault spec; raises ValueError with a readable reason."""
    if not isinstance(spec, dict):
        raise ValueError('fault must be a JSON object')
    unknown = set(spec) - set(Fault.__dataclass_fields__)
    if unknown:
        raise ValueError(f'unknown fault fields: {sorted(unknown)}')
    if spec.get('kind') not in KINDS:
        raise ValueError(f'kind must be one of {list(KINDS)}')
    fault = Fault(**spec)
    for name in ('service', 'action'):
        if not isinstance(getattr(fault, name), str):
            raise ValueError(f'{name} must be a string')
    for name in ('count', 'latency_ms', 'retry_after', 'status', 'skip'):
        value = getattr(fault, name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValueError(f'{name} must be an integer')
    if fault.count < -1:
        raise ValueError('count must be -1 or more')
    if fault.rate is not None and (isinstance(fault.rate, bool) or not (
            isinstance(fault.rate, (int, float)) and 0 <= fault.rate <= 1)):
        raise ValueError('rate must be a number in 0..1')
    if fault.kind == 'latency' and not fault.latency_ms:
        fault.latency_ms = DEFAULT_LATENCY_MS
    return fault


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._rules = []
            # Seeded so a rate-based scenario fails the same requests on every run.
            self._rng = random.Random(RNG_SEED)

    def add(self, fault):
        with self._lock:
            self._rules.append(fault)

    def clear(self):
        with self._lock:
            self._rules = []

    def list(self):
        with self._lock:
            return [asdict(f) for f in self._rules]

    def take(self, service, action):
        """The first applicable fault for this request, consuming one of its uses."""
        with self._lock:
            for fault in self._rules:
                if not fault.matches(service, action):
                    continue
                if fault.rate is not None and self._rng.random() >= fault.rate:
                    continue
                if fault.skip and fault.skip > 0:
                    fault.skip -= 1
                    continue
                if fault.count > 0:
                    fault.count -= 1
                return Fault(**asdict(fault))
        return None


def fault_response(fault, reply, action, now):
    """Response replacing normal handling, or None when the request should go on (latency)."""
    if fault.kind == 'latency':
        return None
    if fault.kind == 'reset':
        return Response(0, disconnect='reset')
    if fault.kind in ('malformed', 'truncated'):
        sample = reply.sample_success(action)
        if fault.kind == 'malformed':
            sample.body = sample.body[:len(sample.body) // 2]  # cut mid-document: unparsable
        else:
            sample.disconnect = 'truncate'
        resp = sample
    elif fault.kind == 'throttle':
        resp = reply.throttle()
    elif fault.kind == 'error5xx':
        resp = reply.server_error(fault.status or 500)
    elif fault.kind == 'expired':
        resp = reply.auth_error('expired', sigcheck.EXPIRED_TOKEN)
    else:  # skew
        resp = reply.auth_error('signature', _skew_message(reply.req, now))
    if fault.status is not None:
        resp.status = fault.status
    if fault.retry_after is not None:
        resp.headers = [(k, v) for k, v in resp.headers if k.lower() != 'retry-after']
        resp.headers.append(('Retry-After', str(fault.retry_after)))
    return resp


def _skew_message(req, now):
    try:
        stamp, when = sigcheck.request_time(req)
    except sigcheck.AuthFailure:
        return sigcheck.skew_message('(no date)', now - PRETENDED_SKEW_SECONDS, now)
    if abs(when - now) <= sigcheck.MAX_SKEW_SECONDS:
        now = when + PRETENDED_SKEW_SECONDS  # the server plays "15 minutes ahead"
    return sigcheck.skew_message(stamp, when, now)

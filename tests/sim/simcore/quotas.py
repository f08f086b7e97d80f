"""Per-API request quotas, as token buckets per account, region and quota, like AWS's defaults.

Off unless /_sim/config sets `quotas`: most tests want answers, not throttling. With them on,
a client whose scheduler keeps within AWS's published rates is never refused, and one that
bursts past them gets the service's own throttling error (protocols.Reply.throttle).
"""
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Quota:
    name: str           # "<signing name>.<what>", the key /_sim/config quota_limits overrides
    rate: float         # requests per second
    burst: float        # bucket size: requests allowed at once after a quiet spell
    operations: tuple   # operations it counts; () = every operation of the service
    excluded: tuple = ()


# Default quotas per account and region (see src/model/sched.c for the sources). A request
# takes a token from every quota that counts it.
QUOTAS = {
    'logs': (
        Quota('logs.FilterLogEvents', 5, 5, ('FilterLogEvents',)),
        Quota('logs.DescribeLogGroups', 5, 5, ('DescribeLogGroups',)),
    ),
    # One shared bucket for the whole control plane; Invoke has its own concurrency limits.
    'lambda': (
        Quota('lambda.control', 15, 15, (), excluded=('Invoke', 'GetFunction', 'GetPolicy')),
    ),
    'monitoring': (
        Quota('monitoring.GetMetricData', 50, 50, ('GetMetricData',)),
        Quota('monitoring.DescribeAlarms', 9, 9, ('DescribeAlarms',)),
    ),
    'apigateway': (
        Quota('apigateway.account', 10, 10, ()),
        Quota('apigateway.GetResources', 2.5, 5, ('GetResources',)),
    ),
    'dynamodb': (
        Quota('dynamodb.control', 2500, 2500, ('DescribeTable', 'ListTables')),
    ),
}


def _applies(quota, action):
    if action in quota.excluded:
        return False
    return not quota.operations or action in quota.operations


class Quotas:
    """Token buckets, refilled from a monotonic clock (the simulated wall clock may jump)."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._buckets = {}  # (account, region, quota name) -> [tokens, last refill]

    def take(self, service, action, account, region, limits=None):
        """Name of the quota this request exceeds (nothing is taken then), or None.

        limits: {quota name: {'rate': r, 'burst': b}} overriding the defaults, so that a
        test can make a quota deterministic (a tiny rate) without racing the clock."""
        quotas = [q for q in QUOTAS.get(service, ()) if _applies(q, action)]
        if not quotas:
            return None
        now = self._clock()
        with self._lock:
            buckets = []
            for quota in quotas:
                rate, burst = quota.rate, quota.burst
                override = (limits or {}).get(quota.name)
                if override:
                    rate, burst = override['rate'], override['burst']
                key = (account, region, quota.name)
                bucket = self._buckets.setdefault(key, [burst, now])
                bucket[0] = min(burst, bucket[0] + (now - bucket[1]) * rate)
                bucket[1] = now
                if bucket[0] < 1:
                    return quota.name
                buckets.append(bucket)
            for bucket in buckets:
                bucket[0] -= 1
        return None


def check_limits(limits):
    """Validate a /_sim/config quota_limits value; raises ValueError with the reason."""
    if not isinstance(limits, dict):
        raise ValueError('quota_limits must be an object')
    known = {q.name for quotas in QUOTAS.values() for q in quotas}
    for name, spec in limits.items():
        if name not in known:
            raise ValueError(f'quota_limits: unknown quota {name!r} (known: {sorted(known)})')
        if not isinstance(spec, dict) or set(spec) != {'rate', 'burst'}:
            raise ValueError(f'quota_limits.{name} must be {{"rate": R, "burst": B}}')
        for field in ('rate', 'burst'):
            value = spec[field]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f'quota_limits.{name}.{field} must be a number >= 0')
        if spec['burst'] < 1:
            raise ValueError(f'quota_limits.{name}.burst must be at least 1')

"""Bulk log content for benchmarks (POST /_sim/logs/fill): Lambda-style invocations,
many of them, made from a seed alone so that a fill is cheap and always the same.

Unlike runtime.py these runs have no effects (nothing is stored, no metrics), and the
lines come from one RNG rather than a hash per field: 100,000 events take well under a
second to make.
"""
import random
import time

from .util import det_uuid, hex32, iso_ms

_WORDS = ('order', 'checkout', 'cache', 'miss', 'retry', 'user', 'session', 'timeout', 'queue',
          'payload', 'accepted', 'batch', 'shard', 'feedback', 'export', 'token', 'upstream',
          'latency', 'partition', 'stale', 'refresh', 'quota', 'webhook', 'ok')
_LONGEST_RUN = 1500  # ms; invocations start at least this long before the end of the span


def _line(rng, rid):
    """One application line: short text, a JSON record, a long text, or a stack trace.
    (True, text) when the Node.js runtime would put the time in front of the text."""
    kind = rng.random()
    if kind < 0.5:
        words = ' '.join(rng.choice(_WORDS) for _ in range(rng.randint(2, 14)))
        return True, f'\t{rid}\tINFO\t{words}\n'
    if kind < 0.85:
        return False, ('{"level":"INFO","msg":"%s","requestId":"%s","latencyMs":%d,"items":%d}\n'
                       % (rng.choice(_WORDS), rid, rng.randint(1, 900), rng.randint(0, 50)))
    if kind < 0.97:
        words = ' '.join(rng.choice(_WORDS) for _ in range(rng.randint(40, 160)))
        return True, f'\t{rid}\tWARN\t{words}\n'
    return True, (f'\t{rid}\tERROR\tInvoke Error \t{{"errorType":"Error","errorMessage":'
                  f'"{rng.choice(_WORDS)} failed","stack":["Error: failed","    at handler '
                  f'(file:///var/task/index.mjs:{rng.randint(10, 90)}:11)"]}}\n')


def generate(count, start_ms, end_ms, streams, seed):
    """`count` events (ts, stream, message) in timestamp order, every ts in [start_ms, end_ms)."""
    rng = random.Random(seed)
    day = time.strftime('%Y/%m/%d', time.gmtime(start_ms // 1000))
    names = [f'{day}/[$LATEST]{hex32("fill", seed, i)}' for i in range(streams)]
    runs = []  # (stream, [(offset ms, stamped, text)])
    total = 0
    while total < count:
        rid = det_uuid('fill', seed, len(runs))
        lines = [(0, False, f'START RequestId: {rid} Version: $LATEST\n')]
        t = 0
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4, 6))):
            t += rng.randint(0, 40)
            lines.append((t, *_line(rng, rid)))
        duration = min(t + rng.expovariate(1 / 40), _LONGEST_RUN - 1)
        end = int(duration) + 1
        # END and REPORT share a millisecond, as Lambda's do.
        lines.append((end, False, f'END RequestId: {rid}\n'))
        report = (f'REPORT RequestId: {rid}\tDuration: {duration:.2f} ms\tBilled Duration: {end} ms\t'
                  f'Memory Size: 256 MB\tMax Memory Used: {rng.randint(60, 200)} MB\t\n')
        lines.append((end, False, report))
        runs.append((rng.choice(names), lines))
        total += len(lines)
    # The last run is cut short (the span ends while it is running).
    del runs[-1][1][len(runs[-1][1]) - (total - count):]
    # Starts spread evenly over the span, with jitter.
    step = max(end_ms - start_ms - _LONGEST_RUN, 1) / len(runs)
    out = []
    for i, (stream, lines) in enumerate(runs):
        begin = start_ms + int(i * step + rng.random() * step)
        out.extend((begin + off, stream, iso_ms((begin + off) / 1000) + text if stamped else text)
                   for off, stamped, text in lines)
    out.sort(key=lambda e: e[0])  # stable: the lines of one run keep their order
    return out

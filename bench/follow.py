"""Follow latency: how long after an event is written to the simulator its line shows on
a follower's stdout. Run by bench/logs.sh (which starts the simulator and exports the
endpoint and credentials); usage: follow.py TIERTOP AWS-CLI-WORDS.

Markers go into /aws/lambda/submit-feedback while the simulator's synthetic traffic keeps
flowing there, as a followed function's group would in production. Each marker is
visible only after an ingestion delay drawn like the simulator's own (180-880 ms), so the
figures split into that delay (the simulator's, standing in for CloudWatch's) and the
rest (the tool's: polling or Live Tail, reordering, printing).
"""
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

GROUP = '/aws/lambda/submit-feedback'
MARKERS = int(os.environ.get('MARKERS', '10'))
SETTLE = 3.0     # s after the follower's first line before the first marker
GIVE_UP = 20.0   # s after the last marker: what has not shown by then is counted missed
ENDPOINT = os.environ['AWS_ENDPOINT_URL']


def admin(path, obj):
    req = urllib.request.Request(ENDPOINT + path, json.dumps(obj).encode(),
                                 {'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)


def run(name, argv, env=None):
    """Follow with argv, write the markers, and return [(total, ingest, tool) s] and misses."""
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, bufsize=0, env=env)
    seen, first = {}, threading.Event()
    pattern = re.compile(rb'bench-marker-' + name.encode() + rb'-\d+')

    def read():
        # readline on the raw pipe returns as soon as a line is complete: the time
        # taken here is when the tool wrote it.
        for line in iter(proc.stdout.readline, b''):
            now = time.time()
            first.set()
            for token in pattern.findall(line):
                seen.setdefault(token.decode(), now)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not first.wait(30):
            sys.exit(f'bench: {name} printed nothing in 30 s')
        time.sleep(SETTLE)
        rng = random.Random(name)
        sent = []
        for i in range(MARKERS):
            # About 2 s apart, at random phases of any polling interval.
            time.sleep(1.5 + rng.random())
            token = f'bench-marker-{name}-{i}'
            out = admin('/_sim/logs/event', {'group': GROUP, 'message': f'INFO\t{token}\n',
                                             'ingest_delay_ms': 180 + rng.randrange(700)})
            sent.append((token, out['timestamp'] / 1000, out['ingestionTime'] / 1000))
        deadline = time.time() + GIVE_UP
        while time.time() < deadline and not all(token in seen for token, _, _ in sent):
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    got = [(seen[t] - w, v - w, seen[t] - v) for t, w, v in sent if t in seen]
    return got, len(sent) - len(got)


def line(title, got, missed):
    if not got:
        return f'{title:34} all {missed} markers missed'
    cols = list(zip(*got))
    med = [statistics.median(c) for c in cols]
    top = [max(c) for c in cols]
    return (f'{title:34} median {med[0]:5.2f}s max {top[0]:5.2f}s | ingestion {med[1]:4.2f}/{top[1]:4.2f}s'
            f' | tool {med[2]:5.2f}/{top[2]:5.2f}s | missed {missed}/{len(got) + missed}')


def main():
    tiertop, aws = sys.argv[1], sys.argv[2].split()
    aws_env = dict(os.environ, PYTHONUNBUFFERED='1')  # else the CLI's prints sit in a pipe buffer
    tools = [
        ('poll', 'follow, tiertop --follow', [tiertop, 'logs', GROUP, '--since', '10s', '--follow', '--json'], None),
        ('live', 'follow, tiertop --live', [tiertop, 'logs', GROUP, '--since', '10s', '--live', '--json'], None),
        ('cli', 'follow, aws logs tail --follow', aws + ['logs', 'tail', GROUP, '--follow', '--since', '10s'],
         aws_env),
    ]
    for name, title, argv, env in tools:
        got, missed = run(name, argv, env)
        print(line(title, got, missed), flush=True)


if __name__ == '__main__':
    main()

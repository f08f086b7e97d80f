"""The console's figures of issue 7, against the simulator: exec to first frame, keystroke
to screen while every request stalls, CPU and terminal bytes per idle minute, memory with
1,000 functions, 200 tables and 100,000 log lines, GetMetricData calls per refresh.
Run by bench/console.sh (which starts the simulator and exports the endpoint and
credentials); usage: console.py TIERTOP [first] [keys] [idle] [scale] (none: all).

tiertop runs on a pseudo-terminal this script owns, so every byte it writes to the
terminal is timestamped when it arrives (no terminal emulator in between). What is on the
screen is read from that stream with escape sequences taken out; where a wait is not a
timing (has the data arrived?), Ctrl-L makes the console repaint everything, so the whole
screen is in the bytes that follow. CONSOLE_STDERR=FILE keeps tiertop's standard error.
"""
import atexit
import fcntl
import json
import math
import os
import pty
import re
import signal
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
import urllib.request

ENDPOINT = os.environ['AWS_ENDPOINT_URL']
FIRST_RUNS = int(os.environ.get('FIRST_RUNS', '10'))
KEY_RUNS = int(os.environ.get('KEY_RUNS', '20'))
IDLE_SECONDS = float(os.environ.get('IDLE_SECONDS', '60'))
SCALE = os.environ.get('SCALE', '1') != '0'
TIMEOUT = 120.0  # s: a bound against hangs on a loaded machine, never a figure

# SGR (colours) and mode changes are dropped; every other sequence moves the cursor or changes modes, so it
# becomes a line break: text split by a cursor move does not read as one word. REP (CSI n b)
# repeats the previous character.
SEQ = re.compile(rb'\x1b\[[0-9;?>=]*[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()*+].|'
                 rb'\x1b[=>78DMEHc]|[\r\n\x08]')


def strip(raw):
    def repl(m):
        final = m.group(1)
        if final in (b'm', b'h', b'l'):  # colours and modes: the cursor stays
            return b''
        if final == b'b' and m.start() > 0:
            count = re.match(rb'\x1b\[(\d*)', m.group(0)).group(1)
            return raw[m.start() - 1:m.start()] * int(count or b'1')
        return b'\n'
    return SEQ.sub(repl, raw).decode('utf-8', 'replace')


def admin(method, path, obj=None):
    data = json.dumps(obj).encode() if obj is not None else None
    req = urllib.request.Request(ENDPOINT + path, data, {'Content-Type': 'application/json'}, method=method)
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.load(resp)


LIVE = set()  # consoles to end if this script is stopped: see end_all


def end_all(*_):
    # A console whose terminal goes away without a SIGHUP (this script's pty is not its
    # controlling terminal) does not exit by itself: it must not outlive the benchmark.
    for con in list(LIVE):
        con.quit()
    if _:
        sys.exit(1)


atexit.register(end_all)
signal.signal(signal.SIGTERM, end_all)


class Console:
    """tiertop ARGS on a pty of COLS x ROWS; a thread collects what it writes."""

    def __init__(self, tiertop, args, cols=160, rows=48):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
        env = dict(os.environ, TERM='xterm-256color', LANG='C.UTF-8')
        self.raw = bytearray()
        self.marks = []  # (offset just past a chunk, monotonic time it arrived)
        self.cond = threading.Condition()
        self.master = master
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen([tiertop] + args, stdin=slave, stdout=slave,
                                     stderr=open(os.environ.get('CONSOLE_STDERR', os.devnull), 'a'), env=env, start_new_session=True)
        os.close(slave)
        LIVE.add(self)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b''
            now = time.monotonic()
            with self.cond:
                if chunk:
                    self.raw += chunk
                    self.marks.append((len(self.raw), now))
                else:
                    self.marks.append((len(self.raw), None))
                self.cond.notify_all()
            if not chunk:
                return

    def offset(self):
        with self.cond:
            return len(self.raw)

    def send(self, keys):
        """Writes keys; returns (offset, monotonic time) just before."""
        with self.cond:
            off = len(self.raw)
        t = time.monotonic()
        os.write(self.master, keys)
        return off, t

    def dump(self):
        """Everything it wrote, to a file, for a failure's message."""
        path = os.path.join(os.environ.get('TMPDIR', '/tmp'), f'tiertop-console-{self.proc.pid}.raw')
        with open(path, 'wb') as f:
            f.write(self.raw)
        return path

    def wait(self, pattern, start, timeout=TIMEOUT, dump=True):
        """Monotonic time of the chunk that completed PATTERN after raw offset START."""
        pat = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                if pat.search(strip(bytes(self.raw[start:]))):
                    return self._completed_at(pat, start)
                if self.marks and self.marks[-1][1] is None:
                    raise RuntimeError(f'tiertop ended before {pattern!r}')
                left = deadline - time.monotonic()
                if left <= 0:
                    tail = f'(all it wrote: {self.dump()})\n' if dump else ''
                    tail += strip(bytes(self.raw[start:]))[-600:]
                    raise RuntimeError(f'no {pattern!r} after {timeout:.0f} s; last:\n{tail}')
                self.cond.wait(min(left, 1.0))

    def _completed_at(self, pat, start):
        # The first chunk end from which the pattern shows (a binary search over chunks).
        ends = [m for m in self.marks if m[0] > start and m[1] is not None]
        lo, hi = 0, len(ends) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if pat.search(strip(bytes(self.raw[start:ends[mid][0]]))):
                hi = mid
            else:
                lo = mid + 1
        return ends[lo][1]

    def first_byte_after(self, start, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for end, t in self.marks:
                    if end > start and t is not None:
                        return t
                if time.monotonic() > deadline:
                    raise RuntimeError('no output')
                self.cond.wait(0.5)

    def screen_shows(self, pattern, timeout=TIMEOUT):
        """Repaints (Ctrl-L) until PATTERN is on the screen: for waits that are not timings."""
        deadline = time.monotonic() + timeout
        while True:
            start, _ = self.send(b'\x0c')
            try:
                self.wait(pattern, start, timeout=1.0, dump=False)
                return
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f'the screen never showed {pattern!r} (all it wrote: {self.dump()}); last:\n'
                                       + strip(bytes(self.raw[start:]))[-800:])
                if self.proc.poll() is not None:
                    raise RuntimeError('tiertop ended')

    def cpu_ticks(self):
        with open(f'/proc/{self.proc.pid}/stat') as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime, fields 14 and 15

    def memory_kb(self):
        out = {}
        with open(f'/proc/{self.proc.pid}/status') as f:
            for line in f:
                key, _, value = line.partition(':')
                if key in ('VmHWM', 'VmRSS'):
                    out[key] = int(value.split()[0])
        return out

    def quit(self):
        if self not in LIVE:
            return
        LIVE.discard(self)
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        # The reader ends on EIO once the terminal has no process left; only then is the
        # fd closed: a closed number is reused by the next console's pty, and a reader
        # still blocked on it would take that console's first frame.
        self.reader.join(10)
        os.close(self.master)


# The tier screen has its data: pane titles with counts, and metrics in with nothing polling.
def loaded(functions, tables):
    return rf'LOGIC \({functions}\)[\s\S]*DATA \({tables}\)'


LOADED_IDLE = rb'data [0-9][^|\n]* old \| idle'
FIRST_FRAME = r'tiertop'         # the breadcrumb, on the first row
FRAME_END = r'\? hel'           # the status line's right end, the last row drawn
HELP = r'next tier'             # a line of the tier screen's help
TIERS = r'LOGIC \('             # back on the tier screen


def ms(seconds):
    return seconds * 1000.0


def summary(name, values, target=None):
    med, top = statistics.median(values), max(values)
    verdict = '' if target is None else ('  meets < %g ms' % target if top < target else
                                         '  median %s, max %s < %g ms' % (
                                             'meets' if med < target else 'MISSES',
                                             'meets' if top < target else 'MISSES', target))
    print(f'{name:52} median {med:7.1f} ms  max {top:7.1f} ms  (n={len(values)}){verdict}', flush=True)


def first_frame(tiertop):
    """From just before exec to the frame's first row (the breadcrumb) and to its last
    (the status line's "? help"; the frame is written in a few pieces)."""
    top, bottom = [], []
    for _ in range(FIRST_RUNS):
        con = Console(tiertop, [])
        try:
            top.append(ms(con.wait(FIRST_FRAME, 0) - con.t0))
            try:
                bottom.append(ms(con.wait(FRAME_END, 0, timeout=2, dump=False) - con.t0))
            except RuntimeError:
                pass  # seen once under heavy load; the first row is the figure then
        finally:
            con.quit()
    summary('exec to first frame, first row', top, 50)
    if bottom:
        summary('exec to first frame, last row', bottom, 50)


def keystrokes(con, label):
    """KEY_RUNS times: ? (help, every row redrawn), then a key that leaves it."""
    shown, back, first = [], [], []
    for _ in range(KEY_RUNS):
        off, t = con.send(b'?')
        shown.append(ms(con.wait(HELP, off, timeout=10) - t))
        first.append(ms(con.first_byte_after(off) - t))
        off, t = con.send(b'x')
        back.append(ms(con.wait(TIERS, off, timeout=10) - t))
        time.sleep(0.1)
    summary(f'key to screen, {label}: ? help', shown, 50)
    summary(f'key to screen, {label}: leave help', back, 50)
    summary(f'key to first byte, {label}', first)


def stalled(tiertop):
    admin('POST', '/_sim/reset', {})
    con = Console(tiertop, [])
    try:
        con.screen_shows(loaded(60, 2) + r'[\s\S]*' + LOADED_IDLE.decode())
        keystrokes(con, 'idle')
        admin('POST', '/_sim/faults', {'service': '*', 'action': '*', 'kind': 'latency',
                                       'latency_ms': 600000, 'count': -1})
        admin('DELETE', '/_sim/requests')
        con.send(b'r')
        con.screen_shows(r'\| polling')
        time.sleep(1)
        stuck = len(admin('GET', '/_sim/requests')['requests'])
        keystrokes(con, f'{stuck} requests stalled')
        con.screen_shows(r'\| polling')  # still stalled at the end
    finally:
        con.quit()
        admin('DELETE', '/_sim/faults')


def idle_minute(con, label):
    """CPU and terminal bytes over IDLE_SECONDS with nothing typed; returns the last
    request's seq before it, for what was asked meanwhile."""
    seq = last_seq()
    ticks, off, t = con.cpu_ticks(), con.offset(), time.monotonic()
    time.sleep(IDLE_SECONDS)
    ticks, nbytes, span = con.cpu_ticks() - ticks, con.offset() - off, time.monotonic() - t
    calls = len([r for r in admin('GET', '/_sim/requests')['requests'] if r['seq'] > seq])
    hz = os.sysconf('SC_CLK_TCK')
    cpu = ticks / hz / span * 100
    per_min = 60.0 / span
    print(f'idle {span:.0f} s, {label:29} CPU {cpu:5.2f} % of a core ({ticks / hz * per_min:.2f} s/min)'
          f'{"  meets < 1 %" if cpu < 1 else "  MISSES < 1 %"}; {nbytes * per_min:,.0f} bytes/min to the '
          f'terminal; {calls * per_min:.0f} requests/min', flush=True)
    return seq


def idle(tiertop):
    admin('POST', '/_sim/reset', {})
    con = Console(tiertop, [])
    try:
        con.screen_shows(loaded(60, 2) + r'[\s\S]*' + LOADED_IDLE.decode())
        time.sleep(2)
        idle_minute(con, '60 functions, interval 60 s')
    finally:
        con.quit()


def requests_by_action(since_seq):
    """'N Action, ...' for the requests after SEQ, and the most Lambda requests in one second."""
    counts, per_second = {}, {}
    for r in admin('GET', '/_sim/requests')['requests']:
        if r['seq'] <= since_seq:
            continue
        counts[r['action']] = counts.get(r['action'], 0) + 1
        if r['service'] == 'lambda':
            per_second[int(r['time'])] = per_second.get(int(r['time']), 0) + 1
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:4]
    return ', '.join(f'{n} {a}' for a, n in top), max(per_second.values(), default=0)


def metric_calls(since_seq=0):
    """GetMetricData calls after SEQ, in order: [(first query number, queries, NextToken?, status)]."""
    out = []
    for r in admin('GET', '/_sim/requests?service=monitoring&action=GetMetricData')['requests']:
        if r['seq'] <= since_seq:
            continue
        body = r.get('body') or ''
        try:
            doc = json.loads(body)
            ids = [q.get('Id', '') for q in doc.get('MetricDataQueries', [])]
            token = bool(doc.get('NextToken'))
        except ValueError:
            ids = re.findall(r'MetricDataQueries\.member\.\d+\.Id=([^&]*)', body)
            token = 'NextToken=' in body
        first = min((int(i[1:]) for i in ids if re.fullmatch(r'q\d+', i)), default=0)
        out.append((first, len(ids), token, r['status']))
    return out


def last_seq():
    reqs = admin('GET', '/_sim/requests')['requests']
    return reqs[-1]['seq'] if reqs else 0


def batches(calls):
    """The snapshot numbers the queries of one request q0..qN-1 and sends them in calls of
    at most 500 one after the other: a call starting at q0 opens a batch, a call starting
    at qK continues the open batch that ended at qK-1."""
    done, open_ = [], []
    for first, n, token, status in calls:
        if status is not None and status != 200:  # None: still being answered
            done.append({'metrics': 0, 'calls': 1, 'pages': 0, 'failed': 1})
            continue
        if token:
            match = next((b for b in reversed(open_) if b['next'] == first + n), None)
            if match:
                match['calls'] += 1
                match['pages'] += 1
                continue
        match = None if first == 0 else next((b for b in open_ if b['next'] == first), None)
        if match is None:
            match = {'metrics': 0, 'calls': 0, 'pages': 0, 'failed': 0, 'next': 0}
            open_.append(match)
            done.append(match)
        match['calls'] += 1
        match['metrics'] += n
        match['next'] = first + n
    return done


def report_batches(label, calls):
    got = batches(calls)
    total = sum(b['metrics'] for b in got)
    ncalls = sum(b['calls'] for b in got)
    need = sum(math.ceil(b['metrics'] / 500) for b in got)
    sizes = ' + '.join(f"{b['metrics']}/{b['calls']}" for b in got)
    ok = all(b['calls'] - b['pages'] - b['failed'] == math.ceil(b['metrics'] / 500) for b in got)
    print(f'  {label:36} {ncalls:3d} calls for {total:5d} metrics in {len(got)} batches '
          f'(metrics/calls: {sizes}); sum of ceil(n/500) = {need}, ceil(all/500) = {math.ceil(total / 500)}'
          f'{"  meets" if ok else "  MISSES"}', flush=True)


STATUS_COUNTS = re.compile(r'\| (idle|polling)[^|\n]*\| (\d+) calls, (\d+) metrics')


def status_counts(con, timeout=TIMEOUT):
    """(idle?, metrics asked since start) from the status line, repainting until it shows
    (a message such as "refreshing" may stand in its place for a while)."""
    deadline = time.monotonic() + timeout
    while True:
        start, _ = con.send(b'\x0c')
        con.wait(FRAME_END, start, timeout=timeout)
        found = STATUS_COUNTS.findall(strip(bytes(con.raw[start:])))
        if found:
            state, _, metrics = found[-1]
            return state == 'idle', int(metrics)
        if time.monotonic() > deadline:
            raise RuntimeError(f'no status line after {timeout:.0f} s (all it wrote: {con.dump()})')
        con.first_byte_after(con.offset(), timeout)  # its next output (ages tick), not a fixed sleep


def refresh_done(con, metrics, timeout=600):
    """Repaints until the status line is idle with at least METRICS asked since start."""
    deadline = time.monotonic() + timeout
    while True:
        idle_now, asked = status_counts(con, timeout)
        if idle_now and asked >= metrics:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f'no idle status line with {metrics} metrics asked after {timeout} s '
                               f'(last: {asked}, all it wrote: {con.dump()})')
        con.first_byte_after(con.offset(), timeout)


def at_scale(tiertop):
    admin('POST', '/_sim/reset', {})
    admin('POST', '/_sim/scenario', {'functions': 1000, 'tables': 200})
    group = '/aws/lambda/worker-500'
    ready = loaded(1000, 200) + r'[\s\S]*' + LOADED_IDLE.decode()
    con = Console(tiertop, [])
    try:
        t = time.monotonic()
        con.screen_shows(ready, timeout=600)
        took = time.monotonic() - t
        _, loaded_metrics = status_counts(con)
        mem = con.memory_kb()
        print(f'1,000 functions, 200 tables, 160x48: loaded in {took:.1f} s; '
              f'VmRSS {mem["VmRSS"] / 1024:.1f} MB, VmHWM {mem["VmHWM"] / 1024:.1f} MB', flush=True)
        seq = idle_minute(con, '1,000 fns, interval 60 s')
        report_batches('... GetMetricData meanwhile', metric_calls(seq))
        seq = last_seq()
        _, before = status_counts(con)
        con.send(b'r')
        # The refresh is over when the status line is idle again with (nearly) every metric
        # asked once more: a marker, since "polling" may come and go between two repaints.
        refresh_done(con, before + int(loaded_metrics * 0.9))
        report_batches('r (refresh everything)', metric_calls(seq))
        actions, peak = requests_by_action(seq)
        print(f'  {"... all requests of that refresh":36} {actions}; at most {peak} Lambda requests in a second',
              flush=True)
        # Filled now: the logs view reads the last 15 minutes.
        admin('POST', '/_sim/logs/fill', {'group': group, 'events': 100000, 'span_seconds': 600,
                                          'end': int(time.time()) - 2})
        t = time.monotonic()
        con.send(b':logs worker-500\r')
        con.screen_shows(r'100,000 lines', timeout=600)
        took = time.monotonic() - t
        lines = re.findall(r'(\d[\d,]*) lines', strip(bytes(con.raw[-20000:])))[-1]
        mem = con.memory_kb()
        ok = mem['VmHWM'] < 64 * 1024
        print(f'... + logs of {group} ({lines} lines in {took:.1f} s): VmRSS {mem["VmRSS"] / 1024:.1f} MB, '
              f'VmHWM {mem["VmHWM"] / 1024:.1f} MB{"  meets < 64 MB" if ok else "  MISSES < 64 MB"}', flush=True)
    finally:
        con.quit()
    con = Console(tiertop, ['--interval', '10'], 300, 100)
    try:
        con.screen_shows(ready, timeout=600)
        seq = last_seq()
        time.sleep(25)
        report_batches('300x100, --interval 10, 25 s', metric_calls(seq))
    finally:
        con.quit()


def main():
    tiertop = sys.argv[1]
    which = sys.argv[2:] or ['first', 'keys', 'idle', 'scale']
    if 'first' in which:
        first_frame(tiertop)
    if 'keys' in which:
        stalled(tiertop)
    if 'idle' in which and IDLE_SECONDS > 0:
        idle(tiertop)
    if 'scale' in which and SCALE:
        at_scale(tiertop)


if __name__ == '__main__':
    main()

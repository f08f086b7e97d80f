"""CloudWatch Logs storage: groups, streams and events, kept in timestamp order."""
import bisect
import threading

EVENT_OVERHEAD = 26  # bytes CloudWatch Logs adds to each event's message size


class LogEvent:
    __slots__ = ('ts', 'ingest', 'seq', 'stream', 'message', 'size')

    def __init__(self, ts, ingest, seq, stream, message):
        self.ts = ts
        self.ingest = ingest
        self.seq = seq
        self.stream = stream
        self.message = message
        self.size = len(message.encode('utf-8')) + EVENT_OVERHEAD

    @property
    def key(self):
        return (self.ts, self.seq)

    @property
    def event_id(self):
        """56 decimal digits, unique within the group, ordered like the events."""
        return '%020d%036d' % (self.ts, self.seq)


def position_token(prefix, ts, seq):
    return '%s/%020d%036d/s' % (prefix, ts, seq)


def parse_position(token):
    """(direction, ts, seq) of a GetLogEvents token, or None."""
    if not isinstance(token, str) or len(token) != 60 or token[1] != '/' or not token.endswith('/s'):
        return None
    if token[0] not in 'fb' or not token[2:58].isdigit():
        return None
    return token[0], int(token[2:22]), int(token[22:58])


class LogStream:
    def __init__(self, name, created):
        self.name = name
        self.created = created
        self.events = []
        self.keys = []
        self.stored = 0
        self.last_ingest = None

    def add(self, event):
        key = event.key
        if not self.keys or key >= self.keys[-1]:
            self.keys.append(key)
            self.events.append(event)
        else:
            pos = bisect.bisect_right(self.keys, key)
            self.keys.insert(pos, key)
            self.events.insert(pos, event)
        self.stored += event.size
        if self.last_ingest is None or event.ingest > self.last_ingest:
            self.last_ingest = event.ingest

    @property
    def first_ts(self):
        return self.events[0].ts if self.events else None

    @property
    def last_ts(self):
        return self.events[-1].ts if self.events else None


class LogGroup:
    def __init__(self, name, created, retention=None, tags=None):
        self.name = name
        self.created = created
        self.retention = retention
        self.tags = dict(tags or {})
        self.streams = {}
        self.events = []     # every event of the group in (timestamp, seq) order
        self.keys = []
        self.appended = []   # the same events in ingestion order (Live Tail reads this)
        self.appended_base = 0  # how many appended events were trimmed away before index 0
        self.stored = 0
        self.cap = None      # events kept at most (None: the scenario's default)

    def stream(self, name, created):
        stream = self.streams.get(name)
        if stream is None:
            stream = self.streams[name] = LogStream(name, created)
        return stream

    def add(self, event):
        key = event.key
        if not self.keys or key >= self.keys[-1]:
            self.keys.append(key)
            self.events.append(event)
        else:
            pos = bisect.bisect_right(self.keys, key)
            self.keys.insert(pos, key)
            self.events.insert(pos, event)
        self.appended.append(event)
        self.stored += event.size


    def trim(self, keep):
        """Forget all but the newest `keep` events (a long-running simulator must not
        grow without bound)."""
        drop = len(self.events) - keep
        if drop <= 0:
            return
        cutoff = self.keys[drop]
        del self.events[:drop]
        del self.keys[:drop]
        for name in list(self.streams):
            stream = self.streams[name]
            pos = bisect.bisect_left(stream.keys, cutoff)
            if pos:
                stream.stored -= sum(ev.size for ev in stream.events[:pos])
                del stream.events[:pos]
                del stream.keys[:pos]
            if not stream.events:
                del self.streams[name]
        kept = [ev for ev in self.appended if ev.key >= cutoff]
        self.appended_base += len(self.appended) - len(kept)
        self.appended = kept
        self.stored = sum(s.stored for s in self.streams.values())


class LogStore:
    def __init__(self):
        self.lock = threading.RLock()
        self.groups = {}
        self._seq = 0

    def reset(self):
        with self.lock:
            self.groups = {}
            self._seq = 0

    def create_group(self, name, created, retention=None, tags=None):
        with self.lock:
            group = self.groups.get(name)
            if group is None:
                group = self.groups[name] = LogGroup(name, created, retention, tags)
            return group

    def append(self, group_name, stream_name, ts, message, ingest, created=None):
        """Add one event (ts and ingest in epoch ms)."""
        with self.lock:
            group = self.groups.get(group_name)
            if group is None:
                group = self.create_group(group_name, created if created is not None else ts)
            stream = group.stream(stream_name, created if created is not None else ts)
            self._seq += 1
            event = LogEvent(ts, ingest, self._seq, stream_name, message)
            stream.add(event)
            group.add(event)
            return event

"""In-memory log of every non-admin request, for tests to assert on what a client sent."""
import base64
import threading


class Recorder:
    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self):
        with self._lock:
            self._entries = []
            self._seq = 0
            # Requests being answered, per service: kept across a clear, since
            # they are still in flight.
            self._active = getattr(self, '_active', {})

    def start(self, req, now, service, action):
        """Log a request as it arrives (so even one that kills the connection is listed)."""
        entry = {
            'method': req.method, 'path': req.path, 'query': req.query, 'time': now,
            'headers': [[k, v] for k, v in req.headers],
            'service': service, 'action': action, 'status': None,
        }
        try:
            entry['body'] = req.body.decode('utf-8')
        except UnicodeDecodeError:
            entry['body'] = base64.b64encode(req.body).decode()
            entry['body_b64'] = True
        with self._lock:
            self._seq += 1
            entry['seq'] = self._seq
            # How many of this service's requests the simulator was answering
            # when this one arrived, itself included: a client's bound on
            # requests in flight shows here without looking at clocks.
            self._active[service] = self._active.get(service, 0) + 1
            entry['in_flight'] = self._active[service]
            self._entries.append(entry)
        return entry

    def finish(self, entry):
        """The request has been answered (or dropped)."""
        with self._lock:
            self._active[entry['service']] -= 1

    def update(self, entry, **fields):
        with self._lock:
            entry.update(fields)

    def entries(self, service=None, action=None):
        with self._lock:
            return [dict(e) for e in self._entries
                    if (service is None or e['service'] == service)
                    and (action is None or e['action'] == action)]

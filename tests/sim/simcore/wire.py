"""Plain request/response values shared by the HTTP layer, the router and the services."""
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl


@dataclass
class Request:
    method: str
    path: str       # raw path exactly as received (still percent-encoded), no query
    query: str      # raw query string as received
    headers: list   # [(name, value)] in received order, repeats kept: signatures depend on both
    body: bytes
    request_id: str

    def header(self, name, default=None):
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return default

    def query_params(self):
        return dict(parse_qsl(self.query, keep_blank_values=True))

    def form(self):
        """Query-protocol parameters: URL query merged with a form-encoded body."""
        params = self.query_params()
        ctype = (self.header('Content-Type') or '').lower()
        if self.body and ctype.startswith('application/x-www-form-urlencoded'):
            text = self.body.decode('utf-8', errors='replace')
            params.update(parse_qsl(text, keep_blank_values=True))
        return params

    def json(self):
        """Parsed JSON body; raises ValueError when the body is not a JSON object."""
        obj = json.loads(self.body.decode('utf-8') or '{}')
        if not isinstance(obj, dict):
            raise ValueError('JSON body must be an object')
        return obj


@dataclass
class Response:
    status: int
    body: bytes = b''
    content_type: str = 'application/json'
    headers: list = field(default_factory=list)
    # Fault injection only: 'reset' drops the socket with RST and sends nothing;
    # 'truncate' announces the full Content-Length but sends half the body, then closes.
    disconnect: str = None
    # Streaming answers (Live Tail): an iterable of byte strings sent with chunked
    # transfer encoding, each one flushed as it comes; `body` is then ignored.
    stream: object = None


def json_response(obj, status=200, headers=(), content_type='application/json'):
    return Response(status, json.dumps(obj).encode(), content_type, list(headers))


def text_response(text, status=200, headers=()):
    return Response(status, text.encode(), 'text/plain', list(headers))

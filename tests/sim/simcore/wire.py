"""Plain request/response values shared by the HTTP layer, the router and the services."""
import gzip
import json
import zlib
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


def accepts_gzip(values):
    """Whether Accept-Encoding header values allow gzip (a q of 0 refuses it)."""
    for value in values:
        for item in value.split(','):
            coding, _, params = item.strip().partition(';')
            if coding.strip().lower() not in ('gzip', 'x-gzip', '*'):
                continue
            q = params.strip().lower()
            try:
                weight = float(q[2:]) if q.startswith('q=') else 1.0
            except ValueError:
                weight = 0.0  # unreadable: take the safe side and send it plain
            if weight > 0:
                return True
    return False


def gzip_response(resp):
    """resp with its body gzip-compressed, as AWS services may send it."""
    # mtime=0: the same answer compresses to the same bytes.
    resp.body = gzip.compress(resp.body, mtime=0)
    # DynamoDB's x-amz-crc32 covers the bytes sent, compressed ones included.
    resp.headers = [(name, str(zlib.crc32(resp.body)) if name.lower() == 'x-amz-crc32' else value)
                    for name, value in resp.headers] + [('Content-Encoding', 'gzip')]
    return resp

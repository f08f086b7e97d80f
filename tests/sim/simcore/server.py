"""HTTP/1.1 front end: keep-alive, Date from the simulator clock, fault-driven disconnects."""
import json
import socket
import ssl
import struct
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import admin, router
from .clock import Clock, http_date
from .faults import Faults
from .feedback import Scenario
from .quotas import Quotas
from .recorder import Recorder
from .state import State
from .wire import Request

ADMIN_PREFIX = '/_sim/'


class Simulator:
    """Everything a handler may read or change; reset() restores the documented defaults."""

    def __init__(self, log, all_operations=False):
        self.log = log
        # Serve every implemented operation, not only those tiertop calls (router.py).
        self.all_operations = all_operations
        self.quotas = Quotas()
        self.clock = Clock()
        self.state = State()
        self.faults = Faults()
        self.recorder = Recorder()
        # The feedback application (tables, functions, APIs, logs, metrics, alarms).
        self.app = Scenario(self)

    def now(self):
        return self.clock.now()

    def start(self):
        """Background work (synthetic traffic); called once the server listens."""
        self.app.start()

    def reset(self):
        self.clock.set_offset(0)
        self.state.reset()
        self.faults.reset()
        self.quotas.reset()
        self.recorder.clear()
        self.app.reset()


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'tiertop-sim'
    timeout = 120  # reap idle keep-alive connections

    def setup(self):
        super().setup()
        # The listening socket defers the TLS handshake so that one slow client cannot
        # stall accept() for everyone; do it here, in this connection's own thread.
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()

    def version_string(self):
        return self.server_version

    def date_time_string(self, timestamp=None):
        return http_date(self.server.sim.now())

    def log_message(self, format, *args):
        self.server.sim.log.debug('%s - %s', self.address_string(), format % args)

    def _handle(self):
        sim = self.server.sim
        try:
            body = self._read_body()
        except ValueError:
            self.send_error(400, 'Unreadable request body')
            return
        path, _, query = self.path.partition('?')
        request_id = str(uuid.uuid4())
        if path.startswith(ADMIN_PREFIX):
            try:
                status, obj = admin.handle(sim, self.command, path, query, body)
            except Exception:  # report simulator bugs to the test instead of hanging up
                sim.log.exception('admin %s %s failed', self.command, path)
                status, obj = 500, {'error': 'simulator bug, see its log'}
            self._write(status, json.dumps(obj).encode(), 'application/json', [], request_id)
            return
        req = Request(self.command, path, query, list(self.headers.items()), body, request_id)
        resp = router.process(sim, req)
        if resp.disconnect == 'reset':
            self._reset_connection()
            return
        if resp.stream is not None:
            self._write_stream(resp, request_id)
            return
        body = resp.body
        if resp.disconnect == 'truncate':
            self.close_connection = True
        self._write(resp.status, body, resp.content_type, resp.headers, request_id,
                    sent_length=len(body) // 2 if resp.disconnect == 'truncate' else None)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _handle

    def _read_body(self):
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            return self._read_chunked()
        length = self.headers.get('Content-Length')
        if not length:
            return b''
        if not length.strip().isdigit():
            raise ValueError(length)
        return self.rfile.read(int(length))

    def _read_chunked(self):
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b';')[0], 16)  # ValueError -> 400
            if size == 0:
                while self.rfile.readline().strip():  # trailers end with a blank line
                    pass
                return b''.join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _write(self, status, body, content_type, headers, request_id, sent_length=None):
        self.send_response(status)
        if content_type:
            self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        self.send_header('x-amzn-RequestId', request_id)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body if sent_length is None else body[:sent_length])

    def _write_stream(self, resp, request_id):
        """Chunked answer whose parts are produced over time; ends when the producer
        does or the client hangs up."""
        self.send_response(resp.status)
        self.send_header('Content-Type', resp.content_type)
        self.send_header('Transfer-Encoding', 'chunked')
        self.send_header('x-amzn-RequestId', request_id)
        for name, value in resp.headers:
            self.send_header(name, value)
        self.end_headers()
        stream = iter(resp.stream)
        try:
            for part in stream:
                if part:
                    self.wfile.write(b'%x\r\n%s\r\n' % (len(part), part))
                    self.wfile.flush()
            self.wfile.write(b'0\r\n\r\n')
            self.wfile.flush()
        except OSError:  # the client went away: stop producing
            self.close_connection = True
        except Exception:  # a simulator bug mid-stream: nothing sensible can be sent any more
            self.server.sim.log.exception('stream for %s failed', self.path)
            self.close_connection = True
        finally:
            close = getattr(stream, 'close', None)
            if close is not None:
                close()

    def _reset_connection(self):
        self.close_connection = True
        # Linger with timeout 0 turns close() into a TCP RST. rfile holds a reference to
        # the socket, so it must go first or close() would not release the descriptor.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        self.rfile.close()
        self.connection.close()


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    # Python's default backlog of 5 overflows when a client opens eight connections at once, and
    # the kernel then makes one of them wait a second before retrying: a stall AWS does not have.
    request_queue_size = 128
    block_on_close = False

    def __init__(self, address, sim, tls_cert=None, tls_key=None):
        super().__init__(address, Handler)
        self.sim = sim
        if tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_cert, tls_key)
            self.socket = context.wrap_socket(self.socket, server_side=True,
                                              do_handshake_on_connect=False)

    def handle_error(self, request, client_address):
        # Clients hanging up mid-request (and our own reset fault) land here; that is
        # routine for this server, not worth a traceback on stderr.
        self.sim.log.debug('connection error from %s', client_address, exc_info=True)

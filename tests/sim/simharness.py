"""Test helpers: run the simulator in a subprocess and talk to it with botocore or raw HTTP."""
import http.client
import json
import os
import signal
import ssl
import subprocess
import tempfile
import time

# Tests must never pick up the developer's real AWS configuration or reach the network.
for _name in [n for n in os.environ if n.startswith('AWS_')]:
    del os.environ[_name]
os.environ.update(AWS_CONFIG_FILE='/nonexistent/tiertop-sim-config',
                  AWS_SHARED_CREDENTIALS_FILE='/nonexistent/tiertop-sim-credentials',
                  AWS_EC2_METADATA_DISABLED='true')

import botocore.session  # noqa: E402  (after the environment is cleaned)
from botocore.config import Config  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = '/usr/bin/python3'  # Debian's interpreter: the one with python3-botocore
SIM_SCRIPT = os.path.join(HERE, 'tiertop_sim.py')
START_TIMEOUT = 15

AKID1 = 'AKIDTIERTOPSIM000001'
SECRET1 = 'tiertopSimSecretKey0000000000000000000001'
AKID2 = 'AKIDTIERTOPSIM000002'
SECRET2 = 'tiertopSimSecretKey0000000000000000000002'

_SESSION = botocore.session.get_session()


class SimProcess:
    """The simulator as tiertop's own tests start it: a subprocess with a port file."""

    def __init__(self, *extra_args):
        self._dir = tempfile.TemporaryDirectory(prefix='tiertop-sim-')
        self.port_file = os.path.join(self._dir.name, 'port')
        self.log_file = os.path.join(self._dir.name, 'sim.log')
        self.proc = subprocess.Popen(
            [PYTHON, SIM_SCRIPT, '--port', '0', '--port-file', self.port_file,
             '--log', self.log_file, *extra_args],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + START_TIMEOUT
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None:
                raise RuntimeError('simulator exited: ' + self.proc.stderr.read().decode())
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError('simulator did not write its port file in time')
            time.sleep(0.05)
        with open(self.port_file) as f:
            self.port = int(f.read())
        self.scheme = 'https' if '--tls-cert' in extra_args else 'http'
        self.url = f'{self.scheme}://127.0.0.1:{self.port}'

    def stop(self):
        """SIGTERM, then the exit code (the simulator must exit cleanly)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=10)
        finally:
            self.proc.stderr.close()
            self._dir.cleanup()

    def connection(self, cafile=None):
        if self.scheme == 'https':
            ctx = ssl.create_default_context(cafile=cafile)
            return http.client.HTTPSConnection('127.0.0.1', self.port, timeout=10, context=ctx)
        return http.client.HTTPConnection('127.0.0.1', self.port, timeout=10)

    def raw(self, method, path, headers=(), body=b''):
        """One request on a fresh connection -> (status, headers dict (lowercase), body)."""
        conn = self.connection()
        try:
            conn.putrequest(method, path, skip_host=any(k.lower() == 'host' for k, _ in headers),
                            skip_accept_encoding=True)
            for name, value in headers:
                conn.putheader(name, value)
            if body or method in ('POST', 'PUT'):
                conn.putheader('Content-Length', str(len(body)))
            conn.endheaders(body or None)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def admin(self, method, path, obj=None):
        body = json.dumps(obj).encode() if obj is not None else b''
        status, _, data = self.raw(method, '/_sim/' + path, [('Content-Type', 'application/json')], body)
        return status, json.loads(data)

    def ok(self, method, path, obj=None):
        status, data = self.admin(method, path, obj)
        if status != 200:
            raise AssertionError(f'admin {method} {path} -> {status} {data}')
        return data

    def requests(self, **filters):
        query = '&'.join(f'{k}={v}' for k, v in filters.items())
        return self.ok('GET', 'requests' + (f'?{query}' if query else ''))['requests']

    def signed(self, method, path, service, body=b'', headers=(), region='us-east-1',
               akid=AKID1, secret=SECRET1, token=None):
        """Send a request signed by botocore's SigV4 signer (path may hold a query):
        for wire formats the installed botocore cannot produce or parse.
        -> (status, headers dict (lowercase), body)."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        req = AWSRequest(method=method, url=self.url + path, data=body)
        req.headers['Host'] = f'127.0.0.1:{self.port}'
        for name, value in headers:
            req.headers[name] = value
        SigV4Auth(Credentials(akid, secret, token), service, region).add_auth(req)
        return self.raw(method, path, list(req.headers.items()), body)

    def client(self, service, akid=AKID1, secret=SECRET1, token=None, attempts=1, verify=None,
               region='us-east-1'):
        # Parameter validation is off so the simulator, not botocore, judges bad input.
        config = Config(retries={'total_max_attempts': attempts, 'mode': 'standard'},
                        parameter_validation=False, connect_timeout=5, read_timeout=10)
        return _SESSION.create_client(
            service, region_name=region, endpoint_url=self.url,
            aws_access_key_id=akid, aws_secret_access_key=secret, aws_session_token=token,
            config=config, verify=verify)

#!/usr/bin/python3
"""Local AWS simulator for tiertop tests and demos. See README.md in this directory."""
import argparse
import logging
import os
import signal
import sys
import threading

from simcore.server import SimServer, Simulator


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--port', type=int, default=0, help='TCP port; 0 picks a free one')
    parser.add_argument('--port-file', help='write the listening port here once ready')
    parser.add_argument('--tls-cert', help='PEM certificate: serve HTTPS instead of HTTP')
    parser.add_argument('--tls-key', help='PEM private key for --tls-cert')
    parser.add_argument('--log', help='append one line per request (and auth details) here')
    parser.add_argument('--all-operations', action='store_true',
                        help='serve every implemented operation, not only those tiertop calls '
                             '(for tests of the handlers themselves)')
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error('--tls-cert and --tls-key go together')
    return args


def make_logger(path):
    log = logging.getLogger('tiertop_sim')
    log.setLevel(logging.DEBUG if path else logging.WARNING)
    handler = logging.FileHandler(path) if path else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter('%(asctime)s %(levelname)s %(message)s'))
    log.addHandler(handler)
    return log


def write_port_file(path, port):
    # Rename into place so a poller never reads a half-written number.
    tmp = f'{path}.tmp{os.getpid()}'
    with open(tmp, 'w') as out:
        out.write(f'{port}\n')
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(argv)
    sim = Simulator(make_logger(args.log), args.all_operations)
    server = SimServer(('127.0.0.1', args.port), sim, args.tls_cert, args.tls_key)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    serving = threading.Thread(target=server.serve_forever, name='serve')
    serving.start()
    sim.start()
    port = server.server_address[1]
    if args.port_file:
        write_port_file(args.port_file, port)
    sim.log.info('listening on 127.0.0.1:%d (%s)', port, 'https' if args.tls_cert else 'http')
    stop.wait()
    server.shutdown()
    serving.join()
    server.server_close()
    if args.port_file:
        # A stale port file would point the next reader at a dead (or foreign) port.
        try:
            os.remove(args.port_file)
        except FileNotFoundError:
            pass
    return 0


if __name__ == '__main__':
    sys.exit(main())

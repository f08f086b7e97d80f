"""Unsigned JSON control API under /_sim/ used by tests and demos."""
import json
import re
from urllib.parse import parse_qsl

from . import faults, quotas
from .feedback import resources as res
from .state import DEFAULT_MAX_DURATION, Identity, Role, SsoToken

_ROLE_ARN_RE = re.compile(r'arn:aws:iam::\d{12}:role/\S+\Z')


class AdminError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def handle(sim, method, path, query, body):
    """Returns (HTTP status, JSON-able object)."""
    routes = _ROUTES.get(path)
    if routes is None:
        return 404, {'error': f'no admin endpoint {path}'}
    handler = routes.get(method)
    if handler is None:
        return 405, {'error': f'{method} not allowed on {path}; use {sorted(routes)}'}
    try:
        spec = json.loads(body.decode('utf-8') or '{}') if method == 'POST' else None
    except ValueError as exc:
        return 400, {'error': f'invalid JSON: {exc}'}
    try:
        return 200, handler(sim, spec, dict(parse_qsl(query)))
    except AdminError as exc:
        return exc.status, {'error': str(exc)}


def _fields(spec, required, optional):
    """Check an admin payload's keys and value types; returns it with optional defaults."""
    if not isinstance(spec, dict):
        raise AdminError(400, 'body must be a JSON object')
    unknown = set(spec) - set(required) - set(optional)
    if unknown:
        raise AdminError(400, f'unknown fields: {sorted(unknown)}')
    out = {}
    for name, types in {**required, **optional}.items():
        if name not in spec or spec[name] is None:
            if name in required:
                raise AdminError(400, f'{name} is required')
            out[name] = None
            continue
        value = spec[name]
        types = types if isinstance(types, tuple) else (types,)
        # bool is an int in Python, but true is not a number of seconds.
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise AdminError(400, f'{name} has the wrong type')
        out[name] = value
    return out


_NUMBER = (int, float)


def _health(sim, spec, query):
    return {'ok': True}


def _get_clock(sim, spec, query):
    return {'offset_seconds': sim.clock.offset, 'now': sim.now()}


def _set_clock(sim, spec, query):
    sim.clock.set_offset(_fields(spec, {'offset_seconds': _NUMBER}, {})['offset_seconds'])
    return _get_clock(sim, spec, query)


def _add_identity(sim, spec, query):
    f = _fields(spec, {'access_key_id': str, 'secret_access_key': str, 'account': str, 'arn': str},
                {'session_token': str, 'user_id': str, 'expires': _NUMBER})
    sim.state.add_identity(Identity(
        access_key_id=f['access_key_id'], secret_access_key=f['secret_access_key'],
        account=f['account'], arn=f['arn'], user_id=f['user_id'] or 'AIDA' + f['access_key_id'][4:],
        session_token=f['session_token'], expires=f['expires']))
    return {'ok': True}


def _add_role(sim, spec, query):
    f = _fields(spec, {'arn': str}, {'external_id': str, 'mfa_serial': str, 'mfa_code': str,
                                     'max_duration': int, 'force_duration': int,
                                     'web_identity_token': str})
    if not _ROLE_ARN_RE.match(f['arn']):
        raise AdminError(400, 'arn must look like arn:aws:iam::123456789012:role/NAME')
    if f['max_duration'] is not None and not 3600 <= f['max_duration'] <= 43200:
        raise AdminError(400, 'max_duration must be within 3600..43200')
    if f['force_duration'] is not None and f['force_duration'] < 0:
        raise AdminError(400, 'force_duration must not be negative')
    if f['max_duration'] is None:
        f['max_duration'] = DEFAULT_MAX_DURATION
    sim.state.add_role(Role(**f))
    return {'ok': True, 'role_id': Role(f['arn']).role_id}


def _add_sso_token(sim, spec, query):
    f = _fields(spec, {'token': str, 'account_id': str, 'role_name': str},
                {'expires': _NUMBER, 'user': str})
    sim.state.add_sso_token(SsoToken(f['token'], f['account_id'], f['role_name'], f['expires'],
                                     f['user'] or 'ops'))
    return {'ok': True}


def _get_config(sim, spec, query):
    return sim.state.config()


def _set_config(sim, spec, query):
    f = _fields(spec, {}, {'imds_v1': bool, 'container_auth_token': str,
                           'cloudwatch_xml_only': bool, 'cloudwatch_emulator': bool, 'lambda_raw_errors': bool,
                           'imds_token_hangs': bool, 'livetail_corrupt_crc': bool,
                           'livetail_chunk_bytes': int, 'livetail_max_seconds': _NUMBER,
                           'dynamodb_batch_max_keys': int, 'logs_filter_scan_events': int,
                           'logs_filter_repeat_token': bool, 'gzip_responses': bool,
                           'gzip_min_bytes': int, 'quotas': bool, 'quota_limits': dict})
    for name in ('livetail_chunk_bytes', 'dynamodb_batch_max_keys', 'logs_filter_scan_events'):
        if f[name] is not None and f[name] < 1:
            raise AdminError(400, f'{name} must be at least 1')
    if f['livetail_max_seconds'] is not None and f['livetail_max_seconds'] <= 0:
        raise AdminError(400, 'livetail_max_seconds must be positive')
    if f['gzip_min_bytes'] is not None and f['gzip_min_bytes'] < 0:
        raise AdminError(400, 'gzip_min_bytes must not be negative')
    if f['quota_limits'] is not None:
        try:
            quotas.check_limits(f['quota_limits'])
        except ValueError as exc:
            raise AdminError(400, str(exc)) from None
    sim.state.update_config({k: spec[k] for k in f if k in spec})
    return sim.state.config()


def _set_scenario(sim, spec, query):
    f = _fields(spec, {}, {'feedback_items': int, 'functions': int, 'tables': int, 'websocket_api': bool})
    if f['feedback_items'] is not None:
        if not 0 <= f['feedback_items'] <= 1_000_000:
            raise AdminError(400, 'feedback_items must be within 0..1000000')
    if f['functions'] is not None and not 60 <= f['functions'] <= 10_000:
        raise AdminError(400, 'functions must be within 60..10000')
    if f['tables'] is not None and not 2 <= f['tables'] <= 2_000:
        raise AdminError(400, 'tables must be within 2..2000')
    if f['feedback_items'] is not None:
        sim.app.reseed(f['feedback_items'])
    sim.app.scale(f['functions'], f['tables'])
    if f['websocket_api'] is not None:
        res.WS_API['enabled'] = f['websocket_api']
    return _get_scenario(sim, spec, query)


def _get_scenario(sim, spec, query):
    return {'feedback_items': sim.app.tables['Feedback'].item_count(),
            'traffic': sim.app.traffic_state(), **sim.app.scale_state()}


def _get_traffic(sim, spec, query):
    return sim.app.traffic_state()


def _set_traffic(sim, spec, query):
    f = _fields(spec, {}, {'rate': _NUMBER, 'paused': bool})
    if f['rate'] is not None and not 0 <= f['rate'] <= 1000:
        raise AdminError(400, 'rate must be within 0..1000 invocations per second')
    return sim.app.set_traffic(f['rate'], f['paused'])


MAX_FILL_EVENTS = 1_000_000


def _log_group_name(name):
    if not 1 <= len(name) <= 512 or not all(c.isalnum() or c in '_-/.#' for c in name):
        raise AdminError(400, 'group must be a log group name (1-512 of [A-Za-z0-9_-/.#])')
    return name


def _fill_logs(sim, spec, query):
    f = _fields(spec, {'group': str, 'events': int},
                {'span_seconds': int, 'streams': int, 'seed': int, 'end': int})
    name = _log_group_name(f['group'])
    if not 1 <= f['events'] <= MAX_FILL_EVENTS:
        raise AdminError(400, f'events must be within 1..{MAX_FILL_EVENTS}')
    span = 3600 if f['span_seconds'] is None else f['span_seconds']
    # An invocation needs up to 1.5 s to fit in before the end.
    if not 2 <= span <= 15 * 86400:
        raise AdminError(400, 'span_seconds must be within 2..1296000')
    streams = 20 if f['streams'] is None else f['streams']
    if not 1 <= streams <= 1000:
        raise AdminError(400, 'streams must be within 1..1000')
    now = int(sim.now())
    end = now if f['end'] is None else f['end']
    # Events from the future would not be ingested yet.
    if end > now:
        raise AdminError(400, f'end must not be later than now ({now})')
    seed = 1 if f['seed'] is None else f['seed']
    total = sim.app.fill_logs(name, f['events'], (end - span) * 1000, end * 1000, streams, seed)
    return {'group': name, 'events': f['events'], 'group_events': total,
            'start': end - span, 'end': end}


def _log_marker(sim, spec, query):
    f = _fields(spec, {'group': str, 'message': str}, {'stream': str, 'ingest_delay_ms': int})
    name = _log_group_name(f['group'])
    delay = f['ingest_delay_ms'] or 0
    if not 0 <= delay <= 60000:
        raise AdminError(400, 'ingest_delay_ms must be within 0..60000')
    stream = f['stream'] or 'marker'
    ts, ingest = sim.app.log_marker(name, stream, f['message'], delay)
    return {'timestamp': ts, 'ingestionTime': ingest}


def _list_faults(sim, spec, query):
    return {'faults': sim.faults.list()}


def _add_fault(sim, spec, query):
    try:
        fault = faults.parse_fault(spec)
    except (TypeError, ValueError) as exc:
        raise AdminError(400, str(exc)) from None
    sim.faults.add(fault)
    return _list_faults(sim, spec, query)


def _clear_faults(sim, spec, query):
    sim.faults.clear()
    return {'ok': True}


def _list_requests(sim, spec, query):
    return {'requests': sim.recorder.entries(query.get('service'), query.get('action'))}


def _clear_requests(sim, spec, query):
    sim.recorder.clear()
    return {'ok': True}


def _reset(sim, spec, query):
    sim.reset()
    return {'ok': True}


_ROUTES = {
    '/_sim/health': {'GET': _health},
    '/_sim/clock': {'GET': _get_clock, 'POST': _set_clock},
    '/_sim/identities': {'POST': _add_identity},
    '/_sim/roles': {'POST': _add_role},
    '/_sim/sso-tokens': {'POST': _add_sso_token},
    '/_sim/config': {'GET': _get_config, 'POST': _set_config},
    '/_sim/faults': {'GET': _list_faults, 'POST': _add_fault, 'DELETE': _clear_faults},
    '/_sim/requests': {'GET': _list_requests, 'DELETE': _clear_requests},
    '/_sim/reset': {'POST': _reset},
    '/_sim/scenario': {'GET': _get_scenario, 'POST': _set_scenario},
    '/_sim/traffic': {'GET': _get_traffic, 'POST': _set_traffic},
    '/_sim/logs/fill': {'POST': _fill_logs},
    '/_sim/logs/event': {'POST': _log_marker},
}

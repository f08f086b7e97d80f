"""Lambda (restJson1, signing name `lambda`): ListFunctions, GetFunction,
GetFunctionConfiguration, Invoke, ListEventSourceMappings, GetEventSourceMapping,
GetAccountSettings, ListAliases, ListVersionsByFunction, ListTags.

Function names in paths may be a name, `name:qualifier`, a full ARN or a partial ARN
(`111122223333:function:name`), percent-encoded.
"""
import base64
import json
import re
from urllib.parse import parse_qsl, unquote

from ..feedback import resources as res
from ..feedback.util import ACCOUNT, decode_token, encode_token, lambda_time, region_of
from ..protocols import REST_JSON
from ..wire import Response

SERVICE = 'lambda'
PROTOCOL = REST_JSON

MAX_SYNC_PAYLOAD = 6 * 1024 * 1024
MAX_ASYNC_PAYLOAD = 1024 * 1024
LIST_PAGE = 50
ESM_PAGE = 100
CORAL = ':http://internal.amazon.com/coral/com.amazon.coral.service/'
_AUTH_CODES = ('UnrecognizedClientException', 'InvalidSignatureException',
               'IncompleteSignatureException', 'MissingAuthenticationTokenException',
               'ExpiredTokenException')
_NAME_RE = re.compile(r'[a-zA-Z0-9-_]{1,64}\Z')
_QUALIFIER_RE = re.compile(r'(|[a-zA-Z0-9$_-]+)\Z')
RESERVED_CONCURRENCY = {'export-feedback': 5}
ACCOUNT_CONCURRENCY = 1000


class _Fail(Exception):
    def __init__(self, status, code, message, headers=()):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, list(headers)


def shape_error(reply, status, code, message, headers):
    """Lambda's error body carries Type (User/Service); coral-level auth errors name
    their namespace after the code in x-amzn-ErrorType."""
    kind = 'Service' if status >= 500 else 'User'
    header = code + CORAL if code in _AUTH_CODES else code
    body = {'Type': kind, 'message': message} if code not in _AUTH_CODES else {'message': message}
    if code == 'TooManyRequestsException':
        body['Reason'] = 'CallerRateLimitExceeded'
    return Response(status, json.dumps(body).encode(), 'application/json',
                    headers + [('x-amzn-ErrorType', header)])


def throttle_error(action):
    return 429, 'TooManyRequestsException', 'Rate exceeded'


def _segments(path):
    return [unquote(p) for p in path.split('/') if p != '']


def action_of(req):
    parts = _segments(req.path)
    method = req.method
    if len(parts) >= 2 and parts[0] == '2015-03-31' and parts[1] == 'functions':
        if len(parts) == 2:
            return 'ListFunctions' if method == 'GET' else 'CreateFunction'
        if len(parts) == 3:
            return {'GET': 'GetFunction', 'DELETE': 'DeleteFunction'}.get(method)
        tail = parts[3]
        if tail == 'configuration' and method == 'GET':
            return 'GetFunctionConfiguration'
        if tail == 'invocations' and method == 'POST':
            return 'Invoke'
        if tail == 'aliases' and method == 'GET':
            return 'ListAliases' if len(parts) == 4 else 'GetAlias'
        if tail == 'versions' and method == 'GET':
            return 'ListVersionsByFunction'
        return None
    if len(parts) >= 2 and parts[0] == '2015-03-31' and parts[1] == 'event-source-mappings':
        if method == 'GET':
            return 'ListEventSourceMappings' if len(parts) == 2 else 'GetEventSourceMapping'
        return None
    if parts[:2] == ['2016-08-19', 'account-settings'] and method == 'GET':
        return 'GetAccountSettings'
    if len(parts) >= 3 and parts[0] == '2017-03-31' and parts[1] == 'tags' and method == 'GET':
        return 'ListTags'
    return None


def handle(sim, req, reply, action, identity):
    region = region_of(req)
    try:
        if action is None or action not in _OPERATIONS:
            raise _Fail(404, 'UnknownOperationException', 'Unknown operation')
        return _OPERATIONS[action](sim, req, region)
    except _Fail as fail:
        return reply.error(fail.status, fail.code, fail.message, fail.headers)


def _json(obj, status=200, headers=()):
    return Response(status, json.dumps(obj).encode(), 'application/json', list(headers))


def _query(req):
    return dict(parse_qsl(req.query, keep_blank_values=True))


def _invalid(message):
    return _Fail(400, 'InvalidParameterValueException', message)


def _validation(member, value, constraint):
    return _Fail(400, 'ValidationException', f"1 validation error detected: Value '{value}' at "
                                             f"'{member}' failed to satisfy constraint: {constraint}")


# ---------------------------------------------------------------- names

def resolve(raw, region, qualifier=None):
    """(Function, qualifier or None) for a path name; raises ResourceNotFoundException."""
    name, derived = raw, None
    if raw.startswith('arn:'):
        parts = raw.split(':')
        if len(parts) not in (7, 8) or parts[2] != 'lambda' or parts[5] != 'function':
            raise _validation('functionName', raw, 'Member must satisfy regular expression pattern: '
                              '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?'
                              '(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?')
        region = parts[3] or region
        account = parts[4]
        name = parts[6]
        derived = parts[7] if len(parts) == 8 else None
    elif ':function:' in raw:
        account, _, rest = raw.partition(':function:')
        name, _, derived = rest.partition(':')
        derived = derived or None
    else:
        account = ACCOUNT
        name, sep, derived = raw.partition(':')
        derived = derived if sep else None
    if not _NAME_RE.match(name):
        raise _validation('functionName', raw, 'Member must satisfy regular expression pattern: '
                          '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?'
                          '(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?')
    if qualifier is not None and derived is not None and qualifier != derived:
        raise _invalid('The derived qualifier from the function name does not match the '
                       'specified qualifier.')
    qual = qualifier if qualifier is not None else derived
    if qual is not None and (not qual or not _QUALIFIER_RE.match(qual)):
        raise _validation('qualifier', qual, 'Member must satisfy regular expression pattern: '
                                             '(|[a-zA-Z0-9$_-]+)')
    fn = res.FUNCTIONS_BY_NAME.get(name)
    missing = _Fail(404, 'ResourceNotFoundException',
                    f'Function not found: {res.function_arn(region, name, qual)}')
    if fn is None or account != ACCOUNT:
        raise missing
    if qual is not None and qual != '$LATEST' and qual not in fn.versions and qual not in fn.aliases:
        raise missing
    return fn, qual


def executed_version(fn, qualifier):
    if qualifier is None or qualifier == '$LATEST':
        return '$LATEST'
    return fn.aliases.get(qualifier, qualifier)


def configuration(fn, region, qualifier=None, full=True):
    version = executed_version(fn, qualifier)
    cfg = {
        'FunctionName': fn.name,
        'FunctionArn': res.function_arn(region, fn.name, qualifier),
        'Runtime': fn.runtime,
        'Role': fn.role_arn,
        'Handler': fn.handler,
        'CodeSize': fn.code_size,
        'Description': fn.description,
        'Timeout': fn.timeout,
        'MemorySize': fn.memory,
        'LastModified': lambda_time(fn.last_modified),
        'CodeSha256': fn.code_sha256,
        'Version': version,
    }
    if fn.env:
        cfg['Environment'] = {'Variables': dict(fn.env)}
    cfg['TracingConfig'] = {'Mode': 'PassThrough'}
    cfg['RevisionId'] = fn.revision_id
    if full:
        cfg['State'] = 'Active'
        cfg['LastUpdateStatus'] = 'Successful'
    cfg['PackageType'] = 'Zip'
    cfg['Architectures'] = ['x86_64']
    cfg['EphemeralStorage'] = {'Size': 512}
    cfg['SnapStart'] = {'ApplyOn': 'None', 'OptimizationStatus': 'Off'}
    if full:
        cfg['RuntimeVersionConfig'] = {'RuntimeVersionArn': res.runtime_version_arn(region, fn.runtime)}
    cfg['LoggingConfig'] = {'LogFormat': 'Text', 'LogGroup': fn.log_group}
    return cfg


# ---------------------------------------------------------------- operations

def _list_functions(sim, req, region):
    q = _query(req)
    limit = _max_items(q, 'MaxItems', 'maxItems', 10000)
    page = min(limit or LIST_PAGE, LIST_PAGE)
    entries = []
    for fn in sorted(res.FUNCTIONS, key=lambda f: f.name):
        entries.append((fn.name, '$LATEST', fn))
        if q.get('FunctionVersion') == 'ALL':
            entries.extend((fn.name, v, fn) for v in sorted(fn.versions))
    if 'FunctionVersion' in q and q['FunctionVersion'] != 'ALL':
        raise _validation('functionVersion', q['FunctionVersion'],
                          'Member must satisfy enum value set: [ALL]')
    start = 0
    if q.get('Marker'):
        token = decode_token(q['Marker'], 'lambda-list')
        if token is None:
            raise _invalid('Invalid marker: ' + q['Marker'])
        start = token['i']
    chunk = entries[start:start + page]
    out = {'Functions': [configuration(fn, region, None if v == '$LATEST' else v, full=False)
                         for _, v, fn in chunk]}
    if start + page < len(entries):
        out['NextMarker'] = encode_token({'k': 'lambda-list', 'i': start + page})
    return _json(out)


def _max_items(q, name, member, maximum):
    if name not in q:
        return None
    raw = q[name]
    try:
        value = int(raw)
    except ValueError:
        raise _Fail(400, 'ValidationException', f"1 validation error detected: Value '{raw}' at "
                                                f"'{member}' failed to satisfy constraint: Member "
                                                'must be an integer') from None
    if value < 1:
        raise _validation(member, value, 'Member must have value greater than or equal to 1')
    if value > maximum:
        raise _validation(member, value, f'Member must have value less than or equal to {maximum}')
    return value


def _function_ref(req, region):
    parts = _segments(req.path)
    qualifier = _query(req).get('Qualifier')
    return resolve(parts[2], region, qualifier)


def _get_function(sim, req, region):
    fn, qual = _function_ref(req, region)
    out = {
        'Configuration': configuration(fn, region, qual),
        'Code': {
            'RepositoryType': 'S3',
            'Location': (f'https://awslambda-{region}-tasks.s3.{region}.amazonaws.com/snapshots/'
                         f'{ACCOUNT}/{fn.name}-{fn.revision_id}?versionId=sim&X-Amz-Algorithm='
                         'AWS4-HMAC-SHA256&X-Amz-Expires=600&X-Amz-Signature=0000'),
        },
        'Tags': dict(fn.tags),
    }
    if fn.name in RESERVED_CONCURRENCY:
        out['Concurrency'] = {'ReservedConcurrentExecutions': RESERVED_CONCURRENCY[fn.name]}
    return _json(out)


def _get_configuration(sim, req, region):
    fn, qual = _function_ref(req, region)
    return _json(configuration(fn, region, qual))


def _page(q, kind, entries):
    """One page of entries by MaxItems (Lambda never returns more than 50) and Marker."""
    limit = _max_items(q, 'MaxItems', 'maxItems', 10000)
    page = min(limit or LIST_PAGE, LIST_PAGE)
    start = 0
    if q.get('Marker'):
        token = decode_token(q['Marker'], kind)
        if token is None:
            raise _invalid('Invalid marker: ' + q['Marker'])
        start = token['i']
    chunk = entries[start:start + page]
    marker = encode_token({'k': kind, 'i': start + page}) if start + page < len(entries) else None
    return chunk, marker


def _alias(region, fn, alias):
    out = {'AliasArn': res.function_arn(region, fn.name, alias), 'Name': alias,
           'FunctionVersion': fn.aliases[alias], 'Description': fn.alias_descriptions.get(alias, '')}
    if alias in fn.alias_routing:
        out['RoutingConfig'] = {'AdditionalVersionWeights': dict(fn.alias_routing[alias])}
    out['RevisionId'] = fn.revision_id
    return out


def _list_aliases(sim, req, region):
    fn, _ = resolve(_segments(req.path)[2], region)
    q = _query(req)
    names = sorted(fn.aliases)
    if q.get('FunctionVersion'):
        names = [a for a in names if fn.aliases[a] == q['FunctionVersion']]
    chunk, marker = _page(q, 'lambda-aliases', names)
    out = {'Aliases': [_alias(region, fn, a) for a in chunk]}
    if marker:
        out['NextMarker'] = marker
    return _json(out)


def _get_alias(sim, req, region):
    parts = _segments(req.path)
    fn, _ = resolve(parts[2], region)
    alias = parts[4]
    if alias not in fn.aliases:
        raise _Fail(404, 'ResourceNotFoundException',
                    f'Alias not found: {res.function_arn(region, fn.name, alias)}')
    return _json(_alias(region, fn, alias))


def _list_versions(sim, req, region):
    fn, qual = resolve(_segments(req.path)[2], region)
    if qual is not None:
        raise _invalid('The function name must not carry a qualifier for this operation.')
    numbers = ['$LATEST'] + sorted(fn.versions, key=int)
    chunk, marker = _page(_query(req), 'lambda-versions', numbers)
    out = {'Versions': [configuration(fn, region, v, full=False) for v in chunk]}
    if marker:
        out['NextMarker'] = marker
    return _json(out)


def _list_tags(sim, req, region):
    arn = unquote(req.path.split('/2017-03-31/tags/', 1)[1])
    fn, _ = resolve(arn, region)
    return _json({'Tags': dict(fn.tags)})


def _esm(region):
    return {
        'UUID': res.ESM_UUID,
        'StartingPosition': 'LATEST',
        'BatchSize': 100,
        'MaximumBatchingWindowInSeconds': 0,
        'ParallelizationFactor': 1,
        'EventSourceArn': res.stream_arn(region),
        'FunctionArn': res.function_arn(region, 'export-feedback'),
        'LastModified': res.DEPLOYED_AT + 95.0,
        'LastProcessingResult': 'OK',
        'State': 'Enabled',
        'StateTransitionReason': 'User action',
        'DestinationConfig': {'OnFailure': {}},
        'MaximumRecordAgeInSeconds': -1,
        'BisectBatchOnFunctionError': False,
        'MaximumRetryAttempts': -1,
        'TumblingWindowInSeconds': 0,
        'FunctionResponseTypes': [],
    }


def _list_esms(sim, req, region):
    q = _query(req)
    limit = _max_items(q, 'MaxItems', 'maxItems', 10000)
    page = min(limit or ESM_PAGE, ESM_PAGE)
    mappings = [_esm(region)]
    if q.get('FunctionName'):
        try:
            fn, _ = resolve(q['FunctionName'], region)
        except _Fail as fail:
            if fail.status == 404:
                mappings = []
            else:
                raise
        else:
            mappings = [m for m in mappings if m['FunctionArn'].endswith(':function:' + fn.name)]
    if q.get('EventSourceArn'):
        mappings = [m for m in mappings if m['EventSourceArn'] == q['EventSourceArn']]
    start = 0
    if q.get('Marker'):
        token = decode_token(q['Marker'], 'lambda-esm')
        if token is None:
            raise _invalid('Invalid marker: ' + q['Marker'])
        start = token['i']
    out = {'EventSourceMappings': mappings[start:start + page]}
    if start + page < len(mappings):
        out['NextMarker'] = encode_token({'k': 'lambda-esm', 'i': start + page})
    return _json(out)


def _get_esm(sim, req, region):
    uuid = _segments(req.path)[2]
    if uuid != res.ESM_UUID:
        raise _Fail(404, 'ResourceNotFoundException',
                    f'The resource you requested does not exist. (Service: Lambda, Status Code: '
                    f'404, Request ID: {req.request_id})')
    return _json(_esm(region))


def _account_settings(sim, req, region):
    total_code = sum(fn.code_size for fn in res.FUNCTIONS)
    return _json({
        'AccountLimit': {
            'TotalCodeSize': 80530636800,
            'CodeSizeUnzipped': 262144000,
            'CodeSizeZipped': 52428800,
            'ConcurrentExecutions': ACCOUNT_CONCURRENCY,
            'UnreservedConcurrentExecutions': ACCOUNT_CONCURRENCY - sum(RESERVED_CONCURRENCY.values()),
        },
        'AccountUsage': {'TotalCodeSize': total_code, 'FunctionCount': len(res.FUNCTIONS)},
    })


def _parse_payload(body):
    if not body.strip():
        return {}
    try:
        text = body.decode('utf-8')
    except UnicodeDecodeError:
        raise _Fail(400, 'InvalidRequestContentException',
                    'Could not parse request body into json: Could not parse payload into json: '
                    'Invalid UTF-8 start byte') from None
    try:
        return json.loads(text)
    except ValueError as exc:
        snippet = text[:40].replace('"', '\\"')
        first = text[exc.pos:exc.pos + 1] or ' '
        raise _Fail(400, 'InvalidRequestContentException',
                    'Could not parse request body into json: Could not parse payload into json: '
                    f"Unexpected character ('{first}' (code {ord(first) if first else 0})): expected "
                    "a valid value (JSON String, Number, Array, Object or token 'null', 'true' or "
                    f"'false')\n at [Source: (byte[])\"{snippet}\"; line: {exc.lineno}, column: "
                    f'{exc.colno}]') from None


def _invoke(sim, req, region):
    fn, qual = _function_ref(req, region)
    kind = req.header('X-Amz-Invocation-Type') or 'RequestResponse'
    if kind not in ('RequestResponse', 'Event', 'DryRun'):
        raise _validation('invocationType', kind,
                          'Member must satisfy enum value set: [Event, RequestResponse, DryRun]')
    log_type = req.header('X-Amz-Log-Type') or 'None'
    if log_type not in ('None', 'Tail'):
        raise _validation('logType', log_type, 'Member must satisfy enum value set: [None, Tail]')
    limit = MAX_ASYNC_PAYLOAD if kind == 'Event' else MAX_SYNC_PAYLOAD
    if len(req.body) > limit:
        raise _Fail(413, 'RequestTooLargeException',
                    f'Request must be smaller than {limit} bytes for the InvokeFunction operation')
    context = req.header('X-Amz-Client-Context')
    if context is not None:
        try:
            base64.b64decode(context, validate=True)
        except ValueError:
            raise _invalid('Client context must be a valid Base64-encoded JSON object.') from None
        if len(context) > 3583:
            raise _invalid('Client context must be smaller than 3583 bytes.')
    event = _parse_payload(req.body)
    version = executed_version(fn, qual)
    if kind == 'DryRun':
        return Response(204, b'', 'application/json', [])
    inv = sim.app.invoke(fn.name, event, region)
    if kind == 'Event':
        return Response(202, b'', 'application/json', [])
    headers = [('X-Amz-Executed-Version', version)]
    if inv.status != 'ok' and sim.state.config().get('lambda_raw_errors'):
        # An emulator that passes the runtime's output through: no error document.
        headers.append(('X-Amz-Function-Error', 'Handled'))
        err = inv.error
        text = f"{err.get('errorType')}: {err.get('errorMessage')}\n    at handler (index.js)\n"
        return Response(200, text.encode(), 'text/plain', headers)
    if inv.status != 'ok':
        headers.append(('X-Amz-Function-Error', 'Unhandled'))
        payload = inv.error
    else:
        payload = inv.result
    if fn.runtime.startswith('python'):
        body = json.dumps(payload).encode()           # Python's default separators
    else:
        body = json.dumps(payload, separators=(',', ':'), ensure_ascii=False).encode()
    if log_type == 'Tail':
        tail = inv.log_text().encode('utf-8')[-4096:]
        headers.append(('X-Amz-Log-Result', base64.b64encode(tail).decode()))
    return Response(200, body, 'application/json', headers)


_OPERATIONS = {
    'ListFunctions': _list_functions,
    'GetFunction': _get_function,
    'GetFunctionConfiguration': _get_configuration,
    'Invoke': _invoke,
    'ListAliases': _list_aliases,
    'GetAlias': _get_alias,
    'ListVersionsByFunction': _list_versions,
    'ListTags': _list_tags,
    'ListEventSourceMappings': _list_esms,
    'GetEventSourceMapping': _get_esm,
    'GetAccountSettings': _account_settings,
}

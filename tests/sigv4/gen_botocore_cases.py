#!/usr/bin/python3
"""SigV4 cross-check cases, signed by botocore.

Run with Debian's /usr/bin/python3 (python3-botocore). Usage:

    /usr/bin/python3 gen_botocore_cases.py [COUNT]

Prints COUNT (default 600) JSON objects, one per line. Each describes a request
exactly as a client puts it on the wire (method, percent-encoded path, decoded
query pairs, headers including Host, body) plus botocore's canonical request,
string to sign, signature and Authorization header for it at a fixed time.
tests/unit/test_sigv4_botocore.c signs the same request with tiertop's signer
and requires every stage to be identical.

The output is deterministic: a fixed seed, no clock, no environment.

Notes on how the request is handed to botocore, so both sides sign the same
thing:
  * Host is always passed explicitly (botocore would otherwise derive it from
    the URL, dropping a default port and lower-casing it).
  * Headers go in as an HTTPHeaders (an email.message.Message), where setting
    a name twice appends; botocore's canonical_headers() joins repeats with ','
    in request order.
  * A query key sent without '=' has no value: JSON null for tiertop, '' for
    botocore (which would otherwise sign str(None) == 'None'). AWS signs both
    "k" and "k=" as "k=".
  * botocore's add_auth() reads datetime.datetime.utcnow(); the module's
    datetime reference is swapped for one whose utcnow() returns the case's
    time, and the real add_auth() runs unchanged.
  * Nothing a signer treats specially is generated: no Date, X-Amz-Date,
    X-Amz-Security-Token or X-Amz-Content-SHA256 header in the input (botocore
    replaces or trusts those), and header values are printable ASCII plus SP
    and HTAB only (what RFC 9110 allows, minus obs-text: botocore's
    whitespace collapse is str.split(), which also splits on non-ASCII space).
"""

import base64
import datetime
import json
import random
import re
import sys
import types

import botocore.auth
import botocore.awsrequest
import botocore.credentials
from botocore.compat import HTTPHeaders

SEED = 20261126

# --- a frozen clock for botocore --------------------------------------------


class _FrozenDateTime(datetime.datetime):
    frozen = None

    @classmethod
    def utcnow(cls):
        return cls.frozen


_clock = types.SimpleNamespace(
    **{k: getattr(datetime, k) for k in dir(datetime) if not k.startswith('__')}
)
_clock.datetime = _FrozenDateTime
botocore.auth.datetime = _clock


class RecordingSigV4Auth(botocore.auth.SigV4Auth):
    """SigV4Auth that remembers each stage add_auth() computes."""

    def canonical_request(self, request):
        self.seen_canonical_request = super().canonical_request(request)
        return self.seen_canonical_request

    def string_to_sign(self, request, canonical_request):
        self.seen_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.seen_string_to_sign

    def signature(self, string_to_sign, request):
        self.seen_signature = super().signature(string_to_sign, request)
        return self.seen_signature


# --- encoding ----------------------------------------------------------------

_UNRESERVED = set(b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~')


def pct(text):
    """Percent-encode every UTF-8 byte but A-Za-z0-9-_.~ (uppercase hex)."""
    out = []
    for byte in text.encode('utf-8'):
        out.append(chr(byte) if byte in _UNRESERVED else '%%%02X' % byte)
    return ''.join(out)


def wire_path(segments):
    """Segments (decoded) -> the path a client sends. None means no path."""
    if segments is None:
        return ''
    return '/' + '/'.join(pct(s) for s in segments)


_TOKEN_RE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_VALUE_RE = re.compile(r'^[\t\x20-\x7e]*$')


def check_valid_http(case):
    """Refuse anything a real HTTP/1.1 client could not send."""
    for name, value in case['headers']:
        if not _TOKEN_RE.match(name):
            raise ValueError('%s: bad header name %r' % (case['name'], name))
        if not _VALUE_RE.match(value):
            raise ValueError('%s: bad header value %r' % (case['name'], value))
        if name.lower() in ('date', 'x-amz-date', 'x-amz-security-token',
                            'x-amz-content-sha256'):
            raise ValueError('%s: signer-managed header %s' % (case['name'], name))
    if not re.match(r'^[\x21-\x7e]*$', case['path']) or '?' in case['path'] or '#' in case['path']:
        raise ValueError('%s: bad wire path %r' % (case['name'], case['path']))
    if not any(n.lower() == 'host' for n, _ in case['headers']):
        raise ValueError('%s: no Host' % case['name'])


# --- vocabulary ----------------------------------------------------------------

SERVICES = ['sts', 'monitoring', 'logs', 'lambda', 'dynamodb', 'apigateway',
            'execute-api', 'tagging']
REGIONS = ['us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1', 'ap-southeast-2',
           'eu-central-1', 'us-west-2', 'cn-northwest-1', 'sa-east-1']
LOCAL_HOSTS = ['127.0.0.1:4566', 'localhost:4566', 'localhost:8000', '[::1]:4566',
               '10.0.0.7:9324', 'LocalStack.internal:4566']
METHODS = ['GET', 'POST', 'PUT', 'DELETE']

JSON_TARGETS = {
    'logs': ('application/x-amz-json-1.1',
             ['Logs_20140328.DescribeLogGroups', 'Logs_20140328.FilterLogEvents',
              'Logs_20140328.StartQuery']),
    'dynamodb': ('application/x-amz-json-1.0',
                 ['DynamoDB_20120810.Query', 'DynamoDB_20120810.DescribeTable',
                  'DynamoDB_20120810.ListTables']),
    'tagging': ('application/x-amz-json-1.1',
                ['ResourceGroupsTaggingAPI_20170126.GetResources',
                 'ResourceGroupsTaggingAPI_20170126.GetTagKeys']),
    'monitoring': ('application/x-amz-json-1.0',
                   ['GraniteServiceVersion20100801.GetMetricData',
                    'GraniteServiceVersion20100801.DescribeAlarms']),
}

UNICODE_SEGMENTS = ['café', 'ሴ', '😀', 'naïve résumé', 'hello world', '日本語',
                    'a b  c', 'Ωmega', 'tab\there', 'ñandú', '\u00a0nbsp', 'Ü-ber',
                    'emoji 🚀 rocket', 'x\u200by', 'Ĳ', 'straße', '100% sure',
                    '中文 目录']
RESERVED = "!$&'()*+,;=@[]"
AWKWARD = RESERVED + ":?#%/\"<>\\^`{|} "

ARN_PARTITIONS = {'cn-north-1': 'aws-cn', 'cn-northwest-1': 'aws-cn',
                  'us-gov-west-1': 'aws-us-gov'}

HEADER_SPACE_VALUES = [
    '  leading spaces', 'trailing spaces   ', 'inner   run  of   spaces',
    'tabs\t\tinside\there', '\t leading tab', 'trailing tab\t', ' \t mixed \t ',
    '"quoted   string  with   spaces"', '"  quoted edge  "', 'a \t b \t\t c',
    'x=1;  y=2 ;\tz=3', '', ' ', '\t', '   \t   ', 'single', 'no-space',
    'key="v  a  l", other = "x\t y"', '( comment   with   spaces )',
]

TRAP_KEYS = ['Param', 'param', 'Param-3', 'Param_3', 'Param.3', 'Param~3', 'Param3',
             'a', 'a1', 'A', 'aa', 'a-b', 'a_b', 'a.b', 'a~b', 'aA', 'a_', 'aé', 'a b',
             'b', 'Z', '~', '_', '-', '0', '9', 'ä', 'a%b', 'a+b', '']
TRAP_VALUES = ['', 'a', 'A', 'b', '1', '10', '2', 'a b', 'a-b', 'a%20b', 'é', 'z', '~',
               'a+b', 'a=b']
SPECIAL_VALUES = ['a+b', '1+1=2', 'x=y', 'a&b', 'a&b=c', '100%', '%', '%20', '%2B',
                  '%25', 'hello world', '  spaced  ', 'café', '日本', '🙂', '/path/to',
                  'a?b#c', "it's", '*', '~-_.', 'a;b,c', '[1]', '\tTab', 'line\nbreak',
                  'AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request', '']


def rand_str(rng, alphabet, lo, hi):
    return ''.join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
B64 = ALNUM + '+/'


def token(rng):
    body = rand_str(rng, B64, 200, 900)
    return body + '=' * rng.randint(0, 2)


def arn_partition(region):
    return ARN_PARTITIONS.get(region, 'aws')


def lambda_arn(rng, region):
    fn = rng.choice(['my-fn', 'Thumbnailer', 'fn_with_underscores', 'a', 'ingest-v2'])
    arn = 'arn:%s:lambda:%s:%012d:function:%s' % (
        arn_partition(region), region, rng.randint(0, 10 ** 12 - 1), fn)
    if rng.random() < 0.4:
        arn += ':' + rng.choice(['prod', '$LATEST', '7', 'blue-green'])
    return arn


def aws_host(rng, service, region):
    suffix = 'amazonaws.com.cn' if region.startswith('cn-') else 'amazonaws.com'
    if service == 'execute-api':
        return '%s.execute-api.%s.%s' % (rand_id(rng), region, suffix)
    if service == 'sts' and region == 'us-east-1':
        return 'sts.amazonaws.com'
    return '%s.%s.%s' % (service, region, suffix)


def rand_id(rng):
    return rand_str(rng, 'abcdefghijklmnopqrstuvwxyz0123456789', 10, 10)


def default_segments(rng, service, region):
    if service == 'lambda':
        return ['2015-03-31', 'functions', lambda_arn(rng, region), 'invocations']
    if service == 'apigateway':
        return ['restapis', rand_id(rng), 'resources']
    if service == 'execute-api':
        return [rng.choice(['prod', 'dev', '$default']), 'items', str(rng.randint(1, 999))]
    if service == 'sts' or rng.random() < 0.7:
        return ['']
    return None


def rand_time(rng):
    fixed = [datetime.datetime(2024, 2, 29, 23, 59, 59),
             datetime.datetime(2025, 12, 31, 23, 59, 59),
             datetime.datetime(2026, 1, 1, 0, 0, 0),
             datetime.datetime(2015, 8, 30, 12, 36, 0)]
    if rng.random() < 0.05:
        return rng.choice(fixed)
    start = datetime.datetime(2013, 1, 1)
    return start + datetime.timedelta(seconds=rng.randint(0, 23 * 365 * 86400))


def json_body(rng):
    doc = {
        'TableName': rng.choice(['orders', 'Tëst', 'a b']),
        'Limit': rng.randint(1, 1000),
        'Names': [rand_str(rng, ALNUM + ' éü😀"\\', 0, 12) for _ in range(rng.randint(0, 5))],
        'Nested': {'k': None, 'flag': rng.random() < 0.5, 'pi': 3.14159},
    }
    return json.dumps(doc, ensure_ascii=rng.random() < 0.5,
                      separators=rng.choice([(',', ':'), (', ', ': ')])).encode('utf-8')


# --- the base request and its variations -------------------------------------


def base_case(rng):
    service = rng.choice(SERVICES)
    region = rng.choice(REGIONS)
    host = rng.choice(LOCAL_HOSTS) if rng.random() < 0.2 else aws_host(rng, service, region)
    has_token = rng.random() < 1.0 / 3.0
    case = {
        'method': rng.choice(METHODS),
        'segments': default_segments(rng, service, region),
        'query': [],
        'headers': [],
        'host': host,
        'body': b'',
        'access_key': (('ASIA' if has_token else 'AKIA') + rand_str(rng, UPPER, 16, 16)),
        'secret_key': rand_str(rng, B64, 40, 40),
        'token': token(rng) if has_token else None,
        'region': region,
        'service': service,
        'when': rand_time(rng),
    }
    if case['method'] in ('POST', 'PUT') and rng.random() < 0.5:
        case['body'] = json_body(rng)
        case['headers'].append(('Content-Type', 'application/json'))
    return case


def insert_header(rng, case, name, value):
    pos = rng.randint(0, len(case['headers']))
    case['headers'].insert(pos, (name, value))


def cat_basic(rng, case):
    if rng.random() < 0.5:
        case['query'].append(('Action', rng.choice(['ListThings', 'GetCallerIdentity'])))
        case['query'].append(('Version', '2011-06-15'))


def cat_path_unicode(rng, case):
    segs = [rng.choice(UNICODE_SEGMENTS) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.3:
        segs.append('')
    case['segments'] = rng.choice([[], ['v1']]) + segs


def cat_path_arn(rng, case):
    region = case['region']
    kind = rng.randrange(5)
    arn = lambda_arn(rng, region)
    if kind == 0:
        segs = ['2015-03-31', 'functions', arn, 'invocations']
    elif kind == 1:
        segs = ['2015-03-31', 'functions', arn, 'configuration']
    elif kind == 2:
        segs = ['2017-03-31', 'tags', arn]
    elif kind == 3:
        api = 'arn:%s:apigateway:%s::/restapis/%s' % (arn_partition(region), region, rand_id(rng))
        segs = ['tags', api]   # the ARN's own '/' goes on the wire as %2F
    else:
        segs = ['2019-09-25', 'functions', arn, 'url']
        case['query'].append(('Qualifier', rng.choice(['prod', '$LATEST'])))
    case['segments'] = segs
    case['service'] = rng.choice(['lambda', 'apigateway', 'execute-api', 'lambda'])


def cat_path_reserved(rng, case):
    segs = []
    for _ in range(rng.randint(1, 4)):
        seg = rand_str(rng, 'abcXYZ09' + RESERVED, 1, 10)
        if rng.random() < 0.3:
            seg += rand_str(rng, AWKWARD, 1, 4)
        segs.append(seg)
    case['segments'] = segs


DOT_SHAPES = [
    None, [''], ['', ''], ['', '', ''], ['.'], ['..'], ['..', '..', 'a'],
    ['a', '.', 'b'], ['a', '..', 'b'], ['a', 'b', '..'], ['a', 'b', '..', ''],
    ['a', '', '', 'b'], ['', 'a', '', 'b', ''], ['a', 'b', '.'], ['a', 'b', '.', ''],
    ['...', 'a'], ['.a', '..b', 'c.'], ['a', '..', '..', '..', 'b', ''],
    ['', '.', '', '..', ''], ['foo', 'bar', '', '..', 'baz'], ['a b', '..', 'c d', ''],
    ['café', '.', '..', 'ሴ', ''],
]


def cat_path_dots(rng, case):
    shape = rng.choice(DOT_SHAPES)
    case['segments'] = None if shape is None else list(shape)
    if rng.random() < 0.3 and shape is not None:
        case['segments'] = [rng.choice(['x', '', '.', '..', 'y'])] + case['segments']


def cat_query_repeat(rng, case):
    keys = ['key', 'Filter.1', 'tag', 'flag', 'Key', 'a']
    pairs = []
    for _ in range(rng.randint(2, 8)):
        k = rng.choice(keys)
        r = rng.random()
        if r < 0.2:
            v = None   # sent as "?k", no '='
        elif r < 0.4:
            v = ''     # sent as "?k="
        else:
            v = rng.choice(['1', '2', 'b', 'a', 'A', 'same', 'same', 'x y'])
        pairs.append((k, v))
    case['query'] = pairs


def cat_query_special(rng, case):
    pairs = []
    for _ in range(rng.randint(1, 6)):
        k = rng.choice(['q', 'filter', 'name', 'Next Token', 'k+1', 'a=b', 'a&b',
                        '%20', 'ключ', 'x'])
        pairs.append((k, rng.choice(SPECIAL_VALUES)))
    case['query'] = pairs


def cat_query_sort(rng, case):
    keys = rng.sample(TRAP_KEYS, rng.randint(3, 10))
    pairs = [(k, rng.choice(TRAP_VALUES)) for k in keys]
    if rng.random() < 0.6:
        k = rng.choice(keys)
        for v in rng.sample(TRAP_VALUES, 3):
            pairs.append((k, v))
    rng.shuffle(pairs)
    case['query'] = pairs


def cat_header_dup(rng, case):
    names = [('X-Amz-Meta-Tag', ['x-amz-meta-tag', 'X-AMZ-META-TAG']),
             ('Accept', ['accept', 'ACCEPT']),
             ('X-Custom', ['x-custom', 'X-CUSTOM', 'x-Custom']),
             ('Cache-Control', ['cache-control'])]
    for _ in range(rng.randint(1, 3)):
        canonical, variants = rng.choice(names)
        for _ in range(rng.randint(2, 4)):
            name = rng.choice([canonical] + variants)
            value = rng.choice(['a', 'b', 'c d', '  spaced  ', '', 'text/html', '1', 'x,y'])
            insert_header(rng, case, name, value)


def cat_header_space(rng, case):
    for i in range(rng.randint(1, 5)):
        name = rng.choice(['X-Amz-Meta-Note', 'X-Spaces-%d' % i, 'x-amz-client-context',
                           'X-Weird', 'Content-Language'])
        insert_header(rng, case, name, rng.choice(HEADER_SPACE_VALUES))


def cat_header_unsigned(rng, case):
    pool = [
        ('User-Agent', 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1  exe/x86_64.debian.12'),
        ('user-agent', 'tiertop/0.1 (+curl)'),
        ('USER-AGENT', 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0'),
        ('Expect', '100-continue'),
        ('expect', '100-continue'),
        ('X-Amzn-Trace-Id', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'),
        ('x-amzn-trace-id', 'Root=1-67891233-abcdef012345678912345678'),
    ]
    for _ in range(rng.randint(1, 4)):
        name, value = rng.choice(pool)
        insert_header(rng, case, name, value)


def cat_protocol(rng, case):
    svc = rng.choice(['logs', 'dynamodb', 'tagging', 'monitoring', 'sts', 'monitoring'])
    case['service'] = svc
    case['method'] = 'POST'
    case['segments'] = ['']
    case['query'] = []
    if svc == 'sts' or (svc == 'monitoring' and rng.random() < 0.3):
        action = 'GetCallerIdentity' if svc == 'sts' else 'ListMetrics'
        version = '2011-06-15' if svc == 'sts' else '2010-08-01'
        case['body'] = ('Action=%s&Version=%s' % (action, version)).encode()
        case['headers'] = [('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8')]
    else:
        ctype, targets = JSON_TARGETS[svc]
        case['body'] = json_body(rng)
        case['headers'] = [('Content-Type', ctype), ('X-Amz-Target', rng.choice(targets))]
        if svc == 'monitoring':
            case['headers'].append(('x-amzn-query-mode', 'true'))
        if rng.random() < 0.3:
            case['headers'] = [(n.lower(), v) for n, v in case['headers']]
    if rng.random() < 0.5:
        case['headers'].append(('Content-Length', str(len(case['body']))))
    if rng.random() < 0.3:
        case['headers'].append(('Accept-Encoding', 'identity'))


def cat_body_json(rng, case):
    case['method'] = rng.choice(['POST', 'PUT'])
    case['body'] = json_body(rng)
    case['headers'] = [(n, v) for n, v in case['headers'] if n.lower() != 'content-type']
    case['headers'].append((rng.choice(['Content-Type', 'content-type']),
                            rng.choice(['application/json', 'application/x-amz-json-1.1',
                                        'application/json; charset=UTF-8'])))


def cat_body_binary(rng, case):
    size = rng.choice([1, 2, 3, 63, 64, 65, 255, 1000, 4096, 8191, 65537])
    case['body'] = bytes(rng.getrandbits(8) for _ in range(size))
    if rng.random() < 0.5:
        case['body'] = b'\0' + case['body']
    case['headers'].append(('Content-Type', 'application/octet-stream'))
    if case['method'] in ('GET', 'DELETE') and rng.random() < 0.5:
        case['method'] = 'PUT'


def cat_body_empty(rng, case):
    case['body'] = b''
    if rng.random() < 0.5:
        case['headers'].append(('Content-Length', '0'))


def cat_port(rng, case):
    case['host'] = rng.choice(LOCAL_HOSTS + ['sts.amazonaws.com:443',
                                             'monitoring.us-east-1.amazonaws.com:8443'])


def cat_mixed(rng, case):
    for fn in rng.sample([cat_path_unicode, cat_path_arn, cat_path_reserved, cat_path_dots,
                          cat_query_repeat, cat_query_special, cat_query_sort,
                          cat_header_dup, cat_header_space, cat_header_unsigned,
                          cat_body_binary, cat_port], 4):
        fn(rng, case)


def cat_body_large(rng, case):
    case['method'] = rng.choice(['POST', 'PUT'])
    size = (1 << 20) + rng.randint(0, 300000)
    case['body'] = rng.randbytes(size)
    case['headers'].append(('Content-Type', 'application/octet-stream'))
    case['headers'].append(('Content-Length', str(size)))


CATEGORIES = [
    ('basic', cat_basic), ('path-unicode', cat_path_unicode), ('path-arn', cat_path_arn),
    ('path-reserved', cat_path_reserved), ('path-dots', cat_path_dots),
    ('query-repeat', cat_query_repeat), ('query-special', cat_query_special),
    ('query-sort', cat_query_sort), ('header-dup', cat_header_dup),
    ('header-space', cat_header_space), ('header-unsigned', cat_header_unsigned),
    ('protocol', cat_protocol), ('body-json', cat_body_json),
    ('body-binary', cat_body_binary), ('body-empty', cat_body_empty), ('port', cat_port),
    ('mixed', cat_mixed),
]
LARGE_EVERY = 150   # one large-body case per this many (4 of 600)


def place_host(rng, case):
    """Host goes first, last or in the middle, in any case of its name."""
    name = rng.choice(['Host', 'Host', 'host', 'HOST'])
    if rng.random() < 0.6:
        case['headers'].insert(0, (name, case['host']))
    else:
        insert_header(rng, case, name, case['host'])


def make_case(rng, index):
    case = base_case(rng)
    if index % LARGE_EVERY == LARGE_EVERY - 1:
        cat, fn = 'body-large', cat_body_large
    else:
        cat, fn = CATEGORIES[index % len(CATEGORIES)]
    fn(rng, case)
    place_host(rng, case)
    case['name'] = '%s-%04d' % (cat, index)
    case['path'] = wire_path(case['segments'])
    return case


# --- signing -------------------------------------------------------------------


def sign(case):
    amz_date = case['when'].strftime('%Y%m%dT%H%M%SZ')
    _FrozenDateTime.frozen = case['when']   # naive UTC, like utcnow()
    headers = HTTPHeaders()
    for name, value in case['headers']:
        headers[name] = value   # appends: repeated names are kept, in order
    request = botocore.awsrequest.AWSRequest(
        method=case['method'],
        url='https://' + case['host'] + case['path'],
        headers=headers,
        data=case['body'],
        params=[(k, '' if v is None else v) for k, v in case['query']],
    )
    creds = botocore.credentials.Credentials(case['access_key'], case['secret_key'],
                                             case['token'])
    signer = RecordingSigV4Auth(creds, case['service'], case['region'])
    signer.add_auth(request)
    if request.headers['X-Amz-Date'] != amz_date:
        raise RuntimeError('%s: the frozen clock did not take' % case['name'])
    return {
        'name': case['name'],
        'method': case['method'],
        'path': case['path'],
        'query': [[k, v] for k, v in case['query']],
        'headers': [[n, v] for n, v in case['headers']],
        'body_b64': base64.b64encode(case['body']).decode('ascii'),
        'access_key': case['access_key'],
        'secret_key': case['secret_key'],
        'token': case['token'],
        'region': case['region'],
        'service': case['service'],
        'amz_date': amz_date,
        'canonical_request': signer.seen_canonical_request,
        'string_to_sign': signer.seen_string_to_sign,
        'signature': signer.seen_signature,
        'authorization': request.headers['Authorization'],
    }


def main(argv):
    count = int(argv[1]) if len(argv) > 1 else 600
    rng = random.Random(SEED)
    out = sys.stdout
    for index in range(count):
        case = make_case(rng, index)
        check_valid_http(case)
        out.write(json.dumps(sign(case), separators=(',', ':')))
        out.write('\n')
    out.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

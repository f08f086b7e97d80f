"""EC2 instance metadata service, IMDSv2 session tokens included.

With POST /_sim/config {"imds_token_hangs": true} the token PUT is never answered (as in a
container on EC2 whose hop limit of 1 drops the answer): the connection is reset once the
switch is turned off again (a reset does that) or after HANG_SECONDS.
"""
import time

from ..clock import iso8601
from ..state import EC2_ROLE_ARN
from ..protocols import REST_JSON
from ..wire import Response, json_response, text_response

SERVICE = 'imds'
PROTOCOL = REST_JSON
TOKEN_PATH = '/latest/api/token'
HANG_SECONDS = 60
META_PREFIX = '/latest/meta-data/'
TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds'
MAX_TOKEN_TTL = 21600
ROLE_NAME = EC2_ROLE_ARN.rsplit('/', 1)[1]
INSTANCE_ID = 'i-0123456789abcdef0'
CREDENTIAL_LIFETIME = 6 * 3600

_STATIC = {
    'iam/security-credentials': ROLE_NAME,
    'instance-id': INSTANCE_ID,
    'placement/region': 'eu-west-1',
    'placement/availability-zone': 'eu-west-1a',
}


def match_unsigned(req):
    if req.path == TOKEN_PATH:
        return 'GetToken'
    return 'GetMetadata' if req.path.startswith('/latest/') else None


def handle(sim, req, reply, action, identity):
    if action == 'GetToken':
        return _token(sim, req)
    return _metadata(sim, req)


def _token(sim, req):
    if req.method != 'PUT':
        return text_response('Method Not Allowed', 405)
    if sim.state.config().get('imds_token_hangs'):
        return _hang(sim)
    # IMDS refuses forwarded requests so a proxy on the instance cannot mint tokens.
    if req.header('X-Forwarded-For') is not None:
        return text_response('Forbidden', 403)
    ttl = req.header(TTL_HEADER, '')
    if not ttl.isdigit() or not 1 <= int(ttl) <= MAX_TOKEN_TTL:
        return text_response('Bad Request', 400)
    token = sim.state.new_imds_token(sim.now() + int(ttl))
    return text_response(token, headers=[(TTL_HEADER, ttl)])


def _hang(sim):
    deadline = time.monotonic() + HANG_SECONDS
    while sim.state.config().get('imds_token_hangs') and time.monotonic() < deadline:
        time.sleep(0.05)
    return Response(0, disconnect='reset')


def _metadata(sim, req):
    if req.method not in ('GET', 'HEAD'):
        return text_response('Method Not Allowed', 405)
    token = req.header('x-aws-ec2-metadata-token')
    if token is None:
        if not sim.state.config()['imds_v1']:
            return text_response('Unauthorized', 401)
    elif not sim.state.imds_token_valid(token, sim.now()):
        return text_response('Unauthorized', 401)
    if not req.path.startswith(META_PREFIX):
        return text_response('Not Found', 404)
    key = req.path[len(META_PREFIX):].rstrip('/')
    if key == f'iam/security-credentials/{ROLE_NAME}':
        return _credentials(sim)
    if key in _STATIC:
        return text_response(_STATIC[key])
    return text_response('Not Found', 404)


def _credentials(sim):
    creds = sim.state.instance_session(EC2_ROLE_ARN, INSTANCE_ID, sim.now(), CREDENTIAL_LIFETIME)
    return json_response({
        'Code': 'Success',
        'LastUpdated': iso8601(creds.issued),
        'Type': 'AWS-HMAC',
        'AccessKeyId': creds.access_key_id,
        'SecretAccessKey': creds.secret_access_key,
        'Token': creds.session_token,
        'Expiration': iso8601(creds.expires),
    }, content_type='text/plain')

"""ECS / EKS Pod Identity style container credentials endpoint."""
from ..clock import iso8601
from ..protocols import REST_JSON
from ..state import ECS_ROLE_ARN
from ..wire import json_response

SERVICE = 'container'
PROTOCOL = REST_JSON
PATH_PREFIX = '/container/creds'
SESSION_NAME = 'tiertop-task'
CREDENTIAL_LIFETIME = 6 * 3600


def match_unsigned(req):
    return 'GetCredentials' if req.path.startswith(PATH_PREFIX) else None


def handle(sim, req, reply, action, identity):
    if req.method != 'GET':
        return json_response({'code': 'MethodNotAllowed', 'message': 'Use GET'}, 405)
    expected = sim.state.config()['container_auth_token']
    if expected is not None:
        sent = req.header('Authorization')
        if sent is None:
            return json_response({'code': 'NoAuthorizationToken',
                                  'message': 'Authorization header is missing'}, 401)
        if sent != expected:
            return json_response({'code': 'AccessDenied',
                                  'message': 'Authorization token is not valid'}, 403)
    creds = sim.state.instance_session(ECS_ROLE_ARN, SESSION_NAME, sim.now(), CREDENTIAL_LIFETIME)
    return json_response({
        'AccessKeyId': creds.access_key_id,
        'SecretAccessKey': creds.secret_access_key,
        'Token': creds.session_token,
        'Expiration': iso8601(creds.expires),
        'RoleArn': ECS_ROLE_ARN,
        'AccountId': creds.account,
    })

"""IAM Identity Center portal: GET /federation/credentials (unsigned, bearer token)."""
from ..protocols import REST_JSON
from ..state import SSO_ROLE_SUFFIX, role_id_for

SERVICE = 'sso'
PROTOCOL = REST_JSON
CREDENTIAL_LIFETIME = 3600


def match_unsigned(req):
    return 'GetRoleCredentials' if req.path == '/federation/credentials' else None


def handle(sim, req, reply, action, identity):
    if req.method != 'GET':
        return reply.error(405, 'MethodNotAllowedException', 'Method not allowed')
    params = req.query_params()
    account, role_name = params.get('account_id'), params.get('role_name')
    if not account or not role_name:
        return reply.error(400, 'InvalidRequestException',
                           'account_id and role_name are required')
    token = sim.state.sso_token(req.header('x-amz-sso_bearer_token', ''), sim.now())
    if token is None:
        return reply.error(401, 'UnauthorizedException', 'Session token not found or invalid')
    if (token.account_id, token.role_name) != (account, role_name):
        return reply.error(403, 'ForbiddenException', 'No access')
    sso_role = f'AWSReservedSSO_{role_name}_{SSO_ROLE_SUFFIX}'
    role_arn = f'arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/{sso_role}'
    creds = sim.state.issue_session(account, sso_role, role_id_for(role_arn), token.user,
                                    sim.now(), CREDENTIAL_LIFETIME)
    return reply.json({'roleCredentials': {
        'accessKeyId': creds.access_key_id,
        'secretAccessKey': creds.secret_access_key,
        'sessionToken': creds.session_token,
        'expiration': int(creds.expires * 1000),  # epoch milliseconds, unlike STS
    }})

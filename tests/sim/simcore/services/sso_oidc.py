"""SSO OIDC token refresh: POST /token (unsigned, JSON)."""
from ..protocols import REST_JSON
from ..state import MAIN_ACCOUNT, SsoToken

SERVICE = 'sso-oidc'
PROTOCOL = REST_JSON
REFRESH_TOKEN = 'sim-sso-refresh-token'
REFRESHED_ACCESS_TOKEN = 'sim-sso-access-token-refreshed'
ACCESS_TOKEN_LIFETIME = 3600


def match_unsigned(req):
    return 'CreateToken' if req.method == 'POST' and req.path == '/token' else None


def _oauth_error(reply, status, code, error, description):
    # OIDC errors carry OAuth fields in the body and the AWS code in x-amzn-ErrorType.
    return reply.json({'error': error, 'error_description': description}, status,
                      [('x-amzn-ErrorType', code)])


def handle(sim, req, reply, action, identity):
    try:
        body = req.json()
    except ValueError:
        return _oauth_error(reply, 400, 'InvalidRequestException', 'invalid_request',
                            'Request body is not a JSON object')
    if not body.get('clientId') or not body.get('clientSecret'):
        return _oauth_error(reply, 401, 'InvalidClientException', 'invalid_client',
                            'clientId and clientSecret are required')
    if body.get('grantType') != 'refresh_token':
        return _oauth_error(reply, 400, 'UnsupportedGrantTypeException', 'unsupported_grant_type',
                            'Only refresh_token is supported by the simulator')
    if body.get('refreshToken') != REFRESH_TOKEN:
        return _oauth_error(reply, 400, 'InvalidGrantException', 'invalid_grant',
                            'Invalid refresh token provided')
    sim.state.add_sso_token(SsoToken(REFRESHED_ACCESS_TOKEN, MAIN_ACCOUNT, 'ReadOnly',
                                     expires=sim.now() + ACCESS_TOKEN_LIFETIME))
    return reply.json({'accessToken': REFRESHED_ACCESS_TOKEN, 'tokenType': 'Bearer',
                       'expiresIn': ACCESS_TOKEN_LIFETIME, 'refreshToken': REFRESH_TOKEN})

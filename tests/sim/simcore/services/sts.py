"""STS (awsQuery, XML): GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity."""
import re

from ..clock import iso8601
from ..protocols import QUERY, STS_XMLNS

SERVICE = 'sts'
PROTOCOL = QUERY
XMLNS = STS_XMLNS
API_VERSION = '2011-06-15'

MIN_DURATION = 900
MAX_DURATION = 43200
DEFAULT_DURATION = 3600
CHAINED_MAX_DURATION = 3600
_SESSION_NAME_RE = re.compile(r'[\w+=,.@-]*\Z', re.ASCII)


class _Fail(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _validation(message):
    return _Fail(400, 'ValidationError', message)


def match_unsigned(req):
    # Web identity federation is the one STS call made without credentials.
    if req.method == 'POST' and req.path == '/' and \
            req.form().get('Action') == 'AssumeRoleWithWebIdentity':
        return 'AssumeRoleWithWebIdentity'
    return None


def action_of(req):
    return req.form().get('Action')


def handle(sim, req, reply, action, identity):
    params = req.form()
    try:
        if not action:
            raise _Fail(400, 'MissingAction', 'Missing Action')
        operation = _OPERATIONS.get(action)
        if operation is None:
            raise _Fail(400, 'InvalidAction',
                        f'Could not find operation {action} for version {API_VERSION}')
        return reply.query_result(action, operation(sim, params, identity))
    except _Fail as fail:
        return reply.error(fail.status, fail.code, fail.message)


def _get_caller_identity(sim, params, identity):
    return {'Arn': identity.arn, 'UserId': identity.user_id, 'Account': identity.account}


def _assume_role(sim, params, identity):
    role_arn = _required(params, 'RoleArn', 'roleArn')
    session = _session_name(params)
    duration = _duration(params)
    role = sim.state.role(role_arn)
    denied = _Fail(403, 'AccessDenied', f'User: {identity.arn} is not authorized to perform: '
                                        f'sts:AssumeRole on resource: {role_arn}')
    if role is None:
        raise denied
    if role.external_id is not None and params.get('ExternalId') != role.external_id:
        raise denied
    if role.mfa_serial is not None:
        if not params.get('SerialNumber') or not params.get('TokenCode'):
            raise denied
        if params['SerialNumber'] != role.mfa_serial or \
                (role.mfa_code is not None and params['TokenCode'] != role.mfa_code):
            raise _Fail(403, 'AccessDenied',
                        'MultiFactorAuthentication failed with invalid MFA one time pass code. ')
    if identity.role_session and duration > CHAINED_MAX_DURATION:
        raise _validation('The requested DurationSeconds exceeds the 1 hour session limit '
                          'for roles assumed by role chaining.')
    _check_max_duration(role, duration)
    creds = sim.state.assume(role, session, sim.now(), duration)
    return {'AssumedRoleUser': _assumed_role_user(creds), 'Credentials': _credentials(creds)}


def _assume_role_with_web_identity(sim, params, identity):
    role_arn = _required(params, 'RoleArn', 'roleArn')
    session = _session_name(params)
    token = _required(params, 'WebIdentityToken', 'webIdentityToken')
    duration = _duration(params)
    role = sim.state.role(role_arn)
    if role is None or role.web_identity_token is None:
        raise _Fail(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity')
    if token != role.web_identity_token:
        raise _Fail(400, 'InvalidIdentityToken',
                    'The web identity token that was passed could not be validated by '
                    'Amazon Web Services. Get a new identity token from the identity '
                    'provider and then retry the request.')
    _check_max_duration(role, duration)
    creds = sim.state.assume(role, session, sim.now(), duration)
    return {
        'SubjectFromWebIdentityToken': 'system:serviceaccount:tiertop:tiertop',
        'Audience': 'sts.amazonaws.com',
        'AssumedRoleUser': _assumed_role_user(creds),
        'Credentials': _credentials(creds),
        'Provider': f'arn:aws:iam::{role.account}:oidc-provider/oidc.tiertop.sim',
    }


_OPERATIONS = {
    'GetCallerIdentity': _get_caller_identity,
    'AssumeRole': _assume_role,
    'AssumeRoleWithWebIdentity': _assume_role_with_web_identity,
}


def _required(params, name, member):
    value = params.get(name)
    if not value:
        raise _validation(f"1 validation error detected: Value null at '{member}' failed to "
                          'satisfy constraint: Member must not be null')
    return value


def _session_name(params):
    name = _required(params, 'RoleSessionName', 'roleSessionName')
    if not 2 <= len(name) <= 64:
        bound = 'greater than or equal to 2' if len(name) < 2 else 'less than or equal to 64'
        raise _validation(f"1 validation error detected: Value '{name}' at 'roleSessionName' "
                          f'failed to satisfy constraint: Member must have length {bound}')
    if not _SESSION_NAME_RE.match(name):
        raise _validation(f"1 validation error detected: Value '{name}' at 'roleSessionName' "
                          'failed to satisfy constraint: Member must satisfy regular '
                          r'expression pattern: [\w+=,.@-]*')
    return name


def _duration(params):
    raw = params.get('DurationSeconds')
    if raw is None:
        return DEFAULT_DURATION
    try:
        value = int(raw)
    except ValueError:
        raise _validation(f"Value '{raw}' at 'durationSeconds' is not a valid integer") from None
    if value < MIN_DURATION or value > MAX_DURATION:
        bound = (f'greater than or equal to {MIN_DURATION}' if value < MIN_DURATION
                 else f'less than or equal to {MAX_DURATION}')
        raise _validation(f"1 validation error detected: Value '{value}' at 'durationSeconds' "
                          f'failed to satisfy constraint: Member must have value {bound}')
    return value


def _check_max_duration(role, duration):
    if duration > role.max_duration:
        raise _validation('The requested DurationSeconds exceeds the MaxSessionDuration set '
                          'for this role.')


def _assumed_role_user(creds):
    return {'Arn': creds.arn, 'AssumedRoleId': creds.user_id}


def _credentials(creds):
    # Same member order as the AWS documentation's example: clients must not rely on it.
    return {
        'SessionToken': creds.session_token,
        'SecretAccessKey': creds.secret_access_key,
        'Expiration': iso8601(creds.expires),
        'AccessKeyId': creds.access_key_id,
    }

"""Who exists in the simulated AWS: identities, roles, SSO and IMDS tokens, settings.

All of it is rebuilt by reset(), so every test can start from the documented defaults.
"""
import base64
import hashlib
import secrets
import string
import threading
from dataclasses import dataclass

MAIN_ACCOUNT = '111122223333'
CI_ACCOUNT = '444455556666'
SSO_ROLE_SUFFIX = '0123456789abcdef'
DEFAULT_MAX_DURATION = 3600
# Reissue instance/container credentials this long before they expire, as the real
# endpoints do, so a client polling them sees rotation rather than expired keys.
INSTANCE_REFRESH_MARGIN = 300

_UPPER_ALNUM = string.ascii_uppercase + string.digits


@dataclass
class Identity:
    access_key_id: str
    secret_access_key: str
    account: str
    arn: str
    user_id: str
    session_token: str = None
    expires: float = None
    issued: float = None
    role_session: bool = False  # from AssumeRole*: chained AssumeRole is capped at 1 h

    def expired(self, now):
        return self.expires is not None and now >= self.expires


@dataclass
class Role:
    arn: str
    external_id: str = None
    mfa_serial: str = None
    mfa_code: str = None
    max_duration: int = DEFAULT_MAX_DURATION
    force_duration: int = None      # lifetime of issued credentials, overriding the request
    web_identity_token: str = None  # token accepted by AssumeRoleWithWebIdentity, if any

    @property
    def account(self):
        return self.arn.split(':')[4]

    @property
    def name(self):
        return self.arn.rsplit('/', 1)[1]

    @property
    def role_id(self):
        return role_id_for(self.arn)


@dataclass
class SsoToken:
    token: str
    account_id: str
    role_name: str
    expires: float = None
    user: str = 'ops'


def role_id_for(arn):
    # Stable per ARN, so a role keeps its AROA id across resets like a real role does.
    digest = base64.b32encode(hashlib.sha256(arn.encode()).digest()).decode()
    return 'AROA' + digest[:17]


def _new_access_key():
    return 'ASIA' + ''.join(secrets.choice(_UPPER_ALNUM) for _ in range(16))


def _new_secret():
    # Real secrets use the base64 alphabet, '/' and '+' included: keep clients honest.
    return base64.b64encode(secrets.token_bytes(30)).decode()


def _new_session_token():
    return 'IQoJb3JpZ2luX2VjE' + base64.b64encode(secrets.token_bytes(270)).decode()


def _default_identities():
    return [
        Identity('AKIDTIERTOPSIM000001', 'tiertopSimSecretKey0000000000000000000001',
                 MAIN_ACCOUNT, f'arn:aws:iam::{MAIN_ACCOUNT}:user/ops', 'AIDATIERTOPSIM000001'),
        Identity('AKIDTIERTOPSIM000002', 'tiertopSimSecretKey0000000000000000000002',
                 CI_ACCOUNT, f'arn:aws:iam::{CI_ACCOUNT}:user/ci', 'AIDATIERTOPSIM000002'),
    ]


EC2_ROLE_ARN = f'arn:aws:iam::{MAIN_ACCOUNT}:role/tiertop-ec2-role'
ECS_ROLE_ARN = f'arn:aws:iam::{MAIN_ACCOUNT}:role/ecs-task-role'


def _default_roles():
    return [
        Role(f'arn:aws:iam::{MAIN_ACCOUNT}:role/ops-readonly'),
        Role(f'arn:aws:iam::{CI_ACCOUNT}:role/prod-admin', external_id='tiertop-ext'),
        Role(f'arn:aws:iam::{MAIN_ACCOUNT}:role/mfa-role',
             mfa_serial=f'arn:aws:iam::{MAIN_ACCOUNT}:mfa/ops', mfa_code='123456'),
        Role(f'arn:aws:iam::{MAIN_ACCOUNT}:role/web-role',
             web_identity_token='valid-web-identity-token'),
        # Used by the IMDS and container endpoints; listed so force_duration can be set.
        Role(EC2_ROLE_ARN),
        Role(ECS_ROLE_ARN),
    ]


DEFAULT_CONFIG = {
    'imds_v1': False,
    'container_auth_token': None,
    # CloudWatch answers awsJson requests like an endpoint that only speaks awsQuery.
    'cloudwatch_xml_only': False,
    # CloudWatch behaves like an AWS emulator that serves only awsQuery and answers an
    # awsJson request with HTTP 500 and a page of HTML (no error code).
    'cloudwatch_emulator': False,
    # A function error is answered as some emulators do: X-Amz-Function-Error Handled and
    # the runtime's text as the body, not Lambda's JSON error document.
    'lambda_raw_errors': False,
    # IMDS never answers the IMDSv2 token PUT (a container on EC2 behind a hop limit of 1):
    # the client must time out and fall back to IMDSv1.
    'imds_token_hangs': False,
    # Live Tail: garble one frame's message CRC; split frames into writes of N bytes;
    # end sessions after N seconds with SessionTimeoutException (AWS: 3 hours).
    'livetail_corrupt_crc': False,
    'livetail_chunk_bytes': None,
    'livetail_max_seconds': 10800,
    # BatchGetItem serves at most N keys per call, returning the rest as UnprocessedKeys.
    'dynamodb_batch_max_keys': None,
    # FilterLogEvents gives up (returning a nextToken) after N non-matching events.
    'logs_filter_scan_events': None,
    # FilterLogEvents answers a request that carries a nextToken with no events and the
    # same token (a broken service or proxy): a client must not loop for ever.
    'logs_filter_repeat_token': False,
    # Answers of at least gzip_min_bytes are gzip-compressed when the request accepts gzip, as
    # AWS services may do: on by default so that every client test decodes compressed answers.
    'gzip_responses': True,
    'gzip_min_bytes': 512,
    # Per-API request quotas like AWS's defaults (simcore/quotas.py), and overrides of their
    # rates: {"logs.FilterLogEvents": {"rate": 0.01, "burst": 2}}.
    'quotas': False,
    'quota_limits': {},
}


class State:
    def __init__(self):
        self._lock = threading.RLock()
        self.reset()

    def reset(self):
        with self._lock:
            self._identities = {i.access_key_id: i for i in _default_identities()}
            self._roles = {r.arn: r for r in _default_roles()}
            self._sso_tokens = {}
            self.add_sso_token(SsoToken('sim-sso-access-token', MAIN_ACCOUNT, 'ReadOnly'))
            self._imds_tokens = {}
            self._instance_sessions = {}
            self._config = dict(DEFAULT_CONFIG)

    # identities
    def add_identity(self, identity):
        with self._lock:
            self._identities[identity.access_key_id] = identity

    def identity(self, access_key_id):
        with self._lock:
            return self._identities.get(access_key_id)

    def issue_session(self, account, role_name, role_id, session_name, now, lifetime):
        """Mint temporary credentials for an assumed role and make them usable."""
        identity = Identity(
            access_key_id=_new_access_key(), secret_access_key=_new_secret(),
            account=account, arn=f'arn:aws:sts::{account}:assumed-role/{role_name}/{session_name}',
            user_id=f'{role_id}:{session_name}', session_token=_new_session_token(),
            expires=now + lifetime, issued=now, role_session=True)
        self.add_identity(identity)
        return identity

    def assume(self, role, session_name, now, duration):
        lifetime = role.force_duration if role.force_duration is not None else duration
        return self.issue_session(role.account, role.name, role.role_id, session_name, now, lifetime)

    def instance_session(self, role_arn, session_name, now, lifetime):
        """Credentials for IMDS/container endpoints: the same keys until close to expiry."""
        with self._lock:
            current = self._instance_sessions.get(role_arn)
            if current and current.expires - now > INSTANCE_REFRESH_MARGIN:
                return current
            current = self.assume(self._roles[role_arn], session_name, now, lifetime)
            self._instance_sessions[role_arn] = current
            return current

    # roles
    def add_role(self, role):
        with self._lock:
            self._roles[role.arn] = role

    def role(self, arn):
        with self._lock:
            return self._roles.get(arn)

    # SSO portal tokens
    def add_sso_token(self, token):
        with self._lock:
            self._sso_tokens[token.token] = token

    def sso_token(self, token, now):
        with self._lock:
            entry = self._sso_tokens.get(token)
        if entry is None or (entry.expires is not None and now >= entry.expires):
            return None
        return entry

    # IMDSv2 session tokens
    def new_imds_token(self, expires):
        token = 'AQAEA' + secrets.token_urlsafe(40)
        with self._lock:
            self._imds_tokens[token] = expires
        return token

    def imds_token_valid(self, token, now):
        with self._lock:
            expires = self._imds_tokens.get(token)
        return expires is not None and now < expires

    def update_config(self, changes):
        with self._lock:
            self._config.update(changes)

    def config(self):
        with self._lock:
            return dict(self._config)

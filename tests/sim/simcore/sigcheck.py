"""SigV4 verification, failing the way AWS fails.

The expected signature is computed by botocore's own signer from the request as received,
so the simulator never agrees with a client bug just because both share one
hand-written implementation.
"""
import calendar
import hmac
import re
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from hashlib import sha256
from urllib.parse import unquote

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from .clock import AMZ_DATE_FORMAT, amz_date

ALGORITHM = 'AWS4-HMAC-SHA256'
MAX_SKEW_SECONDS = 300

SIGNATURE_MISMATCH = ('The request signature we calculated does not match the signature you '
                      'provided. Check your AWS Secret Access Key and signing method. Consult '
                      'the service documentation for details.')
INVALID_TOKEN = 'The security token included in the request is invalid.'
EXPIRED_TOKEN = 'The security token included in the request is expired'

_SCOPE_RE = re.compile(r'Credential=[^/,\s]*/\d{8}/[^/,\s]+/([^/,\s]+)/aws4_request')
_AMZ_DATE_RE = re.compile(r'\d{8}T\d{6}Z\Z')


class AuthFailure(Exception):
    """kind is one of: missing, incomplete, invalid_token, signature, expired."""

    def __init__(self, kind, message, detail=None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail or {}

    def as_dict(self):
        return {'kind': self.kind, 'message': self.message, **self.detail}


@dataclass(frozen=True)
class Authorization:
    access_key: str
    date: str
    region: str
    service: str
    signed_headers: tuple
    signature: str


def scope_service(authorization):
    """Signing service named in an Authorization header, even a partly garbled one.

    Routing needs it before (and regardless of) verification so that errors come back
    in the protocol of the service the client meant to call.
    """
    match = _SCOPE_RE.search(authorization or '')
    return match.group(1) if match else None


def parse_authorization(value):
    algorithm, _, rest = value.strip().partition(' ')
    if algorithm != ALGORITHM:
        raise AuthFailure('incomplete', f"Unsupported AWS 'algorithm': '{algorithm}'. "
                                        f"Authorization={value}")
    fields = {}
    for part in rest.split(','):
        key, eq, val = part.strip().partition('=')
        if eq:
            fields[key] = val.strip()
    missing = [k for k in ('Credential', 'SignedHeaders', 'Signature') if not fields.get(k)]
    if missing:
        raise AuthFailure('incomplete', ' '.join(
            f"Authorization header requires '{k}' parameter." for k in missing)
            + f' Authorization={value}')
    scope = fields['Credential'].split('/')
    if len(scope) != 5 or not all(scope) or scope[4] != 'aws4_request':
        raise AuthFailure('incomplete', "Credential should be scoped to a valid region, service "
                                        "and terminator: 'AKID/YYYYMMDD/region/service/aws4_request'. "
                                        f"Got '{fields['Credential']}'.")
    signed = tuple(fields['SignedHeaders'].split(';'))
    if 'host' not in signed:
        raise AuthFailure('incomplete',
                          "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    return Authorization(scope[0], scope[1], scope[2], scope[3], signed, fields['Signature'])


def request_time(req):
    """(amz-date string, epoch seconds) from X-Amz-Date, or from Date as SigV4 allows."""
    stamp = req.header('X-Amz-Date')
    if stamp is not None:
        if not _AMZ_DATE_RE.match(stamp):
            raise AuthFailure('incomplete', "Date must be in ISO-8601 'basic format'. "
                                            f"Got '{stamp}'. See http://en.wikipedia.org/wiki/ISO_8601")
        return stamp, calendar.timegm(time.strptime(stamp, AMZ_DATE_FORMAT))
    date = req.header('Date')
    if date is not None:
        try:
            when = parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return amz_date(when), when
    raise AuthFailure('incomplete', "Authorization header requires existence of either a "
                                    "'X-Amz-Date' or a 'Date' header. "
                                    f"Authorization={req.header('Authorization')}")


def skew_message(stamp, request_ts, now):
    now_s = amz_date(now)
    if request_ts < now:
        return (f'Signature expired: {stamp} is now earlier than '
                f'{amz_date(now - MAX_SKEW_SECONDS)} ({now_s} - 5 min.)')
    return (f'Signature not yet current: {stamp} is still later than '
            f'{amz_date(now + MAX_SKEW_SECONDS)} ({now_s} + 5 min.)')


class _AsReceivedSigner(SigV4Auth):
    """botocore's signer restricted to exactly the headers the client listed.

    botocore skips some headers (user-agent, expect, ...) when it signs for itself, but
    AWS verifies whatever the client put in SignedHeaders, so do the same here.
    """

    def headers_to_sign(self, request):
        return request.headers


def _query_pairs(query):
    # AWS decodes the query and re-encodes it canonically, so a client that signs a
    # non-canonical spelling of what it sent (e.g. %7e, or unsorted keys) must fail here too.
    pairs = []
    for part in query.split('&'):
        if part:
            key, _, value = part.partition('=')
            pairs.append((unquote(key), unquote(value)))
    return pairs


def expected_signature(req, auth, secret, stamp):
    """(signature, canonical request, string to sign) that AWS would expect."""
    aws_req = AWSRequest(method=req.method,
                         url='http://' + (req.header('Host') or 'localhost') + req.path,
                         data=req.body, params=_query_pairs(req.query))
    wanted = set(auth.signed_headers)
    for name, value in req.headers:
        if name.lower() in wanted:
            aws_req.headers[name.lower()] = value  # appends: repeated headers keep their order
    aws_req.context['timestamp'] = stamp
    signer = _AsReceivedSigner(Credentials(auth.access_key, secret), auth.service, auth.region)
    canonical = signer.canonical_request(aws_req)
    to_sign = signer.string_to_sign(aws_req, canonical)
    return signer.signature(to_sign, aws_req), canonical, to_sign


def verify(req, find_identity, now):
    """Return the caller's identity or raise AuthFailure.

    find_identity(access_key) returns an object with secret_access_key, session_token
    and expired(now), or None.
    """
    value = req.header('Authorization')
    if value is None:
        raise AuthFailure('missing', 'Request is missing Authentication Token')
    auth = parse_authorization(value)
    stamp, when = request_time(req)
    if auth.date != stamp[:8]:
        raise AuthFailure('signature', 'Date in Credential scope does not match YYYYMMDD from '
                                       f"ISO-8601 version of date from HTTP: '{auth.date}' != "
                                       f"'{stamp[:8]}', from '{stamp}'.")
    if abs(when - now) > MAX_SKEW_SECONDS:
        raise AuthFailure('signature', skew_message(stamp, when, now))
    identity = find_identity(auth.access_key)
    if identity is None or req.header('X-Amz-Security-Token') != identity.session_token:
        raise AuthFailure('invalid_token', INVALID_TOKEN)
    if identity.expired(now):
        raise AuthFailure('expired', EXPIRED_TOKEN)
    signature, canonical, to_sign = expected_signature(req, auth, identity.secret_access_key, stamp)
    detail = {'canonical_request': canonical, 'string_to_sign': to_sign}
    if not hmac.compare_digest(signature.encode(), auth.signature.encode()):
        raise AuthFailure('signature', SIGNATURE_MISMATCH, detail)
    # botocore trusts a signed x-amz-content-sha256 instead of hashing the body; without
    # this check a body could be swapped under a stale hash and still verify.
    declared = req.header('X-Amz-Content-SHA256')
    if 'x-amz-content-sha256' in auth.signed_headers and declared != sha256(req.body).hexdigest():
        raise AuthFailure('signature', SIGNATURE_MISMATCH,
                          {'reason': 'x-amz-content-sha256 does not match the body'})
    return identity

"""In-process tests of simcore.sigcheck: no server, just requests signed by botocore."""
import time
import unittest
from hashlib import sha256

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from simcore import sigcheck
from simcore.state import Identity
from simcore.wire import Request

HOST = '127.0.0.1:4566'
AKID = 'AKIDTIERTOPSIM000001'
SECRET = 'tiertopSimSecretKey0000000000000000000001'
TOKEN = 'session-token/with+odd=chars'
LAMBDA_PATH = ('/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A111122223333'
               '%3Afunction%3Afoo/invocations')


def sign(method='POST', path='/', query='', body=b'Action=GetCallerIdentity&Version=2011-06-15',
         headers=(('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'),),
         service='sts', secret=SECRET, token=None, akid=AKID):
    """A Request as a botocore client would send it, signed now."""
    url = f'http://{HOST}{path}' + (f'?{query}' if query else '')
    aws_req = AWSRequest(method=method, url=url, data=body)
    aws_req.headers['Host'] = HOST
    for name, value in headers:
        aws_req.headers[name] = value
    SigV4Auth(Credentials(akid, secret, token), service, 'us-east-1').add_auth(aws_req)
    return Request(method, path, query, list(aws_req.headers.items()), body, 'test')


def with_header(req, name, value):
    """Copy of req with header `name` replaced (or added)."""
    headers = [(k, v) for k, v in req.headers if k.lower() != name.lower()] + [(name, value)]
    return Request(req.method, req.path, req.query, headers, req.body, req.request_id)


def replace(req, **changes):
    fields = dict(method=req.method, path=req.path, query=req.query, headers=req.headers,
                  body=req.body, request_id=req.request_id)
    fields.update(changes)
    return Request(**fields)


def identities(token=None, expires=None):
    known = {AKID: Identity(AKID, SECRET, '111122223333', 'arn:aws:iam::111122223333:user/ops',
                            'AIDATIERTOPSIM000001', session_token=token, expires=expires)}
    return known.get


class VerifyTest(unittest.TestCase):
    def assertFails(self, req, kind, find=None, now=None):
        with self.assertRaises(sigcheck.AuthFailure) as ctx:
            sigcheck.verify(req, find or identities(), time.time() if now is None else now)
        self.assertEqual(ctx.exception.kind, kind, ctx.exception.message)
        return ctx.exception

    def assertPasses(self, req, find=None):
        ident = sigcheck.verify(req, find or identities(), time.time())
        self.assertEqual(ident.access_key_id, AKID)

    def test_valid_request_passes(self):
        self.assertPasses(sign())

    def test_known_answer_get_vanilla(self):
        # AWS SigV4 test-suite vector "get-vanilla" (aws-wire.md 8.1): proves the verifier
        # is right on its own, not merely consistent with botocore's client signer.
        req = Request('GET', '/', '', [('Host', 'example.amazonaws.com'),
                                        ('X-Amz-Date', '20150830T123600Z')], b'', 'test')
        auth = sigcheck.Authorization('AKIDEXAMPLE', '20150830', 'us-east-1', 'service',
                                      ('host', 'x-amz-date'), '')
        signature, _, _ = sigcheck.expected_signature(
            req, auth, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830T123600Z')
        self.assertEqual(signature,
                         '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')

    def test_tampered_body_is_caught(self):
        req = sign()
        failure = self.assertFails(replace(req, body=req.body + b'&x=1'), 'signature')
        self.assertEqual(failure.message, sigcheck.SIGNATURE_MISMATCH)
        self.assertIn('canonical_request', failure.detail)

    def test_tampered_signed_header_is_caught(self):
        req = sign(headers=(('Content-Type', 'application/x-www-form-urlencoded'),
                            ('X-Amz-Target', 'A.B')))
        self.assertFails(with_header(req, 'X-Amz-Target', 'A.C'), 'signature')

    def test_unsigned_header_may_change(self):
        self.assertPasses(with_header(sign(), 'User-Agent', 'something-else/1.0'))

    def test_tampered_path_is_caught(self):
        req = sign(method='GET', path='/a/b', body=b'')
        self.assertFails(replace(req, path='/a/c'), 'signature')

    def test_tampered_method_is_caught(self):
        self.assertFails(replace(sign(), method='PUT'), 'signature')

    def test_tampered_query_is_caught(self):
        req = sign(method='GET', query='a=1&b=2', body=b'')
        self.assertFails(replace(req, query='a=1&b=3'), 'signature')

    def test_query_order_does_not_matter(self):
        req = sign(method='GET', query='b=2&a=1', body=b'')
        self.assertPasses(replace(req, query='a=1&b=2'))

    def test_non_canonical_query_encoding_fails_like_aws(self):
        # botocore signs the raw query; AWS re-encodes it, so %7E must be signed as ~.
        self.assertFails(sign(method='GET', query='k=%7Ev', body=b''), 'signature')
        self.assertPasses(sign(method='GET', query='k=~v', body=b''))
        self.assertPasses(sign(method='GET', query='k=a%20b&s=%2F', body=b''))

    def test_lambda_arn_path_is_double_encoded(self):
        req = sign(path=LAMBDA_PATH, body=b'{}', headers=(), service='lambda')
        self.assertPasses(req)
        self.assertFails(replace(req, path=LAMBDA_PATH.replace('%3A', ':')), 'signature')

    def test_repeated_headers_keep_order(self):
        req = sign(headers=(('X-Amz-Meta', 'one'), ('X-Amz-Meta', 'two')))
        self.assertPasses(req)
        swapped = [(k, {'one': 'two', 'two': 'one'}.get(v, v)) if k == 'X-Amz-Meta' else (k, v)
                   for k, v in req.headers]
        self.assertFails(replace(req, headers=swapped), 'signature')

    def test_wrong_secret(self):
        self.assertFails(sign(secret='not-the-secret'), 'signature')

    def test_unknown_access_key(self):
        failure = self.assertFails(sign(akid='AKIDUNKNOWN000000000'), 'invalid_token')
        self.assertEqual(failure.message, 'The security token included in the request is invalid.')

    def test_session_token_required_and_checked(self):
        find = identities(token=TOKEN)
        self.assertFails(sign(), 'invalid_token', find)
        self.assertFails(sign(token='another-token'), 'invalid_token', find)
        self.assertPasses(sign(token=TOKEN), find)

    def test_token_sent_for_permanent_key_is_rejected(self):
        self.assertFails(sign(token=TOKEN), 'invalid_token')

    def test_expired_credentials(self):
        failure = self.assertFails(sign(token=TOKEN), 'expired',
                                   identities(token=TOKEN, expires=time.time() - 1))
        self.assertEqual(failure.message, 'The security token included in the request is expired')

    def test_clock_skew_messages(self):
        req = sign()
        stamp = req.header('X-Amz-Date')
        signed_at = sigcheck.request_time(req)[1]
        past = self.assertFails(req, 'signature', now=signed_at + 900)
        self.assertEqual(past.message, f'Signature expired: {stamp} is now earlier than '
                                       f'{sigcheck.amz_date(signed_at + 600)} '
                                       f'({sigcheck.amz_date(signed_at + 900)} - 5 min.)')
        future = self.assertFails(req, 'signature', now=signed_at - 900)
        self.assertEqual(future.message, f'Signature not yet current: {stamp} is still later than '
                                         f'{sigcheck.amz_date(signed_at - 600)} '
                                         f'({sigcheck.amz_date(signed_at - 900)} + 5 min.)')
        sigcheck.verify(req, identities(), signed_at + 299)

    def test_missing_and_garbled_authorization(self):
        req = sign()
        bare = replace(req, headers=[(k, v) for k, v in req.headers if k != 'Authorization'])
        self.assertFails(bare, 'missing')
        self.assertFails(with_header(req, 'Authorization', 'AWS4-HMAC-SHA256 garbage'), 'incomplete')
        self.assertFails(with_header(req, 'Authorization', 'Bearer abc'), 'incomplete')
        auth = req.header('Authorization')
        self.assertFails(with_header(req, 'Authorization', auth.replace('/aws4_request', '/x')),
                         'incomplete')

    def test_host_must_be_signed(self):
        req = sign()
        auth = req.header('Authorization').replace('SignedHeaders=content-type;host;',
                                                   'SignedHeaders=content-type;')
        self.assertNotEqual(auth, req.header('Authorization'))
        self.assertFails(with_header(req, 'Authorization', auth), 'incomplete')

    def test_date_header_instead_of_x_amz_date(self):
        # botocore signs with Date when the request already has one, as SigV4 allows.
        req = sign(headers=(('Date', 'placeholder'),))
        self.assertIsNone(req.header('X-Amz-Date'))
        self.assertPasses(req)
        self.assertFails(with_header(req, 'Date', 'Mon, 01 Jan 2001 00:00:00 GMT'), 'signature')

    def test_bad_date_format(self):
        self.assertFails(with_header(sign(), 'X-Amz-Date', '2026-01-01T00:00:00Z'), 'incomplete')

    def test_scope_date_must_match_request_date(self):
        req = sign()
        auth = req.header('Authorization')
        scope_date = auth.split('/')[1]
        other = '19990101' if scope_date != '19990101' else '19990102'
        failure = self.assertFails(with_header(req, 'Authorization', auth.replace(scope_date, other)),
                                   'signature')
        self.assertIn('Date in Credential scope does not match', failure.message)

    def test_signed_payload_hash_must_match_body(self):
        body = b'Action=GetCallerIdentity&Version=2011-06-15'
        req = sign(body=body, headers=(('X-Amz-Content-SHA256', sha256(body).hexdigest()),))
        self.assertPasses(req)
        self.assertFails(replace(req, body=b'Action=AssumeRole&Version=2011-06-15'), 'signature')


if __name__ == '__main__':
    unittest.main()

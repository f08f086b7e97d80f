"""End-to-end tests of the simulator, driven through botocore and raw HTTP.

One simulator process serves the whole module; every test starts from POST /_sim/reset.
Run: /usr/bin/python3 -m unittest discover -s tests/sim -p 'test_*.py'
"""
import calendar
import gzip
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import zlib
from email.utils import parsedate_to_datetime

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError, ConnectionClosedError
from botocore.parsers import ResponseParserError
from botocore.utils import (ContainerMetadataFetcher, InstanceMetadataFetcher,
                            InstanceMetadataRegionFetcher, MetadataRetrievalError)

from simharness import AKID1, AKID2, SECRET1, SECRET2, SimProcess

SIM = None

MAIN_ARN = 'arn:aws:iam::111122223333:user/ops'
READONLY_ROLE = 'arn:aws:iam::111122223333:role/ops-readonly'
PROD_ROLE = 'arn:aws:iam::444455556666:role/prod-admin'
MFA_ROLE = 'arn:aws:iam::111122223333:role/mfa-role'
WEB_ROLE = 'arn:aws:iam::111122223333:role/web-role'
SIGNATURE_MISMATCH = ('The request signature we calculated does not match the signature you '
                      'provided. Check your AWS Secret Access Key and signing method. Consult '
                      'the service documentation for details.')
LAMBDA_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:foo'
LAMBDA_PATH = ('/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A111122223333'
               '%3Afunction%3Afoo/invocations')
GCI_BODY = b'Action=GetCallerIdentity&Version=2011-06-15'
FORM = ('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8')


def setUpModule():
    global SIM
    SIM = SimProcess()


def tearDownModule():
    assert SIM.stop() == 0, 'simulator did not exit cleanly on SIGTERM'


def error_of(ctx):
    """(code, message, HTTP status, headers) of a botocore ClientError."""
    resp = ctx.exception.response
    meta = resp['ResponseMetadata']
    return resp['Error']['Code'], resp['Error']['Message'], meta['HTTPStatusCode'], meta['HTTPHeaders']


def signed(method, path, body=b'', headers=(FORM,), service='sts', akid=AKID1, secret=SECRET1,
           token=None):
    """Headers of a request signed by botocore, for sending (and tampering) by hand."""
    aws_req = AWSRequest(method=method, url=SIM.url + path, data=body)
    aws_req.headers['Host'] = f'127.0.0.1:{SIM.port}'
    for name, value in headers:
        aws_req.headers[name] = value
    SigV4Auth(Credentials(akid, secret, token), service, 'us-east-1').add_auth(aws_req)
    return list(aws_req.headers.items())


def creds_of(result):
    c = result['Credentials']
    return dict(akid=c['AccessKeyId'], secret=c['SecretAccessKey'], token=c['SessionToken'])


class SimTestCase(unittest.TestCase):
    def setUp(self):
        SIM.ok('POST', 'reset')

    def sts(self, **kwargs):
        return SIM.client('sts', **kwargs)

    def assertClientError(self, call, code, status, message=None):
        with self.assertRaises(ClientError) as ctx:
            call()
        got = error_of(ctx)
        self.assertEqual((got[0], got[2]), (code, status), got[1])
        if message is not None:
            self.assertEqual(got[1], message)
        return got


class CallerIdentityTest(SimTestCase):
    def test_both_builtin_identities(self):
        me = self.sts().get_caller_identity()
        self.assertEqual((me['Account'], me['Arn'], me['UserId']),
                         ('111122223333', MAIN_ARN, 'AIDATIERTOPSIM000001'))
        ci = self.sts(akid=AKID2, secret=SECRET2).get_caller_identity()
        self.assertEqual((ci['Account'], ci['Arn']),
                         ('444455556666', 'arn:aws:iam::444455556666:user/ci'))

    def test_wrong_secret_is_signature_mismatch(self):
        self.assertClientError(self.sts(secret='x' * 40).get_caller_identity,
                               'SignatureDoesNotMatch', 403, SIGNATURE_MISMATCH)

    def test_unknown_access_key(self):
        self.assertClientError(self.sts(akid='AKIDNOBODY0000000000').get_caller_identity,
                               'InvalidClientTokenId', 403,
                               'The security token included in the request is invalid.')

    def test_xml_is_escaped(self):
        arn = 'arn:aws:iam::111122223333:user/a&b<c>"d'
        SIM.ok('POST', 'identities', {'access_key_id': 'AKIDESCAPE0000000000',
                                      'secret_access_key': 's' * 40,
                                      'account': '111122223333', 'arn': arn})
        me = self.sts(akid='AKIDESCAPE0000000000', secret='s' * 40).get_caller_identity()
        self.assertEqual(me['Arn'], arn)
        status, _, body = SIM.raw('POST', '/', signed('POST', '/', GCI_BODY, akid='AKIDESCAPE0000000000',
                                                      secret='s' * 40), GCI_BODY)
        self.assertEqual(status, 200)
        self.assertIn(b'user/a&amp;b&lt;c&gt;', body)

    def test_admin_identity_with_session_token(self):
        SIM.ok('POST', 'identities', {'access_key_id': 'ASIAADMINADDED000001', 'secret_access_key': 'k' * 40,
                                      'session_token': 'tok', 'account': '111122223333',
                                      'arn': 'arn:aws:sts::111122223333:assumed-role/r/s'})
        me = self.sts(akid='ASIAADMINADDED000001', secret='k' * 40, token='tok').get_caller_identity()
        self.assertEqual(me['Arn'], 'arn:aws:sts::111122223333:assumed-role/r/s')
        self.assertClientError(self.sts(akid='ASIAADMINADDED000001', secret='k' * 40).get_caller_identity,
                               'InvalidClientTokenId', 403)
        self.assertClientError(
            self.sts(akid='ASIAADMINADDED000001', secret='k' * 40, token='other').get_caller_identity,
            'InvalidClientTokenId', 403)

    def test_expired_admin_identity(self):
        SIM.ok('POST', 'identities', {'access_key_id': 'ASIAEXPIRED000000001', 'secret_access_key': 'k' * 40,
                                      'session_token': 'tok', 'account': '111122223333',
                                      'arn': 'arn:aws:sts::111122223333:assumed-role/r/s',
                                      'expires': time.time() - 5})
        self.assertClientError(
            self.sts(akid='ASIAEXPIRED000000001', secret='k' * 40, token='tok').get_caller_identity,
            'ExpiredToken', 400, 'The security token included in the request is expired')

    def test_missing_and_unknown_action(self):
        body = b'Version=2011-06-15'
        status, _, data = SIM.raw('POST', '/', signed('POST', '/', body), body)
        self.assertEqual(status, 400)
        self.assertIn(b'<Code>MissingAction</Code>', data)
        body = b'Action=DescribeNothing&Version=2011-06-15'
        status, _, data = SIM.raw('POST', '/', signed('POST', '/', body), body)
        self.assertEqual(status, 400)
        self.assertIn(b'<Code>InvalidAction</Code>', data)

    def test_unsigned_request_is_rejected(self):
        status, _, data = SIM.raw('POST', '/', [FORM], GCI_BODY)
        self.assertEqual(status, 403)
        self.assertIn(b'<Code>MissingAuthenticationToken</Code>', data)

    def test_garbled_authorization(self):
        headers = [(k, 'AWS4-HMAC-SHA256 Credential=AKIDTIERTOPSIM000001/x/sts')
                   if k == 'Authorization' else (k, v) for k, v in signed('POST', '/', GCI_BODY)]
        status, _, data = SIM.raw('POST', '/', headers, GCI_BODY)
        self.assertEqual(status, 403)
        self.assertIn(b'<Code>IncompleteSignature</Code>', data)

    def test_error_xml_shape(self):
        status, headers, data = SIM.raw('POST', '/', signed('POST', '/', GCI_BODY, secret='bad'), GCI_BODY)
        self.assertEqual(status, 403)
        self.assertEqual(headers['content-type'], 'text/xml')
        request_id = headers['x-amzn-requestid']
        compact = re.sub(rb'>\s+<', b'><', data).strip()
        self.assertEqual(compact.decode(), (
            '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
            '<Type>Sender</Type><Code>SignatureDoesNotMatch</Code>'
            f'<Message>{SIGNATURE_MISMATCH}</Message></Error>'
            f'<RequestId>{request_id}</RequestId></ErrorResponse>'))


class TamperTest(SimTestCase):
    """A signature must cover method, path, query, signed headers and body."""

    def send(self, headers, body=GCI_BODY, path='/', method='POST'):
        return SIM.raw(method, path, headers, body)[0]

    def test_untampered_passes(self):
        self.assertEqual(self.send(signed('POST', '/', GCI_BODY)), 200)

    def test_tampered_body(self):
        headers = signed('POST', '/', GCI_BODY)
        self.assertEqual(self.send(headers, GCI_BODY + b'&Extra=1'), 403)
        entry = SIM.requests()[-1]
        self.assertEqual(entry['auth_error']['kind'], 'signature')
        self.assertIn('Extra', entry['body'])
        self.assertTrue(entry['auth_error']['canonical_request'].startswith('POST\n/\n'))

    def test_tampered_signed_header(self):
        headers = [(k, 'application/x-www-form-urlencoded') if k == 'Content-Type' else (k, v)
                   for k, v in signed('POST', '/', GCI_BODY)]
        self.assertEqual(self.send(headers), 403)

    def test_tampered_path_and_query(self):
        headers = signed('POST', '/?a=1', GCI_BODY)
        self.assertEqual(self.send(headers, path='/?a=1'), 200)
        self.assertEqual(self.send(headers, path='/?a=2'), 403)
        self.assertEqual(self.send(headers, path='/x?a=1'), 403)

    def test_lambda_arn_path_passes_verification(self):
        # "Function not found" comes only after verification, so a 404 here proves the
        # double-encoded %3A path verified; the same request with a bad key gets 403.
        lam = SIM.client('lambda')
        code, _, status, _ = self.assertClientError(
            lambda: lam.invoke(FunctionName=LAMBDA_ARN, Payload=b'{}'),
            'ResourceNotFoundException', 404)
        self.assertEqual(SIM.requests(service='lambda')[-1]['path'], LAMBDA_PATH)
        bad = SIM.client('lambda', secret='wrong')
        self.assertClientError(lambda: bad.invoke(FunctionName=LAMBDA_ARN, Payload=b'{}'),
                               'InvalidSignatureException', 403, SIGNATURE_MISMATCH)

    def test_lambda_arn_path_signed_by_hand(self):
        headers = signed('POST', LAMBDA_PATH, b'{}', headers=(), service='lambda')
        status, hdrs, _ = SIM.raw('POST', LAMBDA_PATH, headers, b'{}')
        self.assertEqual((status, hdrs.get('x-amzn-errortype')), (404, 'ResourceNotFoundException'))
        status, _, _ = SIM.raw('POST', LAMBDA_PATH.replace('%3A', ':'), headers, b'{}')
        self.assertEqual(status, 403)

    def test_json_protocol_errors_for_unknown_json_service(self):
        kinesis = SIM.client('kinesis')
        self.assertClientError(kinesis.list_streams, 'UnknownOperationException', 400)
        self.assertClientError(SIM.client('kinesis', akid='AKIDNOBODY0000000000').list_streams,
                               'UnrecognizedClientException', 400)


class ClockSkewTest(SimTestCase):
    STAMP = r'(\d{8}T\d{6}Z)'

    def stamps(self, match):
        return [calendar.timegm(time.strptime(s, '%Y%m%dT%H%M%SZ')) for s in match.groups()]

    def test_date_header_follows_simulator_clock(self):
        SIM.ok('POST', 'clock', {'offset_seconds': 7200})
        _, headers, _ = SIM.raw('GET', '/_sim/health')
        served = parsedate_to_datetime(headers['date']).timestamp()
        self.assertAlmostEqual(served, time.time() + 7200, delta=5)

    def test_server_ahead_gives_signature_expired(self):
        SIM.ok('POST', 'clock', {'offset_seconds': 900})
        _, message, status, headers = self.assertClientError(
            self.sts().get_caller_identity, 'SignatureDoesNotMatch', 403)
        match = re.fullmatch(rf'Signature expired: {self.STAMP} is now earlier than {self.STAMP} '
                             rf'\({self.STAMP} - 5 min\.\)', message)
        self.assertIsNotNone(match, message)
        sent = [v for k, v in SIM.requests()[-1]['headers'] if k.lower() == 'x-amz-date'][0]
        self.assertEqual(match.group(1), sent)
        sent_at, limit, now = self.stamps(match)
        self.assertEqual(now - limit, 300)
        # The client is expected to correct itself from the Date header.
        served = parsedate_to_datetime(headers['date']).timestamp()
        self.assertAlmostEqual(served - sent_at, 900, delta=5)

    def test_server_behind_gives_not_yet_current(self):
        SIM.ok('POST', 'clock', {'offset_seconds': -900})
        _, message, _, _ = self.assertClientError(self.sts().get_caller_identity,
                                                  'SignatureDoesNotMatch', 403)
        self.assertRegex(message, rf'^Signature not yet current: {self.STAMP} is still later than '
                                  rf'{self.STAMP} \({self.STAMP} \+ 5 min\.\)$')

    def test_small_skew_is_tolerated(self):
        SIM.ok('POST', 'clock', {'offset_seconds': 240})
        self.assertEqual(self.sts().get_caller_identity()['Arn'], MAIN_ARN)


class AssumeRoleTest(SimTestCase):
    def test_assume_role_and_use_credentials(self):
        before = time.time()
        result = self.sts().assume_role(RoleArn=READONLY_ROLE, RoleSessionName='tiertop-1',
                                        DurationSeconds=900)
        creds = result['Credentials']
        self.assertRegex(creds['AccessKeyId'], r'^ASIA[A-Z0-9]{16}$')
        self.assertEqual(len(creds['SecretAccessKey']), 40)
        self.assertGreater(len(creds['SessionToken']), 100)
        self.assertAlmostEqual(creds['Expiration'].timestamp(), before + 900, delta=5)
        self.assertEqual(result['AssumedRoleUser']['Arn'],
                         'arn:aws:sts::111122223333:assumed-role/ops-readonly/tiertop-1')
        me = self.sts(**creds_of(result)).get_caller_identity()
        self.assertEqual(me['Arn'], 'arn:aws:sts::111122223333:assumed-role/ops-readonly/tiertop-1')
        self.assertRegex(me['UserId'], r'^AROA[A-Z0-9]{17}:tiertop-1$')
        self.assertEqual(me['UserId'], result['AssumedRoleUser']['AssumedRoleId'])

    def test_unknown_role(self):
        role = 'arn:aws:iam::111122223333:role/nope'
        self.assertClientError(
            lambda: self.sts().assume_role(RoleArn=role, RoleSessionName='s1'), 'AccessDenied', 403,
            f'User: {MAIN_ARN} is not authorized to perform: sts:AssumeRole on resource: {role}')

    def test_external_id(self):
        ci = self.sts(akid=AKID2, secret=SECRET2)
        self.assertClientError(lambda: ci.assume_role(RoleArn=PROD_ROLE, RoleSessionName='s1'),
                               'AccessDenied', 403)
        self.assertClientError(lambda: ci.assume_role(RoleArn=PROD_ROLE, RoleSessionName='s1',
                                                      ExternalId='wrong'), 'AccessDenied', 403)
        result = ci.assume_role(RoleArn=PROD_ROLE, RoleSessionName='s1', ExternalId='tiertop-ext')
        self.assertEqual(result['AssumedRoleUser']['Arn'],
                         'arn:aws:sts::444455556666:assumed-role/prod-admin/s1')

    def test_mfa(self):
        sts = self.sts()
        serial = 'arn:aws:iam::111122223333:mfa/ops'
        self.assertClientError(lambda: sts.assume_role(RoleArn=MFA_ROLE, RoleSessionName='s1'),
                               'AccessDenied', 403)
        self.assertClientError(lambda: sts.assume_role(RoleArn=MFA_ROLE, RoleSessionName='s1',
                                                       SerialNumber=serial, TokenCode='000000'),
                               'AccessDenied', 403)
        result = sts.assume_role(RoleArn=MFA_ROLE, RoleSessionName='s1', SerialNumber=serial,
                                 TokenCode='123456')
        self.assertEqual(self.sts(**creds_of(result)).get_caller_identity()['Arn'],
                         'arn:aws:sts::111122223333:assumed-role/mfa-role/s1')

    def test_duration_limits(self):
        sts = self.sts()
        for duration in (899, 43201, 7200):
            self.assertClientError(lambda: sts.assume_role(RoleArn=READONLY_ROLE, RoleSessionName='s1',
                                                           DurationSeconds=duration),
                                   'ValidationError', 400)
        SIM.ok('POST', 'roles', {'arn': 'arn:aws:iam::111122223333:role/long', 'max_duration': 43200})
        result = sts.assume_role(RoleArn='arn:aws:iam::111122223333:role/long',
                                 RoleSessionName='s1', DurationSeconds=7200)
        self.assertAlmostEqual(result['Credentials']['Expiration'].timestamp(), time.time() + 7200,
                               delta=5)
        # Role chaining is capped at one hour whatever the role allows.
        chained = self.sts(**creds_of(result))
        self.assertClientError(lambda: chained.assume_role(
            RoleArn='arn:aws:iam::111122223333:role/long', RoleSessionName='s2',
            DurationSeconds=7200), 'ValidationError', 400)

    def test_session_name_rules(self):
        sts = self.sts()
        for name in (None, 'a', 'x' * 65, 'has space', 'bad!'):
            kwargs = {} if name is None else {'RoleSessionName': name}
            self.assertClientError(lambda: sts.assume_role(RoleArn=READONLY_ROLE, **kwargs),
                                   'ValidationError', 400)
        sts.assume_role(RoleArn=READONLY_ROLE, RoleSessionName='ok+=,.@-_9')

    def test_force_duration_makes_credentials_expire(self):
        SIM.ok('POST', 'roles', {'arn': 'arn:aws:iam::111122223333:role/short', 'force_duration': 0})
        result = self.sts().assume_role(RoleArn='arn:aws:iam::111122223333:role/short',
                                        RoleSessionName='s1', DurationSeconds=3600)
        self.assertClientError(self.sts(**creds_of(result)).get_caller_identity,
                               'ExpiredToken', 400,
                               'The security token included in the request is expired')

    def test_web_identity(self):
        sts = self.sts()
        result = sts.assume_role_with_web_identity(RoleArn=WEB_ROLE, RoleSessionName='pod',
                                                   WebIdentityToken='valid-web-identity-token')
        entry = SIM.requests(action='AssumeRoleWithWebIdentity')[-1]
        self.assertNotIn('authorization', [k.lower() for k, _ in entry['headers']])
        me = self.sts(**creds_of(result)).get_caller_identity()
        self.assertEqual(me['Arn'], 'arn:aws:sts::111122223333:assumed-role/web-role/pod')
        self.assertClientError(lambda: sts.assume_role_with_web_identity(
            RoleArn=WEB_ROLE, RoleSessionName='pod', WebIdentityToken='forged'),
            'InvalidIdentityToken', 400)
        self.assertClientError(lambda: sts.assume_role_with_web_identity(
            RoleArn=READONLY_ROLE, RoleSessionName='pod', WebIdentityToken='valid-web-identity-token'),
            'AccessDenied', 403)


class FaultTest(SimTestCase):
    def fault(self, **spec):
        SIM.ok('POST', 'faults', spec)

    def test_fault_skip(self):
        self.fault(service='sts', action='GetCallerIdentity', kind='throttle', skip=1)
        self.assertEqual(self.sts().get_caller_identity()['Arn'], MAIN_ARN)
        self.assertClientError(self.sts().get_caller_identity, 'Throttling', 400)
        self.assertEqual(self.sts().get_caller_identity()['Arn'], MAIN_ARN)

    def test_throttle_with_retry_after(self):
        self.fault(service='sts', action='GetCallerIdentity', kind='throttle', retry_after=7)
        _, message, _, headers = self.assertClientError(self.sts().get_caller_identity,
                                                        'Throttling', 400, 'Rate exceeded')
        self.assertEqual(headers['retry-after'], '7')
        self.assertEqual(self.sts().get_caller_identity()['Arn'], MAIN_ARN)  # count 1 used up
        self.assertEqual(SIM.requests()[0]['fault'], 'throttle')
        self.assertNotIn('fault', SIM.requests()[1])

    def test_throttle_is_retried_by_botocore(self):
        self.fault(kind='throttle')
        me = self.sts(attempts=3).get_caller_identity()
        self.assertEqual(me['ResponseMetadata']['RetryAttempts'], 1)

    def test_throttle_rest_json_is_429(self):
        self.fault(service='lambda', kind='throttle')
        self.assertClientError(lambda: SIM.client('lambda').invoke(FunctionName=LAMBDA_ARN),
                               'TooManyRequestsException', 429)

    def test_error5xx(self):
        self.fault(kind='error5xx')
        self.assertClientError(self.sts().get_caller_identity, 'InternalFailure', 500)
        self.fault(kind='error5xx', status=503)
        self.assertClientError(self.sts().get_caller_identity, 'ServiceUnavailable', 503)

    def test_latency(self):
        self.fault(kind='latency', latency_ms=400)
        start = time.monotonic()
        self.assertEqual(self.sts().get_caller_identity()['Arn'], MAIN_ARN)
        self.assertGreaterEqual(time.monotonic() - start, 0.4)

    def test_reset(self):
        self.fault(kind='reset')
        with self.assertRaises(ConnectionClosedError):
            self.sts().get_caller_identity()
        # At socket level an RST surfaces as ECONNRESET, a polite close as EOF (b'').
        self.fault(kind='reset')
        with socket.create_connection(('127.0.0.1', SIM.port), timeout=10) as sock:
            sock.sendall(b'GET /latest/meta-data/ HTTP/1.1\r\nHost: sim\r\n\r\n')
            with self.assertRaises(ConnectionResetError):
                sock.recv(1024)
        entry = SIM.requests()[-1]
        self.assertEqual((entry['fault'], entry['status']), ('reset', None))

    def test_malformed(self):
        self.fault(kind='malformed')
        with self.assertRaises(ResponseParserError):
            self.sts().get_caller_identity()

    def test_truncated(self):
        self.fault(kind='truncated')
        conn = SIM.connection()
        conn.request('POST', '/', GCI_BODY, dict(signed('POST', '/', GCI_BODY)))
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        with self.assertRaises(http.client.IncompleteRead):
            resp.read()
        conn.close()
        self.fault(kind='truncated')
        with self.assertRaises(ResponseParserError):
            self.sts().get_caller_identity()

    def test_expired(self):
        self.fault(kind='expired')
        self.assertClientError(self.sts().get_caller_identity, 'ExpiredToken', 400)

    def test_skew(self):
        self.fault(kind='skew')
        _, message, _, _ = self.assertClientError(self.sts().get_caller_identity,
                                                  'SignatureDoesNotMatch', 403)
        self.assertTrue(message.startswith('Signature expired: '), message)

    def test_faults_come_before_signature_checks(self):
        self.fault(kind='throttle')
        self.assertClientError(self.sts(secret='wrong').get_caller_identity, 'Throttling', 400)

    def test_matching_by_action_and_count(self):
        self.fault(service='sts', action='AssumeRole', kind='error5xx', count=2)
        self.fault(service='dynamodb', kind='error5xx', count=-1)
        sts = self.sts()
        sts.get_caller_identity()
        for _ in range(2):
            self.assertClientError(lambda: sts.assume_role(RoleArn=READONLY_ROLE, RoleSessionName='s1'),
                                   'InternalFailure', 500)
        sts.assume_role(RoleArn=READONLY_ROLE, RoleSessionName='s1')
        self.assertEqual([f['count'] for f in SIM.ok('GET', 'faults')['faults']], [0, -1])
        SIM.ok('DELETE', 'faults')
        self.assertEqual(SIM.ok('GET', 'faults')['faults'], [])

    def test_rate_is_seeded(self):
        def pattern():
            SIM.ok('POST', 'reset')
            self.fault(kind='error5xx', count=-1, rate=0.5)
            out = []
            for _ in range(16):
                status, _, _ = SIM.raw('POST', '/', signed('POST', '/', GCI_BODY), GCI_BODY)
                out.append(status)
            return out
        first = pattern()
        self.assertEqual(set(first), {200, 500})
        self.assertEqual(pattern(), first)

    def test_unsigned_services_can_fault(self):
        self.fault(service='imds', kind='error5xx')
        status, _, _ = SIM.raw('PUT', '/latest/api/token',
                               [('x-aws-ec2-metadata-token-ttl-seconds', '60')])
        self.assertEqual(status, 500)

    def test_bad_fault_specs(self):
        for spec in ({'kind': 'nope'}, {'kind': 'throttle', 'count': 'x'},
                     {'kind': 'throttle', 'rate': 2}, {'kind': 'throttle', 'colour': 'red'}):
            self.assertEqual(SIM.admin('POST', 'faults', spec)[0], 400, spec)


class RecordingTest(SimTestCase):
    def test_records_everything_but_admin(self):
        self.sts().get_caller_identity()
        SIM.raw('POST', '/', [FORM], GCI_BODY)  # unsigned: rejected
        SIM.raw('PUT', '/latest/api/token', [('x-aws-ec2-metadata-token-ttl-seconds', '60')])
        SIM.raw('POST', '/?q=%20x', [('Content-Type', 'application/octet-stream')], b'\xff\x00')
        entries = SIM.requests()
        self.assertEqual([e['seq'] for e in entries], [1, 2, 3, 4])
        first = entries[0]
        self.assertEqual((first['method'], first['path'], first['service'], first['action'],
                          first['status'], first['body']),
                         ('POST', '/', 'sts', 'GetCallerIdentity', 200, GCI_BODY.decode()))
        names = [k.lower() for k, _ in first['headers']]
        self.assertLess(names.index('x-amz-date'), names.index('authorization'))
        self.assertEqual(entries[1]['status'], 403)
        self.assertEqual(entries[1]['auth_error']['kind'], 'missing')
        self.assertEqual((entries[2]['service'], entries[2]['action']), ('imds', 'GetToken'))
        self.assertEqual(entries[3]['query'], 'q=%20x')
        self.assertTrue(entries[3]['body_b64'])
        self.assertEqual(entries[3]['body'], '/wA=')

    def test_filter_and_clear(self):
        sts = self.sts()
        sts.get_caller_identity()
        sts.assume_role(RoleArn=READONLY_ROLE, RoleSessionName='s1')
        self.assertEqual([e['action'] for e in SIM.requests(service='sts', action='AssumeRole')],
                         ['AssumeRole'])
        self.assertEqual(len(SIM.requests(service='sts')), 2)
        SIM.ok('DELETE', 'requests')
        self.assertEqual(SIM.requests(), [])

    def test_repeated_headers_are_kept_in_order(self):
        SIM.raw('GET', '/latest/meta-data/', [('X-Rep', 'a'), ('X-Rep', 'b')])
        self.assertEqual([v for k, v in SIM.requests()[-1]['headers'] if k == 'X-Rep'], ['a', 'b'])


class HttpBehaviourTest(SimTestCase):
    def test_keep_alive_and_standard_headers(self):
        conn = SIM.connection()
        sockets = []
        for _ in range(3):
            conn.request('POST', '/', GCI_BODY, dict(signed('POST', '/', GCI_BODY)))
            resp = conn.getresponse()
            body = resp.read()
            sockets.append(conn.sock)
            self.assertEqual(resp.status, 200)
            self.assertEqual(int(resp.getheader('Content-Length')), len(body))
            self.assertIsNotNone(resp.getheader('Date'))
            request_id = resp.getheader('x-amzn-RequestId')
            self.assertIn(f'<RequestId>{request_id}</RequestId>'.encode(), body)
        conn.close()
        self.assertTrue(all(s is sockets[0] for s in sockets), 'connection was not kept alive')

    def test_chunked_request_body(self):
        conn = SIM.connection()
        headers = dict(signed('POST', '/', GCI_BODY))
        conn.request('POST', '/', iter([GCI_BODY[:10], GCI_BODY[10:]]), headers, encode_chunked=True)
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200, resp.read())
        conn.close()
        self.assertEqual(SIM.requests()[-1]['body'], GCI_BODY.decode())

    def test_admin_errors(self):
        self.assertEqual(SIM.admin('GET', 'health'), (200, {'ok': True}))
        self.assertEqual(SIM.admin('GET', 'nothing-here')[0], 404)
        self.assertEqual(SIM.admin('PUT', 'faults')[0], 405)
        self.assertEqual(SIM.admin('POST', 'roles', {'arn': 'not-an-arn'})[0], 400)
        self.assertEqual(SIM.admin('POST', 'config', {'imds_v2': True})[0], 400)
        status, _, _ = SIM.raw('POST', '/_sim/clock', [], b'{oops')
        self.assertEqual(status, 400)

    def test_reset_restores_defaults(self):
        SIM.ok('POST', 'identities', {'access_key_id': 'AKIDTEMPORARY0000001', 'secret_access_key': 'k',
                                      'account': '111122223333', 'arn': 'arn:aws:iam::111122223333:user/t'})
        SIM.ok('POST', 'clock', {'offset_seconds': 5})
        SIM.ok('POST', 'config', {'imds_v1': True})
        SIM.ok('POST', 'reset')
        self.assertEqual(SIM.ok('GET', 'clock')['offset_seconds'], 0)
        config = SIM.ok('GET', 'config')
        self.assertEqual((config['imds_v1'], config['container_auth_token']), (False, None))
        self.assertClientError(self.sts(akid='AKIDTEMPORARY0000001', secret='k').get_caller_identity,
                               'InvalidClientTokenId', 403)


SUBMIT_GROUP = '/aws/lambda/submit-feedback'
LOGS_TARGET = 'Logs_20140328.'
JSON11 = ('Content-Type', 'application/x-amz-json-1.1')
JSON10 = ('Content-Type', 'application/x-amz-json-1.0')


def aws_call(service, target, body, content_type=JSON11, region='us-east-1', akid=AKID1,
             secret=SECRET1, host=None, extra=()):
    """An awsJson call signed by botocore, optionally for a given Host header
    -> (status, headers (lowercase), body)."""
    data = json.dumps(body).encode()
    aws_req = AWSRequest(method='POST', url=SIM.url + '/', data=data)
    aws_req.headers['Host'] = host or f'127.0.0.1:{SIM.port}'
    for name, value in (content_type, ('X-Amz-Target', target), *extra):
        aws_req.headers[name] = value
    SigV4Auth(Credentials(akid, secret), service, region).add_auth(aws_req)
    return SIM.raw('POST', '/', list(aws_req.headers.items()), data)


def filter_events(**kwargs):
    return aws_call('logs', LOGS_TARGET + 'FilterLogEvents', {'logGroupName': SUBMIT_GROUP, 'limit': 1},
                    **kwargs)


def json_error_code(body):
    return json.loads(body)['__type'].rpartition('#')[2]


class ContentTypeTest(SimTestCase):
    """Each protocol answers with its own Content-Type, whatever the request said."""

    def test_aws_json_services_answer_their_json_version(self):
        cases = [('logs', 'Logs_20140328.DescribeLogGroups', 'application/x-amz-json-1.1'),
                 ('dynamodb', 'DynamoDB_20120810.ListTables', 'application/x-amz-json-1.0'),
                 ('tagging', 'ResourceGroupsTaggingAPI_20170126.GetTagValues', 'application/x-amz-json-1.1'),
                 ('monitoring', 'GraniteServiceVersion20100801.DescribeAlarms', 'application/x-amz-json-1.0')]
        for service, target, expected in cases:
            body = {'Key': 'app'} if service == 'tagging' else {}
            for sent in (JSON10, JSON11):
                status, headers, data = aws_call(service, target, body, content_type=sent)
                self.assertEqual(status, 200, (service, data))
                self.assertEqual(headers['content-type'], expected, (service, sent))

    def test_json_errors_too(self):
        status, headers, data = aws_call('logs', LOGS_TARGET + 'FilterLogEvents', {'logGroupName': '/nope'},
                                         content_type=JSON10)
        self.assertEqual((status, json_error_code(data)), (400, 'ResourceNotFoundException'))
        self.assertEqual(headers['content-type'], 'application/x-amz-json-1.1')

    def test_aws_json_request_needs_its_content_type(self):
        for sent in (('Content-Type', 'application/json'), ('Content-Type', 'application/octet-stream'),
                     ('X-Nothing', 'no Content-Type at all')):
            status, _, data = aws_call('logs', LOGS_TARGET + 'DescribeLogGroups', {}, content_type=sent)
            self.assertEqual((status, data), (404, b'<UnknownOperationException/>\n'), sent)
            self.assertEqual(SIM.requests()[-1]['refused'], 'content type')
        status, _, _ = aws_call('logs', LOGS_TARGET + 'DescribeLogGroups', {},
                                content_type=('Content-Type', 'application/x-amz-json-1.1; charset=utf-8'))
        self.assertEqual(status, 200)

    def test_query_and_rest_json(self):
        _, headers, _ = SIM.raw('POST', '/', signed('POST', '/', GCI_BODY), GCI_BODY)
        self.assertEqual(headers['content-type'], 'text/xml')
        status, headers, _ = SIM.signed('GET', '/2015-03-31/functions?MaxItems=1', 'lambda')
        self.assertEqual((status, headers['content-type']), (200, 'application/json'))


class GzipTest(SimTestCase):
    """Large answers are gzip-compressed when the client accepts it (config gzip_*)."""

    def groups(self, accept):
        extra = [('Accept-Encoding', accept)] if accept is not None else []
        return aws_call('logs', LOGS_TARGET + 'DescribeLogGroups', {}, extra=extra)

    def test_compressed_when_accepted(self):
        for accept in ('gzip', 'deflate, gzip, br, zstd', 'br;q=1.0, gzip;q=0.5', '*'):
            status, headers, data = self.groups(accept)
            self.assertEqual((status, headers.get('content-encoding')), (200, 'gzip'), accept)
            self.assertEqual(int(headers['content-length']), len(data))
            self.assertTrue(json.loads(gzip.decompress(data))['logGroups'], accept)
            self.assertEqual(SIM.requests()[-1]['content_encoding'], 'gzip')

    def test_plain_when_not_accepted_or_small_or_off(self):
        for accept in (None, 'identity', 'gzip;q=0', 'br'):
            status, headers, data = self.groups(accept)
            self.assertEqual(status, 200)
            self.assertNotIn('content-encoding', headers, accept)
            self.assertTrue(json.loads(data)['logGroups'])
            self.assertNotIn('content_encoding', SIM.requests()[-1])
        SIM.ok('POST', 'config', {'gzip_min_bytes': 10_000_000})
        self.assertNotIn('content-encoding', self.groups('gzip')[1])
        SIM.ok('POST', 'config', {'gzip_min_bytes': 0, 'gzip_responses': False})
        self.assertNotIn('content-encoding', self.groups('gzip')[1])
        self.assertEqual(SIM.admin('POST', 'config', {'gzip_min_bytes': -1})[0], 400)

    def test_dynamodb_crc32_covers_the_compressed_bytes(self):
        status, headers, data = aws_call('dynamodb', 'DynamoDB_20120810.Scan', {'TableName': 'Feedback'},
                                         content_type=JSON10, extra=[('Accept-Encoding', 'gzip')])
        self.assertEqual((status, headers.get('content-encoding')), (200, 'gzip'))
        self.assertEqual(int(headers['x-amz-crc32']), zlib.crc32(data))
        self.assertTrue(json.loads(gzip.decompress(data))['Items'])


class HostTest(SimTestCase):
    """Requests may arrive under each service's own host name, and must be signed for it."""

    def test_service_host_names_are_accepted(self):
        for host, region in (('logs.us-east-1.amazonaws.com', 'us-east-1'),
                             (f'logs.eu-west-1.amazonaws.com:{SIM.port}', 'eu-west-1'),
                             ('logs-fips.us-east-1.amazonaws.com', 'us-east-1'),
                             ('logs.us-east-1.api.aws', 'us-east-1'),
                             ('stream-logs.us-east-1.amazonaws.com', 'us-east-1'),
                             ('localhost', 'us-east-1')):
            status, _, data = aws_call('logs', LOGS_TARGET + 'DescribeLogGroups', {}, host=host,
                                       region=region)
            self.assertEqual(status, 200, (host, data))

    def test_global_sts_host_signs_for_us_east_1(self):
        aws_req = AWSRequest(method='POST', url=SIM.url + '/', data=GCI_BODY)
        aws_req.headers['Host'] = 'sts.amazonaws.com'
        aws_req.headers[FORM[0]] = FORM[1]
        SigV4Auth(Credentials(AKID1, SECRET1), 'sts', 'us-east-1').add_auth(aws_req)
        status, _, data = SIM.raw('POST', '/', list(aws_req.headers.items()), GCI_BODY)
        self.assertEqual(status, 200, data)

    def test_host_of_another_service_is_refused(self):
        status, _, data = aws_call('logs', LOGS_TARGET + 'DescribeLogGroups', {},
                                   host='dynamodb.us-east-1.amazonaws.com')
        self.assertEqual((status, json_error_code(data)), (400, 'InvalidSignatureException'))
        self.assertEqual(json.loads(data)['message'],
                         "Credential should be scoped to correct service: 'dynamodb'. ")
        self.assertEqual(SIM.requests()[-1]['auth_error']['kind'], 'signature')

    def test_host_of_another_region_is_refused(self):
        status, _, data = aws_call('logs', LOGS_TARGET + 'DescribeLogGroups', {},
                                   host='logs.eu-west-1.amazonaws.com', region='us-east-1')
        self.assertEqual((status, json_error_code(data)), (400, 'InvalidSignatureException'))
        self.assertIn('Credential should be scoped to a valid region', json.loads(data)['message'])


class ServedOperationsTest(SimTestCase):
    """Operations tiertop never calls are refused as AWS refuses unknown ones."""

    def test_unserved_operations_are_unknown(self):
        status, headers, data = aws_call('logs', LOGS_TARGET + 'ListTagsLogGroup', {'logGroupName': SUBMIT_GROUP})
        self.assertEqual((status, json_error_code(data)), (400, 'UnknownOperationException'))
        self.assertEqual(headers['content-type'], 'application/x-amz-json-1.1')
        self.assertEqual(SIM.requests()[-1]['refused'], 'unknown operation')
        status, _, data = aws_call('dynamodb', 'DynamoDB_20120810.DescribeTimeToLive',
                                   {'TableName': 'Feedback'}, content_type=JSON10)
        self.assertEqual((status, json_error_code(data)), (400, 'UnknownOperationException'))
        body = b'Action=DescribeStacks&Version=2010-05-15'
        status, _, data = SIM.signed('POST', '/', 'cloudformation', body, [FORM])
        self.assertEqual(status, 400)
        self.assertIn(b'<Code>InvalidAction</Code>', data)
        self.assertIn(b'Could not find operation DescribeStacks for version 2010-05-15', data)
        status, headers, _ = SIM.signed('GET', '/2015-03-31/functions/submit-feedback', 'lambda')
        self.assertEqual((status, headers['x-amzn-errortype']), (404, 'UnknownOperationException'))

    def test_served_operations_still_work(self):
        self.assertEqual(filter_events()[0], 200)
        status, _, _ = SIM.signed('GET', '/2015-03-31/functions/submit-feedback/configuration', 'lambda')
        self.assertEqual(status, 200)

    def test_all_operations_flag_serves_the_rest(self):
        sim = SimProcess('--all-operations')
        try:
            body = b'Action=DescribeStacks&Version=2010-05-15'
            status, _, data = sim.signed('POST', '/', 'cloudformation', body, [FORM])
            self.assertEqual(status, 200, data)
        finally:
            self.assertEqual(sim.stop(), 0)


class QuotaTest(SimTestCase):
    """Per-API quotas (config quotas), per account and region, answered as each service does.
    Overrides with tiny rates keep the tests independent of how fast requests go."""

    def quotas(self, limits=None):
        SIM.ok('POST', 'config', {'quotas': True, 'quota_limits': limits or {}})

    def test_off_by_default(self):
        self.assertFalse(SIM.ok('GET', 'config')['quotas'])
        self.quotas()
        SIM.ok('POST', 'reset')
        for _ in range(12):
            self.assertEqual(filter_events()[0], 200)

    def test_default_burst_is_served(self):
        self.quotas()
        for _ in range(5):  # FilterLogEvents: 5 per second; the bucket starts full
            self.assertEqual(filter_events()[0], 200)

    def test_filter_log_events_throttled_per_account_and_region(self):
        self.quotas({'logs.FilterLogEvents': {'rate': 0.0001, 'burst': 2}})
        self.assertEqual([filter_events()[0] for _ in range(2)], [200, 200])
        status, headers, data = filter_events()
        self.assertEqual((status, json_error_code(data), json.loads(data)['message']),
                         (400, 'ThrottlingException', 'Rate exceeded'))
        self.assertEqual(SIM.requests()[-1]['throttled'], 'logs.FilterLogEvents')
        self.assertEqual(filter_events(akid=AKID2, secret=SECRET2)[0], 200)  # another account
        self.assertNotIn(b'ThrottlingException', filter_events(region='eu-west-1')[2])  # another region
        # Another API of the same service has its own quota.
        status, _, _ = aws_call('logs', LOGS_TARGET + 'DescribeLogGroups', {})
        self.assertEqual(status, 200)
        SIM.ok('POST', 'reset')  # buckets start over
        self.quotas({'logs.FilterLogEvents': {'rate': 0.0001, 'burst': 2}})
        self.assertEqual(filter_events()[0], 200)

    def test_lambda_control_plane_is_one_quota_and_429(self):
        self.quotas({'lambda.control': {'rate': 0.0001, 'burst': 1}})
        self.assertEqual(SIM.signed('GET', '/2015-03-31/functions?MaxItems=1', 'lambda')[0], 200)
        status, headers, data = SIM.signed('GET', '/2015-03-31/event-source-mappings', 'lambda')
        self.assertEqual((status, headers['x-amzn-errortype']), (429, 'TooManyRequestsException'))
        self.assertIn('retry-after', headers)
        status, _, _ = SIM.signed('POST', '/2015-03-31/functions/submit-feedback/invocations', 'lambda',
                                  b'{"body": "{}"}')
        self.assertNotEqual(status, 429)  # Invoke is not a control-plane call

    def test_bad_limits_are_refused(self):
        for limits in ({'logs.Nothing': {'rate': 1, 'burst': 1}}, {'logs.FilterLogEvents': {'rate': 1}},
                       {'logs.FilterLogEvents': {'rate': -1, 'burst': 1}}, []):
            self.assertEqual(SIM.admin('POST', 'config', {'quota_limits': limits})[0], 400, limits)


class SsoTest(SimTestCase):
    def sso(self):
        return SIM.client('sso')

    def test_portal_credentials(self):
        before = time.time()
        creds = self.sso().get_role_credentials(roleName='ReadOnly', accountId='111122223333',
                                                accessToken='sim-sso-access-token')['roleCredentials']
        self.assertAlmostEqual(creds['expiration'] / 1000, before + 3600, delta=5)  # milliseconds
        me = self.sts(akid=creds['accessKeyId'], secret=creds['secretAccessKey'],
                      token=creds['sessionToken']).get_caller_identity()
        self.assertEqual(me['Arn'], 'arn:aws:sts::111122223333:assumed-role/'
                                    'AWSReservedSSO_ReadOnly_0123456789abcdef/ops')

    def test_bad_or_expired_token(self):
        status, headers, body = SIM.raw(
            'GET', '/federation/credentials?account_id=111122223333&role_name=ReadOnly',
            [('x-amz-sso_bearer_token', 'nope')])
        self.assertEqual((status, headers['x-amzn-errortype']), (401, 'UnauthorizedException'))
        self.assertEqual(json.loads(body), {'message': 'Session token not found or invalid'})
        SIM.ok('POST', 'sso-tokens', {'token': 'old', 'account_id': '111122223333',
                                      'role_name': 'ReadOnly', 'expires': time.time() - 1})
        self.assertClientError(lambda: self.sso().get_role_credentials(
            roleName='ReadOnly', accountId='111122223333', accessToken='old'),
            'UnauthorizedException', 401)

    def test_wrong_account_or_role(self):
        for account, role in (('444455556666', 'ReadOnly'), ('111122223333', 'Admin')):
            self.assertClientError(lambda: self.sso().get_role_credentials(
                roleName=role, accountId=account, accessToken='sim-sso-access-token'),
                'ForbiddenException', 403)

    def test_oidc_refresh(self):
        oidc = SIM.client('sso-oidc')
        token = oidc.create_token(clientId='cid', clientSecret='csecret', grantType='refresh_token',
                                  refreshToken='sim-sso-refresh-token')
        self.assertEqual((token['accessToken'], token['tokenType'], token['expiresIn'],
                          token['refreshToken']),
                         ('sim-sso-access-token-refreshed', 'Bearer', 3600, 'sim-sso-refresh-token'))
        creds = self.sso().get_role_credentials(roleName='ReadOnly', accountId='111122223333',
                                                accessToken=token['accessToken'])
        self.assertIn('accessKeyId', creds['roleCredentials'])
        self.assertClientError(lambda: oidc.create_token(
            clientId='cid', clientSecret='csecret', grantType='refresh_token', refreshToken='stale'),
            'InvalidGrantException', 400)
        body = json.dumps({'grantType': 'refresh_token', 'clientId': 'c', 'clientSecret': 's',
                           'refreshToken': 'stale'}).encode()
        status, _, data = SIM.raw('POST', '/token', [('Content-Type', 'application/json')], body)
        self.assertEqual((status, json.loads(data)['error']), (400, 'invalid_grant'))


class ImdsTest(SimTestCase):
    TTL = ('x-aws-ec2-metadata-token-ttl-seconds', '60')

    def token(self, ttl='60'):
        status, _, body = SIM.raw('PUT', '/latest/api/token',
                                  [('x-aws-ec2-metadata-token-ttl-seconds', ttl)])
        self.assertEqual(status, 200)
        return body.decode()

    def get(self, path, token=None):
        headers = [('x-aws-ec2-metadata-token', token)] if token else []
        status, _, body = SIM.raw('GET', path, headers)
        return status, body.decode()

    def test_botocore_fetchers(self):
        fetched = InstanceMetadataFetcher(timeout=5, base_url=SIM.url, env={}).retrieve_iam_role_credentials()
        self.assertEqual(fetched['role_name'], 'tiertop-ec2-role')
        me = self.sts(akid=fetched['access_key'], secret=fetched['secret_key'],
                      token=fetched['token']).get_caller_identity()
        self.assertEqual(me['Arn'], 'arn:aws:sts::111122223333:assumed-role/tiertop-ec2-role/'
                                    'i-0123456789abcdef0')
        self.assertEqual(InstanceMetadataRegionFetcher(timeout=5, base_url=SIM.url, env={}).retrieve_region(),
                         'eu-west-1')
        self.assertEqual([e['action'] for e in SIM.requests(service='imds')][:2],
                         ['GetToken', 'GetMetadata'])

    def test_token_required(self):
        self.assertEqual(self.get('/latest/meta-data/placement/region')[0], 401)
        self.assertEqual(self.get('/latest/meta-data/placement/region', 'forged')[0], 401)
        token = self.token()
        self.assertEqual(self.get('/latest/meta-data/placement/region', token), (200, 'eu-west-1'))
        self.assertEqual(self.get('/latest/meta-data/placement/availability-zone', token),
                         (200, 'eu-west-1a'))
        self.assertEqual(self.get('/latest/meta-data/iam/security-credentials/', token),
                         (200, 'tiertop-ec2-role'))
        status, body = self.get('/latest/meta-data/iam/security-credentials/tiertop-ec2-role', token)
        doc = json.loads(body)
        self.assertEqual((status, doc['Code'], doc['Type']), (200, 'Success', 'AWS-HMAC'))
        self.assertRegex(doc['Expiration'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
        self.assertEqual(self.get('/latest/meta-data/iam/security-credentials/other', token)[0], 404)

    def test_token_expires_with_the_clock(self):
        token = self.token('1')
        SIM.ok('POST', 'clock', {'offset_seconds': 2})
        self.assertEqual(self.get('/latest/meta-data/placement/region', token)[0], 401)

    def test_token_request_rules(self):
        for ttl in ('0', '21601', 'abc'):
            status, _, _ = SIM.raw('PUT', '/latest/api/token',
                                   [('x-aws-ec2-metadata-token-ttl-seconds', ttl)])
            self.assertEqual(status, 400, ttl)
        self.assertEqual(SIM.raw('PUT', '/latest/api/token')[0], 400)
        self.assertEqual(SIM.raw('PUT', '/latest/api/token',
                                 [self.TTL, ('X-Forwarded-For', '10.0.0.1')])[0], 403)
        self.token('21600')

    def test_imds_v1_switch(self):
        SIM.ok('POST', 'config', {'imds_v1': True})
        self.assertEqual(self.get('/latest/meta-data/placement/region'), (200, 'eu-west-1'))
        self.assertEqual(self.get('/latest/meta-data/placement/region', 'forged')[0], 401)


class ContainerTest(SimTestCase):
    URL_PATH = '/container/creds/task-1234'

    def test_fetch_without_auth_token(self):
        fetched = ContainerMetadataFetcher().retrieve_full_uri(SIM.url + self.URL_PATH)
        self.assertEqual((fetched['RoleArn'], fetched['AccountId']),
                         ('arn:aws:iam::111122223333:role/ecs-task-role', '111122223333'))
        me = self.sts(akid=fetched['AccessKeyId'], secret=fetched['SecretAccessKey'],
                      token=fetched['Token']).get_caller_identity()
        self.assertEqual(me['Arn'], 'arn:aws:sts::111122223333:assumed-role/ecs-task-role/tiertop-task')

    def test_auth_token(self):
        SIM.ok('POST', 'config', {'container_auth_token': 'Bearer s3cret'})
        self.assertEqual(SIM.raw('GET', self.URL_PATH)[0], 401)
        self.assertEqual(SIM.raw('GET', self.URL_PATH, [('Authorization', 'Bearer wrong')])[0], 403)
        fetcher = ContainerMetadataFetcher(sleep=lambda _: None)
        with self.assertRaises(MetadataRetrievalError):
            fetcher.retrieve_full_uri(SIM.url + self.URL_PATH)
        fetched = fetcher.retrieve_full_uri(SIM.url + self.URL_PATH,
                                            headers={'Authorization': 'Bearer s3cret'})
        self.assertTrue(fetched['AccessKeyId'].startswith('ASIA'))

    def test_credentials_rotate_with_force_duration(self):
        fetcher = ContainerMetadataFetcher()
        first = fetcher.retrieve_full_uri(SIM.url + self.URL_PATH)
        self.assertEqual(fetcher.retrieve_full_uri(SIM.url + self.URL_PATH)['AccessKeyId'],
                         first['AccessKeyId'])
        SIM.ok('POST', 'roles', {'arn': 'arn:aws:iam::111122223333:role/ecs-task-role',
                                 'force_duration': 60})
        SIM.ok('POST', 'clock', {'offset_seconds': 6 * 3600})
        second = fetcher.retrieve_full_uri(SIM.url + self.URL_PATH)
        self.assertNotEqual(second['AccessKeyId'], first['AccessKeyId'])


@unittest.skipUnless(shutil.which('openssl'), 'openssl is needed to make a test certificate')
class TlsTest(unittest.TestCase):
    def test_https_and_clean_exit(self):
        with tempfile.TemporaryDirectory() as tmp:
            cert, key = os.path.join(tmp, 'cert.pem'), os.path.join(tmp, 'key.pem')
            subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
                            '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
                            '-keyout', key, '-out', cert], check=True, capture_output=True)
            sim = SimProcess('--tls-cert', cert, '--tls-key', key)
            try:
                self.assertTrue(sim.url.startswith('https://'))
                me = sim.client('sts', verify=cert).get_caller_identity()
                self.assertEqual(me['Arn'], MAIN_ARN)
                # A stalled client must not block the TLS handshake of others.
                idle = socket.create_connection(('127.0.0.1', sim.port))
                conn = sim.connection(cafile=cert)
                conn.request('GET', '/_sim/health')
                self.assertEqual(conn.getresponse().status, 200)
                conn.close()
                idle.close()
            finally:
                port_file = sim.port_file
                self.assertEqual(sim.stop(), 0)
            self.assertFalse(os.path.exists(port_file))


if __name__ == '__main__':
    unittest.main()

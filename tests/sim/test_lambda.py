"""Lambda against the simulator's feedback scenario, through botocore and raw HTTP."""
import base64
import json
import unittest

from botocore.exceptions import ClientError

from simharness import SimProcess

SIM = None
LAM = None
ACCOUNT = '111122223333'


def setUpModule():
    global SIM, LAM
    # Handlers tiertop does not call are tested here too (router.SERVED_OPERATIONS).
    SIM = SimProcess('--all-operations')
    LAM = SIM.client('lambda')


def tearDownModule():
    assert SIM.stop() == 0


def error_of(ctx):
    resp = ctx.exception.response
    return (resp['Error']['Code'], resp['Error']['Message'],
            resp['ResponseMetadata']['HTTPStatusCode'], resp['ResponseMetadata']['HTTPHeaders'])


class LambdaTest(unittest.TestCase):
    def setUp(self):
        SIM.ok('POST', 'reset')
        self.lam = LAM

    def fails(self, call, code, status):
        with self.assertRaises(ClientError) as ctx:
            call()
        got = error_of(ctx)
        self.assertEqual((got[0], got[2]), (code, status), got[1])
        return got

    # ------------------------------------------------------------ listing
    def test_list_functions_pages_of_fifty(self):
        first = self.lam.list_functions()
        self.assertEqual(len(first['Functions']), 50)
        self.assertIn('NextMarker', first)
        second = self.lam.list_functions(Marker=first['NextMarker'])
        self.assertEqual(len(second['Functions']), 10)
        self.assertNotIn('NextMarker', second)
        names = [f['FunctionName'] for f in first['Functions'] + second['Functions']]
        self.assertEqual(len(set(names)), 60)
        self.assertIn('submit-feedback', names)
        self.assertIn('worker-57', names)
        # MaxItems above 50 still gives pages of 50.
        self.assertEqual(len(self.lam.list_functions(MaxItems=200)['Functions']), 50)
        # The list omits the fields only GetFunction returns.
        self.assertNotIn('State', first['Functions'][0])

    def test_list_functions_small_pages_and_paginator(self):
        pages = list(self.lam.get_paginator('list_functions').paginate(
            PaginationConfig={'PageSize': 7}))
        self.assertEqual([len(p['Functions']) for p in pages], [7] * 8 + [4])
        names = [f['FunctionName'] for p in pages for f in p['Functions']]
        self.assertEqual(names, sorted(names))
        self.assertEqual(len(set(names)), 60)

    def test_list_functions_errors(self):
        self.fails(lambda: self.lam.list_functions(MaxItems=0), 'ValidationException', 400)
        self.fails(lambda: self.lam.list_functions(Marker='garbage'), 'InvalidParameterValueException', 400)

    def test_list_all_versions(self):
        funcs = []
        for page in self.lam.get_paginator('list_functions').paginate(FunctionVersion='ALL'):
            funcs += page['Functions']
        versions = [(f['FunctionName'], f['Version']) for f in funcs if f['FunctionName'] == 'submit-feedback']
        self.assertEqual(versions, [('submit-feedback', '$LATEST'), ('submit-feedback', '1')])

    # ------------------------------------------------------------ describing
    def test_get_function_by_every_name_form(self):
        arn = f'arn:aws:lambda:us-east-1:{ACCOUNT}:function:submit-feedback'
        for name in ('submit-feedback', arn, f'{ACCOUNT}:function:submit-feedback'):
            out = self.lam.get_function(FunctionName=name)
            cfg = out['Configuration']
            self.assertEqual((cfg['FunctionName'], cfg['FunctionArn'], cfg['Runtime'], cfg['Timeout'],
                              cfg['MemorySize'], cfg['Version']),
                             ('submit-feedback', arn, 'nodejs20.x', 10, 256, '$LATEST'))
            self.assertEqual(cfg['Environment']['Variables'], {'TABLE_NAME': 'Feedback'})
            self.assertEqual(out['Tags'], {'app': 'feedback', 'stage': 'prod'})
            self.assertEqual(out['Code']['RepositoryType'], 'S3')
        cfg = self.lam.get_function_configuration(FunctionName='export-feedback')
        self.assertEqual((cfg['Runtime'], cfg['Timeout']), ('python3.12', 60))
        self.assertEqual(cfg['Environment']['Variables'],
                         {'TABLE_NAME': 'Feedback', 'STATS_TABLE': 'FeedbackStats'})
        # Newer members than this botocore knows are still on the wire.
        status, _, raw = SIM.signed('GET', '/2015-03-31/functions/export-feedback/configuration', 'lambda')
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(raw)['LoggingConfig'],
                         {'LogFormat': 'Text', 'LogGroup': '/aws/lambda/export-feedback'})
        self.assertRegex(cfg['LastModified'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$')
        # One function logs to a group of its own (advanced logging controls).
        status, _, raw = SIM.signed('GET', '/2015-03-31/functions/worker-42/configuration', 'lambda')
        self.assertEqual(json.loads(raw)['LoggingConfig']['LogGroup'], '/shared/workers/worker-42')
        spam = self.lam.get_function_configuration(FunctionName='spam-filter')
        self.assertEqual((spam['Runtime'], spam['Timeout']), ('python3.12', 3))

    def test_qualifiers(self):
        cfg = self.lam.get_function_configuration(FunctionName='submit-feedback', Qualifier='live')
        self.assertEqual(cfg['Version'], '1')
        self.assertTrue(cfg['FunctionArn'].endswith(':function:submit-feedback:live'))
        cfg = self.lam.get_function(FunctionName='submit-feedback:1')['Configuration']
        self.assertEqual(cfg['Version'], '1')
        self.fails(lambda: self.lam.get_function(FunctionName='submit-feedback:live', Qualifier='1'),
                   'InvalidParameterValueException', 400)
        _, message, _, _ = self.fails(
            lambda: self.lam.get_function(FunctionName='submit-feedback', Qualifier='nope'),
            'ResourceNotFoundException', 404)
        self.assertEqual(message, 'Function not found: arn:aws:lambda:us-east-1:111122223333:'
                                  'function:submit-feedback:nope')

    def test_versions_and_aliases_paginated(self):
        pages = list(self.lam.get_paginator('list_versions_by_function').paginate(
            FunctionName='submit-feedback', PaginationConfig={'PageSize': 1}))
        self.assertEqual([[v['Version'] for v in p['Versions']] for p in pages], [['$LATEST'], ['1']])
        self.assertTrue(pages[1]['Versions'][0]['FunctionArn'].endswith(':function:submit-feedback:1'))
        out = self.lam.list_aliases(FunctionName=f'arn:aws:lambda:us-east-1:{ACCOUNT}:function:submit-feedback')
        self.assertEqual([(a['Name'], a['FunctionVersion'], a['Description']) for a in out['Aliases']],
                         [('live', '1', 'What the API calls')])
        self.assertNotIn('NextMarker', out)
        self.assertEqual(self.lam.list_aliases(FunctionName='submit-feedback', FunctionVersion='7')['Aliases'], [])
        self.assertEqual(self.lam.list_aliases(FunctionName='spam-filter')['Aliases'], [])
        self.assertEqual([v['Version'] for v in self.lam.list_versions_by_function(
            FunctionName='spam-filter')['Versions']], ['$LATEST'])
        self.fails(lambda: self.lam.list_versions_by_function(FunctionName='submit-feedback', MaxItems=0),
                   'ValidationException', 400)
        self.fails(lambda: self.lam.list_aliases(FunctionName='submit-feedback', Marker='garbage'),
                   'InvalidParameterValueException', 400)
        self.fails(lambda: self.lam.list_aliases(FunctionName='nope'), 'ResourceNotFoundException', 404)
        # worker-01 has a long history: two pages of each by default.
        pages = list(self.lam.get_paginator('list_versions_by_function').paginate(FunctionName='worker-01'))
        self.assertEqual([len(p['Versions']) for p in pages], [50, 6])
        self.assertEqual(pages[1]['Versions'][-1]['Version'], '55')
        pages = list(self.lam.get_paginator('list_aliases').paginate(FunctionName='worker-01'))
        self.assertEqual([len(p['Aliases']) for p in pages], [50, 1])
        self.assertEqual(pages[1]['Aliases'][0]['RoutingConfig'], {'AdditionalVersionWeights': {'54': 0.1}})

    def test_not_found_uses_the_signing_region(self):
        eu = SIM.client('lambda', region='eu-west-1')
        _, message, _, headers = self.fails(lambda: eu.get_function(FunctionName='nope'),
                                            'ResourceNotFoundException', 404)
        self.assertEqual(message, 'Function not found: arn:aws:lambda:eu-west-1:111122223333:function:nope')
        self.assertEqual(headers['x-amzn-errortype'], 'ResourceNotFoundException')
        cfg = eu.get_function_configuration(FunctionName='spam-filter')
        self.assertEqual(cfg['FunctionArn'], 'arn:aws:lambda:eu-west-1:111122223333:function:spam-filter')

    def test_event_source_mappings_and_account(self):
        maps = self.lam.list_event_source_mappings(FunctionName='export-feedback')['EventSourceMappings']
        self.assertEqual(len(maps), 1)
        self.assertRegex(maps[0]['EventSourceArn'],
                         r'^arn:aws:dynamodb:us-east-1:111122223333:table/Feedback/stream/')
        self.assertEqual(maps[0]['FunctionArn'],
                         'arn:aws:lambda:us-east-1:111122223333:function:export-feedback')
        self.assertEqual(maps[0]['State'], 'Enabled')
        self.assertEqual(self.lam.list_event_source_mappings(FunctionName='spam-filter')['EventSourceMappings'], [])
        by_arn = self.lam.list_event_source_mappings(EventSourceArn=maps[0]['EventSourceArn'])
        self.assertEqual(len(by_arn['EventSourceMappings']), 1)
        one = self.lam.get_event_source_mapping(UUID=maps[0]['UUID'])
        self.assertEqual(one['UUID'], maps[0]['UUID'])
        acct = self.lam.get_account_settings()
        self.assertEqual(acct['AccountLimit']['ConcurrentExecutions'], 1000)
        self.assertEqual(acct['AccountUsage']['FunctionCount'], 60)
        conc = self.lam.get_function(FunctionName='export-feedback')['Concurrency']
        self.assertEqual(conc, {'ReservedConcurrentExecutions': 5})

    # ------------------------------------------------------------ invoking
    def invoke(self, name, payload, **kwargs):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        out = self.lam.invoke(FunctionName=name, Payload=body, **kwargs)
        out['Body'] = out['Payload'].read()
        return out

    def test_invoke_stores_feedback_and_tails_the_log(self):
        out = self.invoke('submit-feedback', {'feedbackId': 'fb-test-1', 'message': 'Nice ✓',
                                              'rating': 5}, LogType='Tail')
        self.assertEqual((out['StatusCode'], out['ExecutedVersion']), (200, '$LATEST'))
        self.assertNotIn('FunctionError', out)
        result = json.loads(out['Body'])
        self.assertEqual(result['statusCode'], 201)
        created = json.loads(result['body'])
        self.assertEqual(created['feedbackId'], 'fb-test-1')
        log = base64.b64decode(out['LogResult']).decode()
        self.assertRegex(log, r'START RequestId: [0-9a-f-]{36} Version: \$LATEST')
        self.assertRegex(log, r'REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled '
                              r'Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\t')
        self.assertIn('Received feedback: Nice ✓', log)
        item = SIM.client('dynamodb').get_item(
            TableName='Feedback', Key={'feedbackId': {'S': 'fb-test-1'},
                                       'createdAt': {'S': created['createdAt']}})['Item']
        self.assertEqual((item['message']['S'], item['rating']['N'], item['status']['S']),
                         ('Nice ✓', '5', 'new'))

    def test_invoke_with_api_gateway_proxy_event(self):
        event = {'resource': '/feedback', 'httpMethod': 'POST',
                 'body': json.dumps({'message': 'via the API', 'createdAt': '2026-11-26T00:00:00.000Z',
                                     'feedbackId': 'fb-api-1'})}
        out = self.invoke('submit-feedback:live', event)
        self.assertEqual(out['ExecutedVersion'], '1')
        self.assertEqual(json.loads(out['Body'])['statusCode'], 201)
        got = self.invoke('submit-feedback', {'httpMethod': 'GET', 'pathParameters': {'id': 'fb-api-1'}})
        result = json.loads(got['Body'])
        self.assertEqual(result['statusCode'], 200)
        self.assertEqual(json.loads(result['body'])['message'], 'via the API')
        missing = json.loads(self.invoke('submit-feedback', {'message': ''})['Body'])
        self.assertEqual(missing['statusCode'], 400)

    def test_function_errors(self):
        out = self.invoke('submit-feedback', {'message': 'BUY NOW at the casino'})
        self.assertEqual((out['StatusCode'], out['FunctionError']), (200, 'Unhandled'))
        err = json.loads(out['Body'])
        self.assertEqual((err['errorType'], err['errorMessage']), ('SpamRejected', 'Feedback rejected as spam'))
        self.assertTrue(err['trace'][0].startswith('SpamRejected'))  # Node.js names it "trace"
        out = self.invoke('spam-filter', {'message': 'casino night'})
        err = json.loads(out['Body'])
        self.assertEqual(out['FunctionError'], 'Unhandled')
        self.assertEqual(sorted(err), ['errorMessage', 'errorType', 'requestId', 'stackTrace'])
        self.assertEqual(err['errorType'], 'SpamDetected')
        clean = json.loads(self.invoke('spam-filter', {'message': 'all good'})['Body'])
        self.assertEqual(clean['spam'], False)
        self.assertEqual(json.loads(self.invoke('spam-filter', {'message': 'free http://x'})['Body'])['spam'], True)

    def test_timeout(self):
        out = self.invoke('spam-filter', {'message': 'slow', 'delayMs': 9000}, LogType='Tail')
        self.assertEqual(out['FunctionError'], 'Unhandled')
        self.assertIn('Task timed out after 3.00 seconds', json.loads(out['Body'])['errorMessage'])
        log = base64.b64decode(out['LogResult']).decode()
        self.assertIn('Status: timeout', log)
        self.assertRegex(log, r'Duration: 30\d\d\.\d\d ms')

    def test_invocation_types(self):
        out = self.invoke('export-feedback', {}, InvocationType='Event')
        self.assertEqual((out['StatusCode'], out['Body']), (202, b''))
        out = self.invoke('export-feedback', {}, InvocationType='DryRun')
        self.assertEqual((out['StatusCode'], out['Body']), (204, b''))
        out = self.invoke('export-feedback', {})
        self.assertEqual(json.loads(out['Body']), {'exported': 250, 'table': 'Feedback'})
        self.fails(lambda: self.lam.invoke(FunctionName='export-feedback', InvocationType='Later'),
                   'ValidationException', 400)

    def test_payload_limits_and_bad_json(self):
        big = b'{"x":"' + b'a' * (6 * 1024 * 1024) + b'"}'
        _, message, _, _ = self.fails(lambda: self.lam.invoke(FunctionName='spam-filter', Payload=big),
                                      'RequestTooLargeException', 413)
        self.assertIn('6291456 bytes', message)
        medium = b'{"x":"' + b'a' * (1024 * 1024) + b'"}'
        self.fails(lambda: self.lam.invoke(FunctionName='spam-filter', Payload=medium,
                                           InvocationType='Event'), 'RequestTooLargeException', 413)
        self.assertEqual(self.lam.invoke(FunctionName='worker-01', Payload=medium)['StatusCode'], 200)
        _, message, _, _ = self.fails(lambda: self.lam.invoke(FunctionName='spam-filter', Payload=b'{nope'),
                                      'InvalidRequestContentException', 400)
        self.assertTrue(message.startswith('Could not parse request body into json'), message)
        # Any JSON value is a valid event, and an empty payload is {}.
        self.assertEqual(self.lam.invoke(FunctionName='worker-02', Payload=b'"text"')['StatusCode'], 200)
        self.assertEqual(self.lam.invoke(FunctionName='worker-02')['StatusCode'], 200)

    def test_unknown_function(self):
        _, message, _, headers = self.fails(lambda: self.invoke('nope', {}), 'ResourceNotFoundException', 404)
        self.assertEqual(message, 'Function not found: arn:aws:lambda:us-east-1:111122223333:function:nope')
        self.fails(lambda: self.invoke('arn:aws:lambda:us-east-1:999999999999:function:submit-feedback', {}),
                   'ResourceNotFoundException', 404)

    def test_raw_encoded_arn_path(self):
        path = ('/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A111122223333'
                '%3Afunction%3Aworker-03/invocations')
        status, headers, data = SIM.signed('POST', path, 'lambda', b'{"n": 1}',
                                           [('Content-Type', 'application/json')])
        self.assertEqual(status, 200, data)
        self.assertEqual(json.loads(data), {'ok': True, 'worker': 'worker-03'})
        self.assertEqual(headers['x-amz-executed-version'], '$LATEST')

    # ------------------------------------------------------------ faults
    def test_throttle_and_expired_faults(self):
        SIM.ok('POST', 'faults', {'service': 'lambda', 'action': 'Invoke', 'kind': 'throttle'})
        _, _, _, headers = self.fails(lambda: self.invoke('worker-01', {}), 'TooManyRequestsException', 429)
        self.assertEqual(headers['retry-after'], '1')
        SIM.ok('POST', 'faults', {'service': 'lambda', 'kind': 'throttle', 'retry_after': 9})
        _, _, _, headers = self.fails(self.lam.list_functions, 'TooManyRequestsException', 429)
        self.assertEqual(headers['retry-after'], '9')
        SIM.ok('POST', 'faults', {'service': 'lambda', 'kind': 'expired'})
        _, _, _, headers = self.fails(self.lam.list_functions, 'ExpiredTokenException', 403)
        self.assertTrue(headers['x-amzn-errortype'].startswith('ExpiredTokenException:'))
        bad = SIM.client('lambda', secret='wrong')
        self.fails(bad.list_functions, 'InvalidSignatureException', 403)


if __name__ == '__main__':
    unittest.main()

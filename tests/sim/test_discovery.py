"""API Gateway (v1 and v2), Resource Groups Tagging and CloudFormation: how tiertop finds
the feedback application's resources."""
import json
import unittest

from botocore.exceptions import ClientError

from simharness import SimProcess

SIM = None
REGION_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:'


def setUpModule():
    global SIM
    SIM = SimProcess()


def tearDownModule():
    assert SIM.stop() == 0


class Case(unittest.TestCase):
    def setUp(self):
        SIM.ok('POST', 'reset')

    def fails(self, call, code, status=400):
        with self.assertRaises(ClientError) as ctx:
            call()
        err = ctx.exception.response['Error']
        self.assertEqual((err['Code'], ctx.exception.response['ResponseMetadata']['HTTPStatusCode']),
                         (code, status), err['Message'])
        return ctx.exception.response

    def get(self, path, service='apigateway', region='us-east-1'):
        status, headers, body = SIM.signed('GET', path, service, headers=[('Accept', 'application/json')],
                                           region=region)
        return status, headers, json.loads(body)


class RestApiTest(Case):
    def test_apis_stages_resources(self):
        ag = SIM.client('apigateway')
        apis = ag.get_rest_apis()['items']
        self.assertEqual([a['name'] for a in apis], ['feedback-api'])
        api_id = apis[0]['id']
        self.assertRegex(api_id, r'^[a-z0-9]{10}$')
        self.assertEqual(apis[0]['tags']['app'], 'feedback')
        status, _, raw = self.get('/restapis?limit=5')
        self.assertEqual(status, 200)
        self.assertEqual(list(raw), ['item'])  # the wire key is "item"
        self.assertIsInstance(raw['item'][0]['createdDate'], int)  # epoch seconds
        self.assertEqual(raw['item'][0]['rootResourceId'], ag.get_resources(restApiId=api_id)['items'][0]['id'])
        stages = ag.get_stages(restApiId=api_id)['item']
        self.assertEqual(stages[0]['stageName'], 'prod')
        self.assertTrue(stages[0]['methodSettings']['*/*']['metricsEnabled'])
        resources = ag.get_resources(restApiId=api_id, embed=['methods'])['items']
        by_path = {r['path']: r for r in resources}
        self.assertEqual(set(by_path), {'/', '/feedback', '/feedback/{id}'})
        uri = ('arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/'
               'arn:aws:lambda:us-east-1:111122223333:function:submit-feedback/invocations')
        post = by_path['/feedback']['resourceMethods']['POST']
        self.assertEqual((post['methodIntegration']['type'], post['methodIntegration']['uri']), ('AWS_PROXY', uri))
        get = by_path['/feedback/{id}']['resourceMethods']['GET']
        self.assertEqual(get['methodIntegration']['uri'], uri)
        self.assertEqual(by_path['/feedback/{id}']['parentId'], by_path['/feedback']['id'])
        plain = ag.get_resources(restApiId=api_id)['items']
        self.assertEqual({r['path']: r.get('resourceMethods') for r in plain}['/feedback'], {'POST': {}})
        _, _, raw = self.get(f'/restapis/{api_id}/resources?embed=methods', region='eu-west-1')
        methods = {r['path']: r for r in raw['item']}['/feedback']['resourceMethods']
        self.assertTrue(methods['POST']['methodIntegration']['uri'].startswith('arn:aws:apigateway:eu-west-1:lambda:'))

    def test_pagination_and_errors(self):
        ag = SIM.client('apigateway')
        api_id = ag.get_rest_apis()['items'][0]['id']
        first = ag.get_resources(restApiId=api_id, limit=1)
        self.assertEqual(len(first['items']), 1)
        self.assertIn('position', first)
        pages = list(ag.get_paginator('get_resources').paginate(restApiId=api_id,
                                                                PaginationConfig={'PageSize': 2}))
        self.assertEqual([len(p['items']) for p in pages], [2, 1])
        self.fails(lambda: ag.get_resources(restApiId=api_id, limit=501), 'BadRequestException')
        self.fails(lambda: ag.get_resources(restApiId=api_id, position='garbage'), 'BadRequestException')
        self.fails(lambda: ag.get_stages(restApiId='nope123456'), 'NotFoundException', 404)
        SIM.ok('POST', 'faults', {'service': 'apigateway', 'kind': 'throttle'})
        response = self.fails(ag.get_rest_apis, 'TooManyRequestsException', 429)
        self.assertEqual(response['ResponseMetadata']['HTTPHeaders']['retry-after'], '1')
        SIM.ok('POST', 'faults', {'service': 'apigateway', 'kind': 'expired'})
        self.fails(ag.get_rest_apis, 'ExpiredTokenException', 403)
        tags = ag.get_tags(resourceArn=f'arn:aws:apigateway:us-east-1::/restapis/{api_id}/stages/prod')['tags']
        self.assertEqual(tags, {'app': 'feedback', 'stage': 'prod'})


class HttpApiTest(Case):
    def test_apis_stages_routes_integrations(self):
        v2 = SIM.client('apigatewayv2', region='eu-west-1')
        apis = v2.get_apis()['Items']
        self.assertEqual([a['Name'] for a in apis], ['feedback-http'])
        api = apis[0]
        self.assertEqual(api['ApiEndpoint'], f'https://{api["ApiId"]}.execute-api.eu-west-1.amazonaws.com')
        self.assertEqual(api['ProtocolType'], 'HTTP')
        status, _, raw = self.get('/v2/apis')
        self.assertEqual(list(raw), ['items'])
        self.assertRegex(raw['items'][0]['createdDate'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
        stages = v2.get_stages(ApiId=api['ApiId'])['Items']
        self.assertEqual((stages[0]['StageName'], stages[0]['AutoDeploy']), ('$default', True))
        routes = v2.get_routes(ApiId=api['ApiId'])['Items']
        self.assertEqual(sorted(r['RouteKey'] for r in routes), ['GET /health', 'POST /feedback'])
        integrations = {i['IntegrationId']: i for i in v2.get_integrations(ApiId=api['ApiId'])['Items']}
        for route in routes:
            target = integrations[route['Target'].split('/', 1)[1]]
            self.assertEqual((target['IntegrationType'], target['IntegrationUri'], target['PayloadFormatVersion']),
                             ('AWS_PROXY', 'arn:aws:lambda:eu-west-1:111122223333:function:submit-feedback', '2.0'))

    def test_pagination_and_errors(self):
        v2 = SIM.client('apigatewayv2')
        api_id = v2.get_apis()['Items'][0]['ApiId']
        first = v2.get_routes(ApiId=api_id, MaxResults='1')
        self.assertEqual(len(first['Items']), 1)
        second = v2.get_routes(ApiId=api_id, MaxResults='1', NextToken=first['NextToken'])
        self.assertEqual(len(second['Items']), 1)
        self.assertNotIn('NextToken', second)
        self.assertNotEqual(first['Items'][0]['RouteId'], second['Items'][0]['RouteId'])
        status, _, raw = self.get(f'/v2/apis/{api_id}/integrations?maxResults=1')
        self.assertIn('nextToken', raw)
        self.fails(lambda: v2.get_routes(ApiId=api_id, MaxResults='lots'), 'BadRequestException')
        self.fails(lambda: v2.get_routes(ApiId=api_id, NextToken='bogus'), 'BadRequestException')
        self.fails(lambda: v2.get_stages(ApiId='nope'), 'NotFoundException', 404)


class TaggingTest(Case):
    def test_pages_and_filters(self):
        tg = SIM.client('resourcegroupstaggingapi')
        first = tg.get_resources()
        self.assertEqual(len(first['ResourceTagMappingList']), 50)
        self.assertTrue(first['PaginationToken'])
        everything, token = list(first['ResourceTagMappingList']), first['PaginationToken']
        while token:
            page = tg.get_resources(PaginationToken=token)
            everything += page['ResourceTagMappingList']
            token = page['PaginationToken']
        self.assertEqual(token, '')  # the last page says so with an empty string
        arns = [r['ResourceARN'] for r in everything]
        self.assertEqual(len(arns), len(set(arns)))
        for name in ('submit-feedback', 'spam-filter', 'export-feedback', 'worker-57'):
            self.assertIn(REGION_ARN + name, arns)
        self.assertIn('arn:aws:dynamodb:us-east-1:111122223333:table/Feedback', arns)
        self.assertIn('arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/submit-feedback', arns)
        self.assertIn('arn:aws:cloudwatch:us-east-1:111122223333:alarm:feedback-app-health', arns)
        tags = {r['ResourceARN']: {t['Key']: t['Value'] for t in r['Tags']} for r in everything}
        fn = tags[REGION_ARN + 'submit-feedback']
        self.assertEqual((fn['app'], fn['stage'], fn['aws:cloudformation:stack-name'],
                          fn['aws:cloudformation:logical-id']),
                         ('feedback', 'prod', 'feedback-stack', 'SubmitFeedbackFunction'))
        functions = []
        for page in tg.get_paginator('get_resources').paginate(ResourceTypeFilters=['lambda:function'],
                                                               ResourcesPerPage=25):
            functions += page['ResourceTagMappingList']
        self.assertEqual(len(functions), 60)
        apis = tg.get_resources(ResourceTypeFilters=['apigateway:restapis', 'apigateway:apis'])
        self.assertEqual(len(apis['ResourceTagMappingList']), 2)
        matching = tg.get_resources(TagFilters=[{'Key': 'app', 'Values': ['feedback']}], ResourcesPerPage=100)
        self.assertEqual(len(matching['ResourceTagMappingList']), len(everything) - 57)  # not the workers
        self.assertEqual(matching['PaginationToken'], '')
        app_functions = tg.get_resources(TagFilters=[{'Key': 'app', 'Values': ['feedback']}],
                                         ResourceTypeFilters=['lambda'])['ResourceTagMappingList']
        self.assertEqual(sorted(r['ResourceARN'] for r in app_functions),
                         [REGION_ARN + n for n in ('export-feedback', 'spam-filter', 'submit-feedback')])
        worker = tags[REGION_ARN + 'worker-07']
        self.assertEqual((worker['app'], worker['aws:cloudformation:stack-name']), ('workers', 'workers-stack'))
        self.assertEqual(len(tg.get_resources(TagFilters=[{'Key': 'team'}])['ResourceTagMappingList']), 50)
        self.assertEqual(tg.get_resources(TagFilters=[{'Key': 'stage', 'Values': ['dev']}])['ResourceTagMappingList'], [])
        self.fails(lambda: tg.get_resources(ResourcesPerPage=101), 'InvalidParameterException')
        self.fails(lambda: tg.get_resources(PaginationToken='nope'), 'InvalidParameterException')
        SIM.ok('POST', 'faults', {'service': 'tagging', 'kind': 'throttle'})
        self.fails(tg.get_resources, 'ThrottledException')


class CloudFormationTest(Case):
    def test_list_stack_resources(self):
        cf = SIM.client('cloudformation')
        app = cf.list_stack_resources(StackName='feedback-stack')
        self.assertNotIn('NextToken', app)
        rows = app['StackResourceSummaries']
        by_type = {}
        for row in rows:
            by_type.setdefault(row['ResourceType'], []).append(row['PhysicalResourceId'])
            self.assertEqual(row['ResourceStatus'], 'CREATE_COMPLETE')
        self.assertEqual(sorted(by_type['AWS::Lambda::Function']),
                         ['export-feedback', 'spam-filter', 'submit-feedback'])
        self.assertEqual(sorted(by_type['AWS::DynamoDB::Table']), ['Feedback', 'FeedbackStats'])
        rest_id = SIM.client('apigateway').get_rest_apis()['items'][0]['id']
        http_id = SIM.client('apigatewayv2').get_apis()['Items'][0]['ApiId']
        self.assertEqual(by_type['AWS::ApiGateway::RestApi'], [rest_id])
        self.assertEqual(by_type['AWS::ApiGatewayV2::Api'], [http_id])
        self.assertEqual(len(by_type['AWS::CloudWatch::Alarm']), 4)
        self.assertEqual(len(by_type['AWS::CloudWatch::CompositeAlarm']), 1)
        first = cf.list_stack_resources(StackName='workers-stack')
        self.assertEqual(len(first['StackResourceSummaries']), 100)
        rest = cf.list_stack_resources(StackName='workers-stack', NextToken=first['NextToken'])
        self.assertNotIn('NextToken', rest)
        workers = [r['PhysicalResourceId'] for r in first['StackResourceSummaries'] + rest['StackResourceSummaries']
                   if r['ResourceType'] == 'AWS::Lambda::Function']
        self.assertEqual(len(workers), 57)
        self.fails(lambda: cf.list_stack_resources(StackName='feedback-stack', NextToken=first['NextToken']),
                   'ValidationError')
        status, _, body = SIM.signed('POST', '/', 'cloudformation',
                                     b'Action=ListStackResources&Version=2010-05-15&StackName=feedback-stack',
                                     [('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8')])
        self.assertEqual(status, 200)
        self.assertIn(b'<ListStackResourcesResult>', body)
        self.assertIn(b'<StackResourceSummaries>\n', body)
        self.assertIn(b'<member>', body)

    def test_describe_and_errors(self):
        cf = SIM.client('cloudformation')
        self.assertEqual(len(cf.describe_stack_resources(StackName='workers-stack')['StackResources']),
                         100)  # the API's maximum
        described = cf.describe_stack_resources(StackName='feedback-stack')['StackResources']
        self.assertEqual(len(described), 35)
        stack_id = described[0]['StackId']
        self.assertRegex(stack_id, r'^arn:aws:cloudformation:us-east-1:111122223333:stack/feedback-stack/[0-9a-f-]{36}$')
        table = cf.describe_stack_resources(PhysicalResourceId='Feedback')['StackResources']
        self.assertEqual([(r['LogicalResourceId'], r['ResourceType']) for r in table],
                         [('FeedbackTable', 'AWS::DynamoDB::Table')])
        one = cf.describe_stack_resources(StackName=stack_id, LogicalResourceId='SpamFilterFunction')
        self.assertEqual(one['StackResources'][0]['PhysicalResourceId'], 'spam-filter')
        response = self.fails(lambda: cf.list_stack_resources(StackName='other-stack'), 'ValidationError')
        self.assertEqual(response['Error']['Message'], 'Stack with id other-stack does not exist')
        self.fails(lambda: cf.describe_stack_resources(StackName='feedback-stack', PhysicalResourceId='Feedback'),
                   'ValidationError')
        self.fails(lambda: cf.describe_stack_resources(StackName='nope'), 'ValidationError')
        stacks = cf.describe_stacks(StackName='feedback-stack')['Stacks']
        self.assertEqual(stacks[0]['StackId'], stack_id)
        self.assertEqual([s['StackName'] for s in cf.describe_stacks()['Stacks']], ['feedback-stack', 'workers-stack'])
        worker = cf.describe_stack_resources(PhysicalResourceId='worker-01')['StackResources']
        self.assertEqual([(r['StackName'], r['LogicalResourceId']) for r in worker],
                         [('workers-stack', 'Worker01Function')])
        SIM.ok('POST', 'faults', {'service': 'cloudformation', 'kind': 'throttle'})
        self.fails(lambda: cf.list_stack_resources(StackName='feedback-stack'), 'Throttling')
        SIM.ok('POST', 'faults', {'service': 'cloudformation', 'kind': 'expired'})
        self.fails(lambda: cf.list_stack_resources(StackName='feedback-stack'), 'ExpiredToken')


if __name__ == '__main__':
    unittest.main()

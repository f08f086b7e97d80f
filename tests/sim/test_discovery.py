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
    # Handlers tiertop does not call are tested here too (router.SERVED_OPERATIONS).
    SIM = SimProcess('--all-operations')


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
        access = stages[0]['accessLogSettings']
        self.assertEqual(access['destinationArn'],
                         'arn:aws:logs:us-east-1:111122223333:log-group:/aws/apigateway/feedback-api-access')
        self.assertIn('$context.integration.requestId', access['format'])
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
        self.assertNotIn('AccessLogSettings', stages[0])  # a stage without access logging
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


class TagValuesTest(Case):
    def test_values_of_a_key_page_by_page(self):
        tg = SIM.client('resourcegroupstaggingapi')
        first = tg.get_tag_values(Key='app')
        self.assertEqual(first['TagValues'], ['feedback'])
        self.assertTrue(first['PaginationToken'])
        last = tg.get_tag_values(Key='app', PaginationToken=first['PaginationToken'])
        self.assertEqual((last['TagValues'], last['PaginationToken']), (['workers'], ''))
        values = []
        for page in tg.get_paginator('get_tag_values').paginate(Key='team'):
            values += page['TagValues']
        self.assertEqual(values, ['data'])
        none = tg.get_tag_values(Key='Application')
        self.assertEqual((none['TagValues'], none['PaginationToken']), ([], ''))
        self.fails(lambda: tg.get_tag_values(Key='stage', PaginationToken=first['PaginationToken']),
                   'InvalidParameterException')
        status, _, body = SIM.signed('POST', '/', 'tagging', b'{"Key":"stage"}',
                                     [('Content-Type', 'application/x-amz-json-1.1'),
                                      ('X-Amz-Target', 'ResourceGroupsTaggingAPI_20170126.GetTagValues')])
        self.assertEqual((status, json.loads(body)), (200, {'PaginationToken': '', 'TagValues': ['prod']}))
        SIM.ok('POST', 'faults', {'service': 'tagging', 'kind': 'throttle'})
        self.fails(lambda: tg.get_tag_values(Key='app'), 'ThrottledException')


class ListStacksTest(Case):
    LIVE = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']

    def test_pages_filters_nested_and_deleted(self):
        cf = SIM.client('cloudformation')
        first = cf.list_stacks()
        self.assertEqual(len(first['StackSummaries']), 2)
        summaries = []
        for page in cf.get_paginator('list_stacks').paginate():
            summaries += page['StackSummaries']
        by_name = {s['StackName']: s for s in summaries}
        self.assertEqual(set(by_name), {'feedback-stack', 'workers-stack', 'feedback-stack-old',
                                        'feedback-stack-AlarmsStack-1QX2W3E4R5T6'})
        self.assertEqual(by_name['feedback-stack-old']['StackStatus'], 'DELETE_COMPLETE')
        nested = by_name['feedback-stack-AlarmsStack-1QX2W3E4R5T6']
        app_id = by_name['feedback-stack']['StackId']
        self.assertEqual((nested['ParentId'], nested['RootId']), (app_id, app_id))
        self.assertNotIn('ParentId', by_name['feedback-stack'])
        self.assertEqual(cf.describe_stacks(StackName='feedback-stack')['Stacks'][0]['StackId'], app_id)
        live = []
        for page in cf.get_paginator('list_stacks').paginate(StackStatusFilter=self.LIVE):
            live += [s['StackName'] for s in page['StackSummaries']]
        self.assertEqual(live, ['feedback-stack', 'feedback-stack-AlarmsStack-1QX2W3E4R5T6', 'workers-stack'])
        status, _, body = SIM.signed('POST', '/', 'cloudformation',
                                     b'Action=ListStacks&Version=2010-05-15&StackStatusFilter.member.1=UPDATE_COMPLETE',
                                     [('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8')])
        self.assertEqual(status, 200)
        self.assertIn(b'<ListStacksResult>', body)
        self.assertIn(b'<StackName>feedback-stack</StackName>', body)
        self.assertNotIn(b'<NextToken>', body)
        self.fails(lambda: cf.list_stacks(StackStatusFilter=['UPDATE_COMPLETE'], NextToken=first['NextToken']),
                   'ValidationError')
        SIM.ok('POST', 'faults', {'service': 'cloudformation', 'kind': 'throttle'})
        self.fails(cf.list_stacks, 'Throttling')


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

    def test_nested_stacks(self):
        cf = SIM.client('cloudformation')
        platform = cf.list_stack_resources(StackName='platform-stack')['StackResourceSummaries']
        kinds = {r['LogicalResourceId']: (r['ResourceType'], r['PhysicalResourceId']) for r in platform}
        app_id = kinds['FeedbackApp'][1]
        self.assertEqual(kinds['FeedbackApp'][0], 'AWS::CloudFormation::Stack')
        self.assertTrue(app_id.startswith('arn:aws:cloudformation:') and ':stack/feedback-stack/' in app_id, app_id)
        self.assertEqual(kinds['Tools'][0], 'AWS::Serverless::Application')
        nested = cf.list_stack_resources(StackName=app_id)['StackResourceSummaries']
        self.assertIn('submit-feedback', [r['PhysicalResourceId'] for r in nested])
        tools = cf.list_stack_resources(StackName=kinds['Tools'][1])['StackResourceSummaries']
        self.assertEqual({r['PhysicalResourceId'] for r in tools if r['ResourceType'] == 'AWS::Lambda::Function'},
                         {'worker-01'})
        loop = [r['PhysicalResourceId'] for r in tools if r['ResourceType'] == 'AWS::CloudFormation::Stack']
        self.assertEqual(len(loop), 1)
        self.assertIn(':stack/platform-stack/', loop[0])
        self.assertEqual(len(cf.list_stack_resources(StackName=loop[0])['StackResourceSummaries']), len(platform))

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


class ScaleTest(Case):
    """POST /_sim/scenario {functions, tables}: an account at the size of bench/console.sh."""

    def test_functions_and_tables_at_scale_then_reset(self):
        self.assertEqual(SIM.ok('POST', 'scenario', {'functions': 1000, 'tables': 200})['functions'], 1000)
        lam, ddb = SIM.client('lambda'), SIM.client('dynamodb')
        names = [f['FunctionName'] for page in lam.get_paginator('list_functions').paginate()
                 for f in page['Functions']]
        self.assertEqual(len(set(names)), 1000)
        self.assertIn('worker-997', names)
        self.assertEqual(lam.get_function_configuration(FunctionName='worker-500')['Timeout'], 30)
        tables = [n for page in ddb.get_paginator('list_tables').paginate() for n in page['TableNames']]
        self.assertEqual(len(tables), 200)
        table = ddb.describe_table(TableName='worker-table-198')['Table']
        self.assertEqual(table['KeySchema'], [{'AttributeName': 'pk', 'KeyType': 'HASH'}])
        self.assertEqual(ddb.list_tags_of_resource(ResourceArn=table['TableArn'])['Tags'][0],
                         {'Key': 'app', 'Value': 'workers'})
        # Re-seeding the Feedback table keeps the scale; a reset restores the defaults.
        self.assertEqual(SIM.ok('POST', 'scenario', {'feedback_items': 10})['tables'], 200)
        self.assertEqual(ddb.describe_table(TableName='Feedback')['Table']['ItemCount'], 10)
        self.assertEqual(SIM.ok('POST', 'reset'), {'ok': True})
        self.assertEqual(SIM.ok('GET', 'scenario')['functions'], 60)
        self.assertEqual(len(ddb.list_tables()['TableNames']), 2)
        self.assertEqual(SIM.admin('POST', 'scenario', {'functions': 59})[0], 400)
        self.assertEqual(SIM.admin('POST', 'scenario', {'tables': 1})[0], 400)


if __name__ == '__main__':
    unittest.main()

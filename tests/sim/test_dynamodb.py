"""DynamoDB against the simulator's feedback tables, through botocore and raw HTTP."""
import json
import unittest
import zlib
from decimal import Decimal

from botocore.exceptions import ClientError

from simharness import SimProcess

SIM = None
DDB = None
ARN = 'arn:aws:dynamodb:us-east-1:111122223333:table/'
ALL_TYPES = {'S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'}


def setUpModule():
    global SIM, DDB
    # Handlers tiertop does not call are tested here too (router.SERVED_OPERATIONS).
    SIM = SimProcess('--all-operations')
    DDB = SIM.client('dynamodb')


def tearDownModule():
    assert SIM.stop() == 0


class DdbCase(unittest.TestCase):
    def setUp(self):
        SIM.ok('POST', 'reset')
        self.ddb = DDB

    def fails(self, call, code, message=None, status=400):
        with self.assertRaises(ClientError) as ctx:
            call()
        err = ctx.exception.response['Error']
        self.assertEqual((err['Code'], ctx.exception.response['ResponseMetadata']['HTTPStatusCode']),
                         (code, status), err['Message'])
        if message is not None:
            self.assertEqual(err['Message'], message)
        return err['Message']

    def scan_all(self, **kwargs):
        items, pages = [], 0
        for page in self.ddb.get_paginator('scan').paginate(TableName='Feedback', **kwargs):
            items += page.get('Items', [])
            pages += 1
        return items, pages

    def raw(self, op, body):
        return SIM.signed('POST', '/', 'dynamodb', json.dumps(body).encode(),
                          [('Content-Type', 'application/x-amz-json-1.0'),
                           ('X-Amz-Target', f'DynamoDB_20120810.{op}')])


class TablesTest(DdbCase):
    def test_list_tables_pagination(self):
        self.assertEqual(self.ddb.list_tables()['TableNames'], ['Feedback', 'FeedbackStats'])
        first = self.ddb.list_tables(Limit=1)
        self.assertEqual((first['TableNames'], first['LastEvaluatedTableName']), (['Feedback'], 'Feedback'))
        second = self.ddb.list_tables(Limit=1, ExclusiveStartTableName='Feedback')
        self.assertEqual(second['TableNames'], ['FeedbackStats'])
        self.assertNotIn('LastEvaluatedTableName', second)
        self.fails(lambda: self.ddb.list_tables(Limit=0), 'ValidationException',
                   "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                   'Member must have value greater than or equal to 1')
        self.fails(lambda: self.ddb.list_tables(Limit=101), 'ValidationException')

    def test_describe_tables(self):
        table = self.ddb.describe_table(TableName='Feedback')['Table']
        self.assertEqual(table['KeySchema'], [{'AttributeName': 'feedbackId', 'KeyType': 'HASH'},
                                              {'AttributeName': 'createdAt', 'KeyType': 'RANGE'}])
        self.assertEqual((table['TableStatus'], table['ItemCount'], table['TableArn']),
                         ('ACTIVE', 250, ARN + 'Feedback'))
        self.assertEqual(table['BillingModeSummary']['BillingMode'], 'PAY_PER_REQUEST')
        gsi = table['GlobalSecondaryIndexes'][0]
        self.assertEqual((gsi['IndexName'], gsi['KeySchema'][0]['AttributeName'],
                          gsi['KeySchema'][1]['AttributeName'], gsi['Projection']['ProjectionType']),
                         ('ByStatus', 'status', 'createdAt', 'ALL'))
        self.assertTrue(table['LatestStreamArn'].startswith(ARN + 'Feedback/stream/'))
        self.assertGreater(table['TableSizeBytes'], 250 * 100)
        stats = self.ddb.describe_table(TableName='FeedbackStats')['Table']
        self.assertEqual((stats['ProvisionedThroughput']['ReadCapacityUnits'],
                          stats['ProvisionedThroughput']['WriteCapacityUnits']), (5, 5))
        self.assertNotIn('BillingModeSummary', stats)
        self.fails(lambda: self.ddb.describe_table(TableName='Nope'), 'ResourceNotFoundException',
                   'Requested resource not found: Table: Nope not found')
        eu = SIM.client('dynamodb', region='eu-west-1')
        self.assertEqual(eu.describe_table(TableName='Feedback')['Table']['TableArn'],
                         'arn:aws:dynamodb:eu-west-1:111122223333:table/Feedback')
        tags = self.ddb.list_tags_of_resource(ResourceArn=ARN + 'Feedback')['Tags']
        self.assertIn({'Key': 'app', 'Value': 'feedback'}, tags)

    def test_crc32_header_and_error_shape(self):
        status, headers, body = self.raw('ListTables', {})
        self.assertEqual(status, 200)
        self.assertEqual(int(headers['x-amz-crc32']), zlib.crc32(body))
        status, headers, body = self.raw('GetItem', {'TableName': 'Nope', 'Key': {'a': {'S': 'b'}}})
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body), {
            '__type': 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
            'message': 'Requested resource not found'})
        self.assertEqual(int(headers['x-amz-crc32']), zlib.crc32(body))
        status, _, body = self.raw('Scan', {'TableName': 'Feedback', 'Limit': 0})
        self.assertEqual(json.loads(body)['__type'], 'com.amazon.coral.validate#ValidationException')
        status, _, body = self.raw('Nope', {})
        self.assertEqual(json.loads(body)['__type'], 'com.amazon.coral.service#UnknownOperationException')

    def test_faults_use_dynamodb_codes(self):
        SIM.ok('POST', 'faults', {'service': 'dynamodb', 'action': 'Scan', 'kind': 'throttle'})
        self.fails(lambda: self.ddb.scan(TableName='Feedback'), 'ProvisionedThroughputExceededException')
        SIM.ok('POST', 'faults', {'service': 'dynamodb', 'action': 'ListTables', 'kind': 'throttle'})
        self.fails(self.ddb.list_tables, 'ThrottlingException')
        SIM.ok('POST', 'faults', {'service': 'dynamodb', 'kind': 'expired'})
        self.fails(self.ddb.list_tables, 'ExpiredTokenException',
                   'The security token included in the request is expired')
        # botocore retries throttling (and checks the CRC of the answer it finally gets).
        SIM.ok('POST', 'faults', {'service': 'dynamodb', 'kind': 'throttle', 'count': 1})
        out = SIM.client('dynamodb', attempts=3).list_tables()
        self.assertEqual(out['ResponseMetadata']['RetryAttempts'], 1)

    def test_reseed_100k_items(self):
        # How fast is for bench/, not for a test that a loaded machine would fail.
        out = SIM.ok('POST', 'scenario', {'feedback_items': 100000})
        self.assertEqual(out['feedback_items'], 100000)
        self.assertEqual(self.ddb.describe_table(TableName='Feedback')['Table']['ItemCount'], 100000)
        page = self.ddb.scan(TableName='Feedback', Limit=5, Select='COUNT')
        self.assertEqual(page['ScannedCount'], 5)
        item = self.ddb.query(TableName='Feedback', KeyConditionExpression='feedbackId = :f',
                              ExpressionAttributeValues={':f': {'S': 'fb-99999'}})['Items'][0]
        self.assertEqual(item['feedbackId']['S'], 'fb-99999')


class ScanTest(DdbCase):
    def test_every_attribute_type_and_exact_numbers(self):
        items, _ = self.scan_all()
        self.assertEqual(len(items), 250)
        seen = {next(iter(av)) for item in items for av in item.values()}
        self.assertEqual(seen, ALL_TYPES)
        scores = {item['score']['N'] for item in items}
        self.assertIn('12345678901234567890.123456789', scores)
        self.assertTrue(any(s.startswith('-') for s in scores))
        self.assertTrue(any(s.startswith('0.0') for s in scores))
        self.assertTrue(all('e' not in s.lower() for s in scores))
        messages = {item['message']['S'] for item in items}
        self.assertTrue(any('\u001b[31m' in m for m in messages))
        self.assertTrue(any('\n' in m for m in messages))
        self.assertTrue(any('"' in m for m in messages))
        ids = sorted(item['feedbackId']['S'] for item in items)
        self.assertEqual((ids[0], ids[-1]), ('fb-0001', 'fb-0250'))

    def test_limit_pagination_has_no_gaps(self):
        items, pages = self.scan_all(PaginationConfig={'PageSize': 25})
        self.assertEqual(pages, 11)  # 10 full pages + the empty page after the last key
        self.assertEqual(len({i['feedbackId']['S'] for i in items}), 250)
        first = self.ddb.scan(TableName='Feedback', Limit=7)
        self.assertEqual((first['Count'], first['ScannedCount']), (7, 7))
        self.assertEqual(sorted(first['LastEvaluatedKey']), ['createdAt', 'feedbackId'])
        again = self.ddb.scan(TableName='Feedback', Limit=7)
        self.assertEqual(first['Items'], again['Items'])  # deterministic order

    def test_one_megabyte_pages(self):
        SIM.ok('POST', 'scenario', {'feedback_items': 8000})
        first = self.ddb.scan(TableName='Feedback', Select='COUNT')
        self.assertIn('LastEvaluatedKey', first)
        self.assertLess(first['ScannedCount'], 8000)
        self.assertGreater(first['ScannedCount'], 1000)
        total, pages, esk = first['ScannedCount'], 1, first['LastEvaluatedKey']
        while esk:
            page = self.ddb.scan(TableName='Feedback', Select='COUNT', ExclusiveStartKey=esk)
            total += page['ScannedCount']
            pages += 1
            esk = page.get('LastEvaluatedKey')
        self.assertEqual(total, 8000)
        self.assertGreaterEqual(pages, 3)
        # A filter that matches nothing still pages through 1 MB at a time.
        empty = self.ddb.scan(TableName='Feedback', FilterExpression='rating > :r',
                              ExpressionAttributeValues={':r': {'N': '10'}})
        self.assertEqual(empty['Count'], 0)
        self.assertIn('LastEvaluatedKey', empty)

    def test_parallel_scan_segments(self):
        seen = []
        for segment in range(4):
            items, _ = self.scan_all(Segment=segment, TotalSegments=4)
            self.assertGreater(len(items), 20)
            seen += [i['feedbackId']['S'] for i in items]
        self.assertEqual(len(seen), 250)
        self.assertEqual(len(set(seen)), 250)
        self.fails(lambda: self.ddb.scan(TableName='Feedback', Segment=4, TotalSegments=4),
                   'ValidationException', 'The Segment parameter is zero-based and must be less '
                   'than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4')
        self.fails(lambda: self.ddb.scan(TableName='Feedback', Segment=1), 'ValidationException')

    def test_filter_projection_and_count(self):
        out = self.ddb.scan(
            TableName='Feedback',
            FilterExpression='#s = :spam OR (rating BETWEEN :lo AND :hi AND contains(labels, :bug)) '
                             'OR (size(message) > :long AND NOT attribute_exists(attachment))',
            ProjectionExpression='feedbackId, #m.client.ua, tags[0], #s',
            ExpressionAttributeNames={'#s': 'status', '#m': 'meta'},
            ExpressionAttributeValues={':spam': {'S': 'spam'}, ':lo': {'N': '4'}, ':hi': {'N': '5'},
                                       ':bug': {'S': 'bug'}, ':long': {'N': '40'}})
        self.assertGreater(out['Count'], 0)
        self.assertEqual(out['ScannedCount'], 250)
        for item in out['Items']:
            self.assertLessEqual(set(item), {'feedbackId', 'meta', 'tags', 'status'})
            self.assertEqual(list(item['meta']['M']), ['client'])
            self.assertEqual(list(item['meta']['M']['client']['M']), ['ua'])
            self.assertEqual(len(item['tags']['L']), 1)
        count = self.ddb.scan(TableName='Feedback', Select='COUNT', FilterExpression='begins_with(email, :a) '
                              'AND attribute_type(assignee, :null)',
                              ExpressionAttributeValues={':a': {'S': 'alice'}, ':null': {'S': 'NULL'}})
        self.assertNotIn('Items', count)
        spam = self.ddb.scan(TableName='Feedback', FilterExpression='#s IN (:a, :b)',
                             ExpressionAttributeNames={'#s': 'status'},
                             ExpressionAttributeValues={':a': {'S': 'spam'}, ':b': {'S': 'nothing'}})
        self.assertTrue(all(i['status']['S'] == 'spam' for i in spam['Items']))
        big = self.ddb.scan(TableName='Feedback', FilterExpression='score > :n',
                            ExpressionAttributeValues={':n': {'N': '12345678901234567890.12345678'}})
        self.assertTrue(all(Decimal(i['score']['N']) > Decimal('12345678901234567890.12345678')
                            for i in big['Items']))
        self.assertGreater(big['Count'], 0)

    def test_expression_errors(self):
        def scan(**kw):
            return lambda: self.ddb.scan(TableName='Feedback', **kw)
        self.fails(scan(FilterExpression='status = :s', ExpressionAttributeValues={':s': {'S': 'new'}}),
                   'ValidationException', 'Invalid FilterExpression: Attribute name is a reserved '
                                          'keyword; reserved keyword: status')
        self.fails(scan(FilterExpression='rating = :r'), 'ValidationException',
                   'Invalid FilterExpression: An expression attribute value used in expression is '
                   'not defined; attribute value: :r')
        self.fails(scan(FilterExpression='#x = :r', ExpressionAttributeValues={':r': {'N': '1'}}),
                   'ValidationException', 'Invalid FilterExpression: An expression attribute name '
                                          'used in the document path is not defined; attribute name: #x')
        self.fails(scan(FilterExpression='rating = :r', ExpressionAttributeValues={
            ':r': {'N': '1'}, ':unused': {'N': '2'}}), 'ValidationException',
            'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}')
        self.fails(scan(FilterExpression='rating = :r', ExpressionAttributeNames={'#n': 'x'},
                        ExpressionAttributeValues={':r': {'N': '1'}}), 'ValidationException',
                   'Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}')
        self.fails(scan(FilterExpression='rating = ', ExpressionAttributeValues={':r': {'N': '1'}}),
                   'ValidationException')
        self.fails(scan(FilterExpression='rating BETWEEN :b AND :a',
                        ExpressionAttributeValues={':a': {'N': '1'}, ':b': {'N': '5'}}),
                   'ValidationException')
        self.fails(scan(FilterExpression='starts_with(email, :a)', ExpressionAttributeValues={':a': {'S': 'x'}}),
                   'ValidationException', 'Invalid FilterExpression: Invalid function name; function: starts_with')
        self.fails(scan(FilterExpression='size(email)'), 'ValidationException')
        self.fails(scan(FilterExpression='(rating = :a', ExpressionAttributeValues={':a': {'N': '1'}}),
                   'ValidationException')
        self.fails(scan(Select='COUNT', ProjectionExpression='email'), 'ValidationException')
        self.fails(scan(ProjectionExpression='meta, meta.source'), 'ValidationException')
        self.fails(scan(ExpressionAttributeValues={':a': {'N': '1'}}), 'ValidationException')
        self.fails(lambda: self.ddb.scan(TableName='Missing'), 'ResourceNotFoundException',
                   'Requested resource not found')


class QueryTest(DdbCase):
    def test_query_base_table(self):
        out = self.ddb.query(TableName='Feedback', KeyConditionExpression='feedbackId = :id',
                             ExpressionAttributeValues={':id': {'S': 'fb-0042'}})
        self.assertEqual((out['Count'], out['Items'][0]['feedbackId']['S']), (1, 'fb-0042'))
        created = out['Items'][0]['createdAt']['S']
        for cond, values, expect in (
                ('createdAt = :c', {':c': {'S': created}}, 1),
                ('createdAt < :c', {':c': {'S': created}}, 0),
                ('createdAt <= :c', {':c': {'S': created}}, 1),
                ('createdAt > :c', {':c': {'S': '2026'}}, 1),
                ('createdAt >= :c', {':c': {'S': created}}, 1),
                ('createdAt BETWEEN :a AND :b', {':a': {'S': '2026-01'}, ':b': {'S': '2027'}}, 1),
                ('begins_with(createdAt, :p)', {':p': {'S': created[:7]}}, 1),
                ('begins_with(createdAt, :p)', {':p': {'S': '1999'}}, 0)):
            values = dict(values, **{':id': {'S': 'fb-0042'}})
            got = self.ddb.query(TableName='Feedback', ExpressionAttributeValues=values,
                                 KeyConditionExpression=f'feedbackId = :id AND {cond}')
            self.assertEqual(got['Count'], expect, cond)

    def test_query_index_order_and_pages(self):
        names = {'#s': 'status'}
        everything = []
        for page in self.ddb.get_paginator('query').paginate(
                TableName='Feedback', IndexName='ByStatus', KeyConditionExpression='#s = :s',
                ExpressionAttributeNames=names, ExpressionAttributeValues={':s': {'S': 'new'}},
                PaginationConfig={'PageSize': 10}):
            everything += page['Items']
            if 'LastEvaluatedKey' in page:
                self.assertEqual(sorted(page['LastEvaluatedKey']), ['createdAt', 'feedbackId', 'status'])
        dates = [i['createdAt']['S'] for i in everything]
        self.assertEqual(dates, sorted(dates))
        self.assertTrue(all(i['status']['S'] == 'new' for i in everything))
        newest = self.ddb.query(TableName='Feedback', IndexName='ByStatus', Limit=3, ScanIndexForward=False,
                                KeyConditionExpression='#s = :s AND createdAt > :t',
                                ExpressionAttributeNames=names,
                                ExpressionAttributeValues={':s': {'S': 'new'}, ':t': {'S': '2026-11'}})
        self.assertEqual([i['createdAt']['S'] for i in newest['Items']], sorted(dates, reverse=True)[:3])
        older = self.ddb.query(TableName='Feedback', IndexName='ByStatus', Limit=3, ScanIndexForward=False,
                               KeyConditionExpression='#s = :s AND createdAt > :t',
                               ExclusiveStartKey=newest['LastEvaluatedKey'], ExpressionAttributeNames=names,
                               ExpressionAttributeValues={':s': {'S': 'new'}, ':t': {'S': '2026-11'}})
        self.assertEqual([i['createdAt']['S'] for i in older['Items']], sorted(dates, reverse=True)[3:6])
        filtered = self.ddb.query(TableName='Feedback', IndexName='ByStatus', KeyConditionExpression='#s = :s',
                                  FilterExpression='rating = :five', ExpressionAttributeNames=names,
                                  ExpressionAttributeValues={':s': {'S': 'reviewed'}, ':five': {'N': '5'}})
        self.assertLess(filtered['Count'], filtered['ScannedCount'])

    def test_query_errors(self):
        def query(kce, values, **kw):
            return lambda: self.ddb.query(TableName='Feedback', KeyConditionExpression=kce,
                                          ExpressionAttributeValues=values, **kw)
        self.fails(query('createdAt = :c', {':c': {'S': 'x'}}), 'ValidationException',
                   'Query condition missed key schema element: feedbackId')
        self.fails(query('feedbackId = :a OR feedbackId = :b', {':a': {'S': 'x'}, ':b': {'S': 'y'}}),
                   'ValidationException', 'Invalid operator used in KeyConditionExpression: OR')
        self.fails(query('feedbackId = :a', {':a': {'S': 'x'}, ':c': {'S': 'y'}},
                         FilterExpression='createdAt = :c'), 'ValidationException',
                   'Filter Expression can only contain non-primary key attributes: Primary key '
                   'attribute: createdAt')
        self.fails(query('feedbackId = :a', {':a': {'N': '1'}}), 'ValidationException',
                   'One or more parameter values were invalid: Condition parameter type does not '
                   'match schema type')
        self.fails(query('feedbackId <> :a', {':a': {'S': 'x'}}), 'ValidationException')
        self.fails(query('feedbackId = :a', {':a': {'S': 'x'}}, IndexName='Nope'), 'ValidationException',
                   'The table does not have the specified index: Nope')
        self.fails(query('#s = :a', {':a': {'S': 'new'}}, IndexName='ByStatus', ConsistentRead=True,
                         ExpressionAttributeNames={'#s': 'status'}), 'ValidationException',
                   'Consistent reads are not supported on global secondary indexes')
        self.fails(lambda: self.ddb.query(TableName='Feedback'), 'ValidationException')
        self.fails(query('feedbackId = :a', {':a': {'S': 'x'}}, ExclusiveStartKey={'feedbackId': {'S': 'x'}}),
                   'ValidationException')


class ItemTest(DdbCase):
    def key(self, fid):
        item = self.ddb.query(TableName='Feedback', KeyConditionExpression='feedbackId = :f',
                              ExpressionAttributeValues={':f': {'S': fid}})['Items'][0]
        return {'feedbackId': item['feedbackId'], 'createdAt': item['createdAt']}

    def test_get_item(self):
        key = self.key('fb-0010')
        item = self.ddb.get_item(TableName='Feedback', Key=key)['Item']
        self.assertEqual(item['feedbackId']['S'], 'fb-0010')
        part = self.ddb.get_item(TableName='Feedback', Key=key, ProjectionExpression='#r, meta.#src',
                                 ExpressionAttributeNames={'#r': 'rating', '#src': 'source'})['Item']
        self.assertEqual(set(part), {'rating', 'meta'})
        missing = self.ddb.get_item(TableName='Feedback', Key={'feedbackId': {'S': 'nope'},
                                                               'createdAt': {'S': 'x'}})
        self.assertNotIn('Item', missing)
        message = 'The provided key element does not match the schema'
        self.fails(lambda: self.ddb.get_item(TableName='Feedback', Key={'feedbackId': {'S': 'x'}}),
                   'ValidationException', message)
        self.fails(lambda: self.ddb.get_item(TableName='Feedback', Key={'feedbackId': {'N': '1'},
                                                                         'createdAt': {'S': 'x'}}),
                   'ValidationException', message)

    def test_batch_get(self):
        keys = [{'feedbackId': i['feedbackId'], 'createdAt': i['createdAt']}
                for i in self.ddb.scan(TableName='Feedback', Limit=101)['Items']]
        extra, keys = keys[100], keys[:100]
        out = self.ddb.batch_get_item(RequestItems={'Feedback': {'Keys': keys,
                                                                  'ProjectionExpression': 'feedbackId'}})
        self.assertEqual(len(out['Responses']['Feedback']), 100)
        self.assertEqual(out['UnprocessedKeys'], {})
        self.fails(lambda: self.ddb.batch_get_item(RequestItems={'Feedback': {'Keys': keys + [extra]}}),
                   'ValidationException', 'Too many items requested for the BatchGetItem call')
        self.fails(lambda: self.ddb.batch_get_item(RequestItems={'Feedback': {'Keys': [keys[0], keys[0]]}}),
                   'ValidationException', 'Provided list of item keys contains duplicates')
        self.fails(lambda: self.ddb.batch_get_item(RequestItems={'Nope': {'Keys': [keys[0]]}}),
                   'ResourceNotFoundException')
        SIM.ok('POST', 'config', {'dynamodb_batch_max_keys': 30})
        out = self.ddb.batch_get_item(RequestItems={'Feedback': {'Keys': keys[:50], 'ConsistentRead': True}})
        self.assertEqual(len(out['Responses']['Feedback']), 30)
        self.assertEqual(len(out['UnprocessedKeys']['Feedback']['Keys']), 20)
        self.assertTrue(out['UnprocessedKeys']['Feedback']['ConsistentRead'])
        again = self.ddb.batch_get_item(RequestItems=out['UnprocessedKeys'])
        self.assertEqual(len(again['Responses']['Feedback']), 20)

    def test_put_item(self):
        item = {'feedbackId': {'S': 'fb-new'}, 'createdAt': {'S': '2026-11-26T10:00:00.000Z'},
                'score': {'N': '-0.000000000000000000000000000000000000001'},
                'big': {'N': '12345678901234567890123456789012345678'},
                'status': {'S': 'new'}, 'nested': {'M': {'l': {'L': [{'NULL': True}, {'BOOL': False}]}}}}
        cond = {'ConditionExpression': 'attribute_not_exists(feedbackId)'}
        self.ddb.put_item(TableName='Feedback', Item=item, **cond)
        got = self.ddb.get_item(TableName='Feedback', Key={'feedbackId': item['feedbackId'],
                                                           'createdAt': item['createdAt']})['Item']
        self.assertEqual(got, item)
        self.fails(lambda: self.ddb.put_item(TableName='Feedback', Item=item, **cond),
                   'ConditionalCheckFailedException', 'The conditional request failed')
        changed = dict(item, rating={'N': '3'})
        old = self.ddb.put_item(TableName='Feedback', Item=changed, ReturnValues='ALL_OLD',
                                ConditionExpression='#s = :new', ExpressionAttributeNames={'#s': 'status'},
                                ExpressionAttributeValues={':new': {'S': 'new'}})
        self.assertEqual(old['Attributes'], item)
        self.assertEqual(self.ddb.describe_table(TableName='Feedback')['Table']['ItemCount'], 251)
        self.fails(lambda: self.ddb.put_item(TableName='Feedback', Item={'feedbackId': {'S': 'x'}}),
                   'ValidationException', 'One or more parameter values were invalid: Missing the key '
                                          'createdAt in the item')
        self.fails(lambda: self.ddb.put_item(TableName='Feedback', Item={'feedbackId': {'N': '1'},
                                                                          'createdAt': {'S': 'x'}}),
                   'ValidationException', 'One or more parameter values were invalid: Type mismatch '
                                          'for key feedbackId expected: S actual: N')
        self.fails(lambda: self.ddb.put_item(TableName='Feedback', Item=dict(item, status={'N': '1'})),
                   'ValidationException')
        self.fails(lambda: self.ddb.put_item(TableName='Feedback', Item=dict(item, n={'N': '1' * 39})),
                   'ValidationException')
        self.fails(lambda: self.ddb.put_item(TableName='Feedback', Item=dict(item, s={'SS': ['a', 'a']})),
                   'ValidationException')
        self.fails(lambda: self.ddb.put_item(TableName='Feedback', Item=dict(item, x={'S': 'a' * 410000})),
                   'ValidationException', 'Item size has exceeded the maximum allowed size')
        # The new item is visible to Query through the index, newest first.
        newest = self.ddb.query(TableName='Feedback', IndexName='ByStatus', Limit=1, ScanIndexForward=False,
                                KeyConditionExpression='#s = :s', ExpressionAttributeNames={'#s': 'status'},
                                ExpressionAttributeValues={':s': {'S': 'new'}})
        self.assertEqual(newest['Items'][0]['feedbackId']['S'], 'fb-new')


if __name__ == '__main__':
    unittest.main()


class ConsumedCapacityTest(DdbCase):
    """browser: ReturnConsumedCapacity as DynamoDB answers it: an eventually
    consistent read is half a unit per 4 KB, a strongly consistent one a unit;
    Scan and Query round the total size of what they read, BatchGetItem each
    item (it reads them as separate GetItems), a key that matches nothing
    still costs the minimum."""

    def query_one(self, **kwargs):
        return self.ddb.query(TableName='Feedback', KeyConditionExpression='feedbackId = :f',
                              ExpressionAttributeValues={':f': {'S': 'fb-0007'}}, **kwargs)

    def test_not_asked_not_sent(self):
        self.assertNotIn('ConsumedCapacity', self.query_one())

    def test_query_eventually_and_strongly_consistent(self):
        cc = self.query_one(ReturnConsumedCapacity='TOTAL')['ConsumedCapacity']
        self.assertEqual(cc, {'TableName': 'Feedback', 'CapacityUnits': 0.5})
        cc = self.query_one(ReturnConsumedCapacity='TOTAL', ConsistentRead=True)['ConsumedCapacity']
        self.assertEqual(cc['CapacityUnits'], 1.0)

    def test_batch_get_rounds_each_item(self):
        keys = [{'feedbackId': {'S': f'fb-{i:04d}'}, 'createdAt': {'S': created}}
                for i, created in self.created(['fb-0001', 'fb-0002', 'fb-0003'])]
        keys.append({'feedbackId': {'S': 'fb-none'}, 'createdAt': {'S': 'never'}})
        out = self.ddb.batch_get_item(RequestItems={'Feedback': {'Keys': keys}},
                                      ReturnConsumedCapacity='TOTAL')
        self.assertEqual(len(out['Responses']['Feedback']), 3)
        self.assertEqual(out['ConsumedCapacity'], [{'TableName': 'Feedback', 'CapacityUnits': 2.0}])

    def created(self, ids):
        out = []
        for fid in ids:
            item = self.ddb.query(TableName='Feedback', KeyConditionExpression='feedbackId = :f',
                                  ExpressionAttributeValues={':f': {'S': fid}})['Items'][0]
            out.append((int(fid[3:]), item['createdAt']['S']))
        return out

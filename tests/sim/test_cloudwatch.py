"""CloudWatch metrics and alarms of the feedback scenario, in both wire protocols.

The installed botocore speaks awsQuery to CloudWatch; the awsJson1_0 side is driven by
the same botocore with the CloudWatch model switched to protocol "json" (as botocore's
current model has it), plus raw signed requests for headers botocore does not show.
"""
import copy
import json
import os
import tempfile
import time
import unittest

import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

from simharness import AKID1, SECRET1, SimProcess

SIM = None
CW = None
CWJ = None
TMP = None
SUBMIT = [{'Name': 'FunctionName', 'Value': 'submit-feedback'}]
JSON_HEADERS = [('Content-Type', 'application/x-amz-json-1.0')]


def json_client():
    """A botocore CloudWatch client that speaks awsJson1_0 (target GraniteServiceVersion20100801)."""
    global TMP
    TMP = tempfile.TemporaryDirectory(prefix='cw-json-model-')
    loader_session = botocore.session.get_session()
    model = copy.deepcopy(loader_session.get_component('data_loader').load_service_model(
        'cloudwatch', 'service-2'))
    model['metadata'].update({'protocol': 'json', 'jsonVersion': '1.0',
                              'targetPrefix': 'GraniteServiceVersion20100801'})
    folder = os.path.join(TMP.name, 'cloudwatch', '2010-08-01')
    os.makedirs(folder)
    with open(os.path.join(folder, 'service-2.json'), 'w') as out:
        json.dump(model, out)
    session = botocore.session.get_session()
    session.get_component('data_loader').search_paths.insert(0, TMP.name)
    return session.create_client(
        'cloudwatch', region_name='us-east-1', endpoint_url=SIM.url, aws_access_key_id=AKID1,
        aws_secret_access_key=SECRET1,
        config=Config(retries={'total_max_attempts': 1}, parameter_validation=False))


def setUpModule():
    global SIM, CW, CWJ
    # Handlers tiertop does not call are tested here too (router.SERVED_OPERATIONS).
    SIM = SimProcess('--all-operations')
    CW = SIM.client('cloudwatch')
    CWJ = json_client()


def tearDownModule():
    assert SIM.stop() == 0
    TMP.cleanup()


def stat(qid, namespace, metric, dims, stat_name, period=60, **extra):
    return dict({'Id': qid, 'MetricStat': {'Metric': {'Namespace': namespace, 'MetricName': metric,
                                                      'Dimensions': dims},
                                           'Period': period, 'Stat': stat_name}}, **extra)


class CwCase(unittest.TestCase):
    def setUp(self):
        SIM.ok('POST', 'reset')
        self.now = int(time.time())

    def fails(self, call, code, status=400):
        with self.assertRaises(ClientError) as ctx:
            call()
        err = ctx.exception.response['Error']
        self.assertEqual((err['Code'], ctx.exception.response['ResponseMetadata']['HTTPStatusCode']),
                         (code, status), err['Message'])
        return ctx.exception.response

    def data(self, queries, start, end, client=None, **kwargs):
        out = (client or CW).get_metric_data(MetricDataQueries=queries, StartTime=start, EndTime=end, **kwargs)
        return {r['Id']: r for r in out['MetricDataResults']}, out


class MetricDataTest(CwCase):
    def test_lambda_metrics_and_percentiles(self):
        end = self.now // 60 * 60 - 120
        start = end - 3600
        results, _ = self.data([
            stat('inv', 'AWS/Lambda', 'Invocations', SUBMIT, 'Sum'),
            stat('err', 'AWS/Lambda', 'Errors', SUBMIT, 'Sum'),
            stat('p50', 'AWS/Lambda', 'Duration', SUBMIT, 'p50'),
            stat('p90', 'AWS/Lambda', 'Duration', SUBMIT, 'p90'),
            stat('p99', 'AWS/Lambda', 'Duration', SUBMIT, 'p99'),
            stat('conc', 'AWS/Lambda', 'ConcurrentExecutions', SUBMIT, 'Maximum'),
        ], start, end)
        inv = results['inv']
        self.assertEqual((inv['StatusCode'], inv['Label']), ('Complete', 'Invocations'))
        self.assertGreater(len(inv['Values']), 50)
        stamps = [t.timestamp() for t in inv['Timestamps']]
        self.assertEqual(stamps, sorted(stamps, reverse=True))  # TimestampDescending by default
        self.assertTrue(all(s % 60 == 0 and start <= s < end for s in stamps))
        for a, b, c in zip(results['p50']['Values'], results['p90']['Values'], results['p99']['Values']):
            self.assertLessEqual(a, b)
            self.assertLessEqual(b, c)
        self.assertTrue(all(e <= i for e, i in zip(results['err']['Values'], inv['Values'])))
        self.assertTrue(results['conc']['Values'])

    def test_deterministic_and_moving(self):
        end = self.now // 3600 * 3600 - 7200
        query = [stat('m1', 'AWS/Lambda', 'Duration', SUBMIT, 'p99', 300),
                 stat('m2', 'AWS/ApiGateway', 'Count', [{'Name': 'ApiName', 'Value': 'feedback-api'},
                                                         {'Name': 'Stage', 'Value': 'prod'}], 'Sum', 300)]
        first, _ = self.data(query, end - 3 * 3600, end)
        SIM.ok('POST', 'reset')
        second, _ = self.data(query, end - 3 * 3600, end)
        self.assertEqual(first, second)
        self.assertEqual(len(first['m1']['Values']), 36)
        self.assertGreater(len(set(first['m1']['Values'])), 10)  # moves over time
        self.assertGreater(len(set(first['m2']['Values'])), 10)

    def test_every_resource_has_metrics(self):
        end = self.now // 60 * 60 - 60
        rest = [{'Name': 'ApiName', 'Value': 'feedback-api'}, {'Name': 'Stage', 'Value': 'prod'}]
        api_id = self._http_api_id()
        http = [{'Name': 'ApiId', 'Value': api_id}, {'Name': 'Stage', 'Value': '$default'}]
        table = [{'Name': 'TableName', 'Value': 'Feedback'}]
        stats_table = [{'Name': 'TableName', 'Value': 'FeedbackStats'}]
        put = [{'Name': 'TableName', 'Value': 'Feedback'}, {'Name': 'Operation', 'Value': 'PutItem'}]
        queries = [
            stat('restcount', 'AWS/ApiGateway', 'Count', rest, 'Sum'),
            stat('rest4', 'AWS/ApiGateway', '4XXError', rest, 'Sum'),
            stat('rest5', 'AWS/ApiGateway', '5XXError', rest, 'Average'),
            stat('restlat', 'AWS/ApiGateway', 'Latency', rest, 'p90'),
            stat('restilat', 'AWS/ApiGateway', 'IntegrationLatency', rest, 'Average'),
            stat('httpcount', 'AWS/ApiGateway', 'Count', http, 'Sum'),
            stat('http4', 'AWS/ApiGateway', '4xx', http, 'Sum'),
            stat('http5', 'AWS/ApiGateway', '5xx', http, 'Sum'),
            stat('httplat', 'AWS/ApiGateway', 'Latency', http, 'Average'),
            stat('wcu', 'AWS/DynamoDB', 'ConsumedWriteCapacityUnits', table, 'Sum'),
            stat('rcu', 'AWS/DynamoDB', 'ConsumedReadCapacityUnits', table, 'Sum'),
            stat('prcu', 'AWS/DynamoDB', 'ProvisionedReadCapacityUnits', stats_table, 'Average'),
            stat('pwcu', 'AWS/DynamoDB', 'ProvisionedWriteCapacityUnits', stats_table, 'Maximum'),
            stat('lat', 'AWS/DynamoDB', 'SuccessfulRequestLatency', put, 'Average'),
            stat('user', 'AWS/DynamoDB', 'UserErrors', [], 'Sum', 300),
            stat('nouser', 'AWS/DynamoDB', 'UserErrors', table, 'Sum'),
            stat('nowrong', 'AWS/Lambda', 'Invocations', [{'Name': 'FunctionName', 'Value': 'nope'}], 'Sum'),
        ]
        results, _ = self.data(queries, end - 3600, end)
        for qid in ('restcount', 'rest4', 'rest5', 'restlat', 'restilat', 'httpcount', 'http4', 'http5',
                    'httplat', 'wcu', 'rcu', 'prcu', 'pwcu', 'lat', 'user'):
            self.assertTrue(results[qid]['Values'], qid)
        self.assertEqual(set(results['prcu']['Values']), {5.0})
        self.assertTrue(all(0 <= v <= 1 for v in results['rest5']['Values']))
        self.assertEqual(results['nouser']['Values'], [])
        self.assertEqual(results['nowrong']['Values'], [])
        throttles = self.data([stat('t', 'AWS/DynamoDB', 'WriteThrottleEvents', table, 'Sum')],
                              end - 86400, end)[0]['t']
        self.assertTrue(throttles['Values'])  # some incident in the last day throttled writes

    def _http_api_id(self):
        listed = CW.list_metrics(Namespace='AWS/ApiGateway', MetricName='5xx')['Metrics']
        return next(d['Value'] for m in listed for d in m['Dimensions'] if d['Name'] == 'ApiId')

    def test_scan_by_periods_and_validation(self):
        end = self.now // 60 * 60 - 60
        q = [stat('m1', 'AWS/Lambda', 'Invocations', SUBMIT, 'Sum', 300)]
        asc, _ = self.data(q, end - 3600 - 17, end, ScanBy='TimestampAscending')
        stamps = [t.timestamp() for t in asc['m1']['Timestamps']]
        self.assertEqual(stamps, sorted(stamps))
        self.assertEqual(stamps[0], (end - 3600 - 17) // 60 * 60)  # start rounded to the minute
        self.assertTrue(all((b - a) == 300 for a, b in zip(stamps, stamps[1:])))
        self.fails(lambda: self.data([stat('m1', 'AWS/Lambda', 'Invocations', SUBMIT, 'Sum', 45)], end - 600, end),
                   'InvalidParameterValue')
        self.fails(lambda: self.data([stat('m1', 'AWS/Lambda', 'Invocations', SUBMIT, 'p1000')], end - 600, end),
                   'InvalidParameterValue')
        self.fails(lambda: self.data(q, end, end - 600), 'InvalidParameterValue')
        self.fails(lambda: self.data(q * 2, end - 600, end), 'InvalidParameterValue')
        self.fails(lambda: self.data([dict(q[0], Id='M1')], end - 600, end), 'InvalidParameterValue')
        self.fails(lambda: self.data([stat('q%d' % i, 'AWS/Lambda', 'Errors', SUBMIT, 'Sum') for i in range(501)],
                                     end - 600, end), 'InvalidParameterValue')
        self.fails(lambda: self.data([{'Id': 'e1', 'Expression': 'm9 * 2'}], end - 600, end),
                   'InvalidParameterValue')
        self.fails(lambda: self.data([{'Id': 'e1'}], end - 600, end), 'InvalidParameterCombination')
        sub = self.data([stat('m1', 'AWS/Lambda', 'Invocations', SUBMIT, 'Sum', 30)], end - 600, end)[0]
        self.assertEqual(sub['m1']['Values'], [])  # no sub-minute data for standard metrics

    def test_expressions(self):
        end = self.now // 60 * 60 - 60
        queries = [stat('inv', 'AWS/Lambda', 'Invocations', SUBMIT, 'Sum', ReturnData=False),
                   stat('err', 'AWS/Lambda', 'Errors', SUBMIT, 'Sum', ReturnData=False),
                   stat('spam', 'AWS/Lambda', 'Invocations', [{'Name': 'FunctionName', 'Value': 'spam-filter'}],
                        'Sum', ReturnData=False),
                   {'Id': 'rate', 'Expression': '100 * err / inv', 'Label': 'Error %'},
                   {'Id': 'total', 'Expression': 'SUM([inv, spam])'},
                   {'Id': 'neg', 'Expression': '-(inv - err) + 1'}]
        results, _ = self.data(queries, end - 1800, end)
        self.assertEqual(set(results), {'rate', 'total', 'neg'})
        self.assertEqual(results['rate']['Label'], 'Error %')
        by_ts = {k: dict(zip(v['Timestamps'], v['Values'])) for k, v in
                 self.data([dict(q, ReturnData=True) for q in queries[:3]], end - 1800, end)[0].items()}
        for ts, value in zip(results['rate']['Timestamps'], results['rate']['Values']):
            self.assertAlmostEqual(value, 100 * by_ts['err'][ts] / by_ts['inv'][ts])
        for ts, value in zip(results['total']['Timestamps'], results['total']['Values']):
            self.assertAlmostEqual(value, by_ts['inv'].get(ts, 0) + by_ts['spam'].get(ts, 0))
        for ts, value in zip(results['neg']['Timestamps'], results['neg']['Values']):
            self.assertAlmostEqual(value, -(by_ts['inv'][ts] - by_ts['err'][ts]) + 1)

    def test_pagination_by_max_datapoints(self):
        end = self.now // 60 * 60 - 600
        queries = [stat('a', 'AWS/Lambda', 'Invocations', SUBMIT, 'Sum'),
                   stat('b', 'AWS/Lambda', 'Duration', SUBMIT, 'Average')]
        whole, _ = self.data(queries, end - 7200, end)
        merged = {'a': [], 'b': []}
        token, pages, kwargs = None, 0, {}
        while True:
            if token:
                kwargs['NextToken'] = token
            results, out = self.data(queries, end - 7200, end, MaxDatapoints=50, **kwargs)
            pages += 1
            for qid, r in results.items():
                merged[qid] += list(zip(r['Timestamps'], r['Values']))
                if out.get('NextToken'):
                    self.assertIn(r['StatusCode'], ('Complete', 'PartialData'))
            token = out.get('NextToken')
            if not token:
                self.assertTrue(all(r['StatusCode'] == 'Complete' for r in results.values()))
                break
        for qid in ('a', 'b'):
            self.assertEqual(merged[qid], list(zip(whole[qid]['Timestamps'], whole[qid]['Values'])))
        self.assertGreater(pages, 4)
        self.fails(lambda: self.data(queries, end - 7200, end, NextToken='nope'), 'InvalidNextToken')

    def test_more_than_100800_datapoints_need_a_next_token(self):
        end = self.now // 60 * 60 - 3600
        table = [{'Name': 'TableName', 'Value': 'FeedbackStats'}]
        # 71 series with a point every minute of a day: 102,240 datapoints.
        queries = [stat(f'q{i}', 'AWS/DynamoDB', 'ProvisionedReadCapacityUnits', table, f'p{i}')
                   for i in range(1, 72)]
        results, out = CWJ.get_metric_data(MetricDataQueries=queries, StartTime=end - 86400, EndTime=end), None
        out = results
        results = {r['Id']: r for r in out['MetricDataResults']}
        self.assertIn('NextToken', out)
        self.assertEqual(sum(len(r['Values']) for r in results.values()), 100800)
        self.assertEqual(results['q71']['StatusCode'], 'PartialData')
        self.assertEqual(results['q71']['Values'], [])
        self.assertEqual(results['q1']['StatusCode'], 'Complete')
        rest = CWJ.get_metric_data(MetricDataQueries=queries, StartTime=end - 86400, EndTime=end,
                                   NextToken=out['NextToken'])
        self.assertNotIn('NextToken', rest)
        self.assertEqual(sum(len(r['Values']) for r in rest['MetricDataResults']), 102240 - 100800)

    def test_invocations_show_up(self):
        SIM.ok('POST', 'traffic', {'paused': True})
        lam = SIM.client('lambda')
        dims = [{'Name': 'FunctionName', 'Value': 'worker-05'}]

        # One fixed window, wide enough for an invocation that ends in a later
        # minute (its simulated duration counts): no dependence on when the
        # test runs within a minute.
        start = time.time() // 60 * 60 - 120

        def total():
            results, _ = self.data([stat('m', 'AWS/Lambda', 'Invocations', dims, 'Sum')], start, start + 900)
            return sum(results['m']['Values'])
        # The seeded background adds a minute's figures once that minute has
        # begun: measure again if one began in between (never twice running).
        for _ in range(3):
            minute = time.time() // 60
            before = total()
            for _ in range(3):
                lam.invoke(FunctionName='worker-05', Payload=b'{}')
            after = total()
            if time.time() // 60 == minute:
                break
        self.assertEqual(after, before + 3)


class OtherOperationsTest(CwCase):
    def test_get_metric_statistics(self):
        end = self.now // 60 * 60 - 60
        out = CW.get_metric_statistics(Namespace='AWS/Lambda', MetricName='Duration', Dimensions=SUBMIT,
                                       StartTime=end - 900, EndTime=end, Period=300,
                                       Statistics=['Average', 'Maximum', 'SampleCount'],
                                       ExtendedStatistics=['p99'])
        self.assertEqual(out['Label'], 'Duration')
        self.assertEqual(len(out['Datapoints']), 3)
        for point in out['Datapoints']:
            self.assertEqual(point['Unit'], 'Milliseconds')
            self.assertLessEqual(point['ExtendedStatistics']['p99'], point['Maximum'])
        self.fails(lambda: CW.get_metric_statistics(Namespace='AWS/Lambda', MetricName='Duration',
                                                    StartTime=end - 90000, EndTime=end, Period=60,
                                                    Statistics=['Sum']), 'InvalidParameterValue')

    def test_list_metrics(self):
        everything = []
        for page in CW.get_paginator('list_metrics').paginate():
            everything += page['Metrics']
        self.assertGreater(len(everything), 300)
        fns = CW.list_metrics(Namespace='AWS/Lambda', MetricName='Errors',
                              Dimensions=[{'Name': 'FunctionName', 'Value': 'spam-filter'}])['Metrics']
        self.assertEqual(fns, [{'Namespace': 'AWS/Lambda', 'MetricName': 'Errors',
                                'Dimensions': [{'Name': 'FunctionName', 'Value': 'spam-filter'}]}])
        ops = CW.list_metrics(Namespace='AWS/DynamoDB', MetricName='ThrottledRequests',
                              Dimensions=[{'Name': 'TableName', 'Value': 'Feedback'}])['Metrics']
        self.assertEqual(len(ops), 5)


class AlarmTest(CwCase):
    def test_describe_alarms(self):
        metric_only = CW.describe_alarms()
        self.assertEqual(metric_only['CompositeAlarms'], [])
        names = [a['AlarmName'] for a in metric_only['MetricAlarms']]
        self.assertEqual(names, sorted(['submit-feedback-errors', 'feedback-api-5xx', 'Feedback-throttles',
                                        'export-feedback-duration-p99']))
        # Alarms are evaluated 30 s into each minute, and about one evaluation in eight
        # changes which alarms fire: both reads below must come from the same one (read
        # again if an evaluation fell between them, as for the invocations above).
        for _ in range(3):
            slot = (time.time() - 30) // 60
            both = CW.describe_alarms(AlarmTypes=['MetricAlarm', 'CompositeAlarm'])
            in_alarm = CW.describe_alarms(StateValue='ALARM')['MetricAlarms']
            if (time.time() - 30) // 60 == slot:
                break
        composite = both['CompositeAlarms'][0]
        self.assertEqual(composite['AlarmName'], 'feedback-app-health')
        self.assertEqual(composite['AlarmRule'], 'ALARM("submit-feedback-errors") OR ALARM("feedback-api-5xx")')
        errors = next(a for a in both['MetricAlarms'] if a['AlarmName'] == 'submit-feedback-errors')
        self.assertEqual((errors['Namespace'], errors['MetricName'], errors['Statistic'], errors['Threshold'],
                          errors['ComparisonOperator'], errors['Dimensions']),
                         ('AWS/Lambda', 'Errors', 'Sum', 5.0, 'GreaterThanThreshold', SUBMIT))
        self.assertEqual(errors['AlarmArn'], 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:submit-feedback-errors')
        self.assertRegex(errors['StateReason'], r'^Threshold Crossed: ')
        json.loads(errors['StateReasonData'])
        self.assertLessEqual(errors['StateUpdatedTimestamp'].timestamp(), time.time())
        p99 = next(a for a in both['MetricAlarms'] if a['AlarmName'] == 'export-feedback-duration-p99')
        self.assertEqual(p99['ExtendedStatistic'], 'p99')
        self.assertNotIn('Statistic', p99)
        states = {a['AlarmName']: a['StateValue'] for a in both['MetricAlarms']}
        self.assertEqual(sorted(a['AlarmName'] for a in in_alarm),
                         sorted(n for n, s in states.items() if s == 'ALARM'))
        expected = 'ALARM' if 'ALARM' in (states['submit-feedback-errors'], states['feedback-api-5xx']) else 'OK'
        self.assertEqual(composite['StateValue'], expected)
        prefixed = CW.describe_alarms(AlarmNamePrefix='feedback-', AlarmTypes=['MetricAlarm', 'CompositeAlarm'])
        self.assertEqual([a['AlarmName'] for a in prefixed['MetricAlarms'] + prefixed['CompositeAlarms']],
                         ['feedback-api-5xx', 'feedback-app-health'])
        self.fails(lambda: CW.describe_alarms(AlarmNames=['x'], AlarmNamePrefix='y'), 'InvalidParameterCombination')
        self.fails(lambda: CW.describe_alarms(MaxRecords=101), 'InvalidParameterValue')
        kids = CW.describe_alarms(ChildrenOfAlarmName='feedback-app-health')['MetricAlarms']
        self.assertEqual(sorted(a['AlarmName'] for a in kids), ['feedback-api-5xx', 'submit-feedback-errors'])

    def test_pagination(self):
        names, token = [], None
        while True:
            kwargs = {'MaxRecords': 2, 'AlarmTypes': ['MetricAlarm', 'CompositeAlarm']}
            if token:
                kwargs['NextToken'] = token
            page = CW.describe_alarms(**kwargs)
            names += [a['AlarmName'] for a in page['MetricAlarms'] + page['CompositeAlarms']]
            token = page.get('NextToken')
            if not token:
                break
        self.assertEqual(len(names), 5)
        self.assertEqual(len(set(names)), 5)

    def test_states_follow_the_metric(self):
        # `now` must fall in the evaluation the alarm was read in (30 s into each minute;
        # the state flips at about one in fourteen): read again if one began between.
        for _ in range(3):
            slot = (time.time() - 30) // 60
            alarm = CW.describe_alarms(AlarmNames=['submit-feedback-errors'])['MetricAlarms'][0]
            now = time.time()
            if (now - 30) // 60 == slot:
                break
        updated = alarm['StateUpdatedTimestamp'].timestamp()
        self.assertGreater(updated, now - 86400)  # it changed state within the last day
        results, _ = self.data([stat('e', 'AWS/Lambda', 'Errors', SUBMIT, 'Sum')], now - 86400, now,
                               ScanBy='TimestampAscending')
        points = dict(zip((t.timestamp() for t in results['e']['Timestamps']), results['e']['Values']))
        self.assertTrue(any(v > 5 for v in points.values()) and any(v <= 5 for v in points.values()))
        last = max(t for t in points if t + 60 <= now - 30)
        self.assertEqual(alarm['StateValue'], 'ALARM' if points[last] > 5 else 'OK')
        # The datapoint that made the state change, and the one before it (periods are
        # evaluated 30 s after they end); the reason describes that evaluation.
        first_new = points.get(round(updated) - 90, 0.0)
        last_old = points.get(round(updated) - 150, 0.0)
        self.assertEqual(first_new > 5, alarm['StateValue'] == 'ALARM')
        self.assertEqual(last_old > 5, alarm['StateValue'] == 'OK')
        data = json.loads(alarm['StateReasonData'])
        self.assertEqual(data['recentDatapoints'], [first_new] if round(updated) - 90 in points else [])
        self.assertIn(f'[{first_new} (', alarm['StateReason'])


class JsonProtocolTest(CwCase):
    def raw(self, op, body, query_mode=True):
        headers = JSON_HEADERS + [('X-Amz-Target', f'GraniteServiceVersion20100801.{op}')]
        if query_mode:
            headers.append(('x-amzn-query-mode', 'true'))
        status, hdrs, data = SIM.signed('POST', '/', 'monitoring', json.dumps(body).encode(), headers)
        return status, hdrs, json.loads(data) if data.startswith(b'{') else data

    def test_same_answers_as_query(self):
        end = self.now // 60 * 60 - 120
        queries = [stat('m1', 'AWS/Lambda', 'Errors', SUBMIT, 'Sum'),
                   {'Id': 'e1', 'Expression': 'm1 * 2'}]
        via_json, _ = self.data(queries, end - 1800, end, client=CWJ)
        via_query, _ = self.data(queries, end - 1800, end)
        self.assertEqual(via_json, via_query)
        self.assertEqual(CWJ.describe_alarms(AlarmTypes=['CompositeAlarm'])['CompositeAlarms'][0]['AlarmName'],
                         'feedback-app-health')
        status, headers, body = self.raw('GetMetricData', {
            'MetricDataQueries': [stat('m1', 'AWS/Lambda', 'Errors', SUBMIT, 'Sum')],
            'StartTime': end - 600, 'EndTime': end})
        self.assertEqual((status, headers['content-type']), (200, 'application/x-amz-json-1.0'))
        self.assertNotIn('GetMetricDataResult', body)
        self.assertIsInstance(body['MetricDataResults'][0]['Timestamps'][0], float)

    def test_errors_carry_query_codes(self):
        status, headers, body = self.raw('DescribeAlarms', {'MaxRecords': 500})
        self.assertEqual(status, 400)
        self.assertEqual(body['__type'].rpartition('#')[2], 'InvalidParameterValueException')
        self.assertEqual(headers['x-amzn-query-error'], 'InvalidParameterValue;Sender')
        status, headers, body = self.raw('DescribeAlarms', {'MaxRecords': 500}, query_mode=False)
        self.assertNotIn('x-amzn-query-error', headers)
        response = self.fails(lambda: CWJ.describe_alarms(NextToken='bad'), 'InvalidNextToken')
        self.assertEqual(response['ResponseMetadata']['HTTPHeaders'].get('x-amzn-query-error'), None)
        status, headers, body = self.raw('NoSuchThing', {})
        self.assertEqual(status, 400)
        self.assertEqual(body['__type'].rpartition('#')[2], 'UnknownOperationException')

    def test_faults_in_both_protocols(self):
        SIM.ok('POST', 'faults', {'service': 'monitoring', 'kind': 'throttle', 'count': 2})
        status, headers, body = self.raw('DescribeAlarms', {})
        self.assertEqual((status, body['__type'].rpartition('#')[2], headers['x-amzn-query-error']),
                         (400, 'ThrottlingException', 'Throttling;Sender'))
        self.fails(CW.describe_alarms, 'Throttling')
        SIM.ok('POST', 'faults', {'service': 'monitoring', 'kind': 'expired', 'count': 2})
        status, headers, body = self.raw('DescribeAlarms', {})
        self.assertEqual((status, body['__type'].rpartition('#')[2], headers['x-amzn-query-error']),
                         (400, 'ExpiredTokenException', 'ExpiredToken;Sender'))
        self.fails(CW.describe_alarms, 'ExpiredToken')
        bad = SIM.client('cloudwatch', secret='wrong')
        self.fails(bad.describe_alarms, 'SignatureDoesNotMatch', 403)

    def test_xml_only_switch(self):
        SIM.ok('POST', 'config', {'cloudwatch_xml_only': True})
        status, headers, body = self.raw('DescribeAlarms', {})
        self.assertEqual((status, headers['content-type']), (400, 'text/xml'))
        self.assertIn(b'<Code>MissingAction</Code>', body)
        with self.assertRaises(Exception):
            CWJ.describe_alarms()
        self.assertTrue(CW.describe_alarms()['MetricAlarms'])  # awsQuery still answers
        SIM.ok('POST', 'config', {'cloudwatch_xml_only': False})
        self.assertTrue(CWJ.describe_alarms()['MetricAlarms'])

    def test_emulator_switch(self):
        SIM.ok('POST', 'config', {'cloudwatch_emulator': True})
        try:
            status, headers, body = self.raw('DescribeAlarms', {})
            self.assertEqual(status, 500)
            self.assertTrue(headers['content-type'].startswith('text/html'), headers)
            self.assertIn(b'<html>', body)
            self.assertNotIn('x-amzn-query-error', headers)
            self.assertTrue(CW.describe_alarms()['MetricAlarms'])  # awsQuery still answers
        finally:
            SIM.ok('POST', 'config', {'cloudwatch_emulator': False})
        self.assertTrue(CWJ.describe_alarms()['MetricAlarms'])


if __name__ == '__main__':
    unittest.main()

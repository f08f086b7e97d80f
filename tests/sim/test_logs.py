"""CloudWatch Logs against the simulator's synthetic traffic: listing, FilterLogEvents and
its pattern language, GetLogEvents tokens, Insights, and Live Tail decoded by botocore's
own event-stream parser."""
import base64
import json
import re
import threading
import time
import unittest

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.eventstream import ChecksumMismatch, EventStreamBuffer
from botocore.exceptions import ClientError

from simharness import AKID1, SECRET1, SimProcess

SIM = None
LOGS = None
SUBMIT = '/aws/lambda/submit-feedback'
SPAM = '/aws/lambda/spam-filter'
GROUP_ARN = 'arn:aws:logs:us-east-1:111122223333:log-group:'
STREAM_RE = re.compile(r'^\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}$')
REPORT_RE = re.compile(r'^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: '
                       r'\d+ ms\tMemory Size: \d+ MB\tMax Memory Used: \d+ MB\t'
                       r'(Init Duration: \d+\.\d\d ms\t)?(Status: timeout)?\n$')


def setUpModule():
    global SIM, LOGS
    # ListTagsLogGroup and ListTagsForResource are tested here though tiertop does not call them.
    SIM = SimProcess('--all-operations')
    LOGS = SIM.client('logs')


def tearDownModule():
    assert SIM.stop() == 0


class LogsCase(unittest.TestCase):
    def setUp(self):
        SIM.ok('POST', 'reset')
        self.logs = LOGS

    def fails(self, call, code, status=400):
        with self.assertRaises(ClientError) as ctx:
            call()
        err = ctx.exception.response['Error']
        self.assertEqual((err['Code'], ctx.exception.response['ResponseMetadata']['HTTPStatusCode']),
                         (code, status), err['Message'])
        return err['Message']

    def filter_all(self, **kwargs):
        events, pages, token = [], 0, None
        while True:
            if token:
                kwargs['nextToken'] = token
            page = self.logs.filter_log_events(**kwargs)
            pages += 1
            events += page['events']
            token = page.get('nextToken')
            if not token:
                return events, pages


class DescribeTest(LogsCase):
    def test_log_groups(self):
        groups = self.logs.describe_log_groups()['logGroups']
        names = [g['logGroupName'] for g in groups]
        self.assertEqual(names, ['/aws/apigateway/feedback-api-access', '/aws/lambda/export-feedback', SPAM,
                                 SUBMIT, 'API-Gateway-Execution-Logs_' + names[4].split('_')[1]])
        for g in groups:
            self.assertEqual(g['arn'], GROUP_ARN + g['logGroupName'] + ':*')
        raw = json.loads(SIM.signed('POST', '/', 'logs', b'{"logGroupNamePrefix": "/aws/lambda/sub"}',
                                    [('Content-Type', 'application/x-amz-json-1.1'),
                                     ('X-Amz-Target', 'Logs_20140328.DescribeLogGroups')])[2])
        self.assertEqual(raw['logGroups'][0]['logGroupArn'], GROUP_ARN + SUBMIT)
        self.assertEqual(raw['logGroups'][0]['retentionInDays'], 14)
        first = self.logs.describe_log_groups(limit=1)
        second = self.logs.describe_log_groups(limit=4, nextToken=first["nextToken"])
        self.assertEqual([g['logGroupName'] for g in first['logGroups'] + second['logGroups']], names)
        self.assertNotIn('nextToken', second)
        prefixed = self.logs.describe_log_groups(logGroupNamePrefix='/aws/lambda/')['logGroups']
        self.assertEqual(len(prefixed), 3)
        self.fails(lambda: self.logs.describe_log_groups(limit=51), 'InvalidParameterException')
        self.fails(lambda: self.logs.describe_log_groups(logGroupNamePrefix='/a', logGroupNamePattern='b'),
                   'InvalidParameterException')
        self.fails(lambda: self.logs.describe_log_groups(nextToken='bogus'), 'InvalidParameterException')
        self.assertEqual(self.logs.list_tags_log_group(logGroupName=SUBMIT)['tags'],
                         {'app': 'feedback', 'stage': 'prod'})

    def test_faults(self):
        SIM.ok('POST', 'faults', {'service': 'logs', 'kind': 'throttle'})
        self.fails(self.logs.describe_log_groups, 'ThrottlingException')
        SIM.ok('POST', 'faults', {'service': 'logs', 'kind': 'expired'})
        self.fails(self.logs.describe_log_groups, 'ExpiredTokenException')


class FilterTest(LogsCase):
    def test_lambda_log_lines(self):
        reports, _ = self.filter_all(logGroupName=SUBMIT, filterPattern='REPORT')
        self.assertGreater(len(reports), 100)
        for ev in reports:
            self.assertRegex(ev['message'], REPORT_RE)
            self.assertGreater(ev['ingestionTime'], ev['timestamp'])
            self.assertRegex(ev['eventId'], r'^\d{56}$')
        self.assertTrue(any('Init Duration' in ev['message'] for ev in reports))
        # The synthetic traffic times spam-filter out 2% of the time: about 7 in the 600 s
        # of history, but none in about 1 reset of 2,000 (2026-12-10 01:21 UTC, ...). One
        # of our own, through the same runtime code, so that there is always one.
        SIM.client('lambda').invoke(FunctionName='spam-filter', Payload=b'{"message": "slow", "delayMs": 5000}')
        timeouts, _ = self.filter_all(logGroupName=SPAM, filterPattern='"Status: timeout"')
        self.assertTrue(timeouts)
        for ev in timeouts:
            self.assertRegex(ev['message'], REPORT_RE)
        traces, _ = self.filter_all(logGroupName=SPAM, filterPattern='Traceback')
        self.assertTrue(any('\nTraceback (most recent call last):\n  File "/var/task/app.py"' in ev['message']
                            for ev in traces))
        everything, _ = self.filter_all(logGroupName=SUBMIT)
        stamps = [ev['timestamp'] for ev in everything]
        self.assertEqual(stamps, sorted(stamps))
        self.assertEqual(len({ev['eventId'] for ev in everything}), len(everything))
        self.assertLess(len(set(stamps)), len(stamps), 'no two events share a millisecond')
        self.assertTrue(any('\u001b[' in ev['message'] for ev in everything))

    def test_access_log_lines(self):
        # Every REST request leaves one JSON access-log line naming the Lambda request id
        # it led to, which is a REPORT line's request id.
        access, _ = self.filter_all(logGroupName='/aws/apigateway/feedback-api-access')
        self.assertGreater(len(access), 50)
        reports, _ = self.filter_all(logGroupName=SUBMIT, filterPattern='REPORT')
        lambda_ids = {re.search(r'RequestId: (\S+)', ev['message']).group(1) for ev in reports}
        lines = [json.loads(ev['message']) for ev in access]
        for line in lines:
            self.assertEqual((line['httpMethod'], line['resourcePath']), ('POST', '/feedback'))
            self.assertRegex(line['status'], r'^[0-9]{3}$')
            self.assertRegex(line['integrationLatency'], r'^[0-9]+$')
        matched = [line for line in lines if line['integrationRequestId'] in lambda_ids]
        self.assertGreater(len(matched), len(lines) * 0.9)  # the window's edges may cut a few
        found, _ = self.filter_all(logGroupName='/aws/apigateway/feedback-api-access',
                                   filterPattern='{ $.integrationRequestId = "%s" }'
                                   % lines[0]['integrationRequestId'])
        self.assertEqual(len(found), 1)

    def test_patterns(self):
        def count(pattern, group=SUBMIT):
            return [ev['message'] for ev in self.filter_all(logGroupName=group, filterPattern=pattern)[0]]
        errors = count('{ $.level = "ERROR" }', SPAM)
        self.assertTrue(errors)
        self.assertTrue(all(json.loads(m)['level'] == 'ERROR' for m in errors))
        slow = count('{ $.latencyMs > 60 }')
        self.assertTrue(slow and all(json.loads(m)['latencyMs'] > 60 for m in slow))
        both = count('{ ($.level = "INFO") && ($.rating >= 4) }')
        self.assertTrue(both and all(json.loads(m)['rating'] >= 4 for m in both))
        either = count('{ $.rating = 1 || $.rating = 5 }')
        self.assertTrue(all(json.loads(m)['rating'] in (1, 5) for m in either))
        self.assertTrue(all(json.loads(m)['msg'] != 'stored feedback'
                            for m in count('{ $.msg != "stored*" }')))
        self.assertEqual(count('{ $.nothere = 1 }'), [])
        no_init = count('REPORT -Init')
        self.assertTrue(no_init and all('Init Duration' not in m for m in no_init))
        alt = count('?START ?END')
        self.assertTrue(alt and all('START' in m or 'END' in m for m in alt))
        self.assertTrue(any(m.startswith('INIT_START') for m in alt))
        self.assertTrue(all('Received feedback: Red alert' in m for m in count('"Received feedback: Red alert"')))
        regex = count('%RequestId: [0-9a-f]{8}-%')
        self.assertGreater(len(regex), 100)
        self.fails(lambda: self.logs.filter_log_events(logGroupName=SUBMIT, filterPattern='{ $.a = '),
                   'InvalidParameterException')

    def test_pagination_limits_and_empty_pages(self):
        # Traffic keeps flowing: bound every search by the same end time.
        end = self.logs.filter_log_events(logGroupName=SUBMIT, limit=1)['events'][0]['timestamp'] + 300000
        end = min(end, int(time.time() * 1000) - 5000)
        everything, _ = self.filter_all(logGroupName=SUBMIT, filterPattern='END', endTime=end)
        paged, pages = self.filter_all(logGroupName=SUBMIT, filterPattern='END', limit=25, endTime=end)
        self.assertEqual([e['eventId'] for e in paged], [e['eventId'] for e in everything])
        self.assertGreater(pages, len(everything) // 25)
        SIM.client('lambda').invoke(FunctionName='submit-feedback', Payload=b'{"message": "needle-e5"}')
        end = int(time.time() * 1000) + 1000
        SIM.ok('POST', 'config', {'logs_filter_scan_events': 300})
        sparse = []
        token, empty_pages = None, 0
        while True:
            kwargs = {'logGroupName': SUBMIT, 'filterPattern': '"needle-e5"', 'endTime': end}
            if token:
                kwargs['nextToken'] = token
            page = self.logs.filter_log_events(**kwargs)
            sparse += page['events']
            token = page.get('nextToken')
            if not page['events'] and token:
                empty_pages += 1
            if not token:
                break
        self.assertGreater(empty_pages, 0)
        # A broken service: a page with a token answers no events and that same token.
        SIM.ok('POST', 'config', {'logs_filter_repeat_token': True})
        first = self.logs.filter_log_events(logGroupName=SUBMIT, filterPattern='"needle-e5"', endTime=end)
        again = self.logs.filter_log_events(logGroupName=SUBMIT, filterPattern='"needle-e5"', endTime=end,
                                            nextToken=first['nextToken'])
        self.assertEqual((again['events'], again['nextToken']), ([], first['nextToken']))
        SIM.ok('POST', 'config', {'logs_filter_repeat_token': False})
        SIM.ok('POST', 'config', {'logs_filter_scan_events': 100000})
        whole, _ = self.filter_all(logGroupName=SUBMIT, filterPattern='"needle-e5"', endTime=end)
        self.assertEqual(len(whole), 1)
        self.assertEqual([e['eventId'] for e in sparse], [e['eventId'] for e in whole])
        self.fails(lambda: self.logs.filter_log_events(logGroupName=SUBMIT, limit=10001),
                   'InvalidParameterException')
        self.fails(lambda: self.logs.filter_log_events(logGroupName=SUBMIT, nextToken='x'),
                   'InvalidParameterException')

    def test_time_window_and_streams(self):
        everything, _ = self.filter_all(logGroupName=SUBMIT, endTime=int(time.time() * 1000) - 5000)
        mid = everything[len(everything) // 2]['timestamp']
        window, _ = self.filter_all(logGroupName=SUBMIT, startTime=mid, endTime=mid + 5000)
        self.assertTrue(window)
        self.assertTrue(all(mid <= e['timestamp'] <= mid + 5000 for e in window))
        self.assertEqual(len(window), sum(1 for e in everything if mid <= e['timestamp'] <= mid + 5000))
        stream = everything[0]['logStreamName']
        only, _ = self.filter_all(logGroupIdentifier=GROUP_ARN + SUBMIT, logStreamNames=[stream])
        self.assertTrue(only and all(e['logStreamName'] == stream for e in only))
        prefixed, _ = self.filter_all(logGroupName=SUBMIT, logStreamNamePrefix=stream[:15])
        self.assertTrue(prefixed)
        self.fails(lambda: self.logs.filter_log_events(logGroupName=SUBMIT, logStreamNames=[stream],
                                                       logStreamNamePrefix='x'), 'InvalidParameterException')

    def test_invoke_writes_lines_filter_finds(self):
        lam = SIM.client('lambda')
        out = lam.invoke(FunctionName='submit-feedback', LogType='Tail',
                         Payload=json.dumps({'message': 'needle-8c1f'}).encode())
        tail = base64.b64decode(out['LogResult']).decode()
        request_id = re.search(r'START RequestId: (\S+)', tail).group(1)
        found = self.logs.filter_log_events(logGroupName=SUBMIT, filterPattern=f'"{request_id}"')['events']
        kinds = [e['message'].split(' ')[0] for e in found]
        self.assertIn('START', kinds)
        self.assertIn('END', kinds)
        self.assertIn('REPORT', kinds)
        self.assertTrue(any('needle-8c1f' in e['message'] for e in found))
        lam.invoke(FunctionName='worker-09', Payload=b'{}')
        self.assertEqual(self.logs.describe_log_groups(logGroupNamePrefix='/aws/lambda/worker-09')
                         ['logGroups'][0]['logGroupName'], '/aws/lambda/worker-09')


def live_tail_request(body):
    data = json.dumps(body).encode()
    req = AWSRequest(method='POST', url=SIM.url + '/', data=data)
    req.headers['Host'] = f'127.0.0.1:{SIM.port}'
    req.headers['Content-Type'] = 'application/x-amz-json-1.1'
    req.headers['X-Amz-Target'] = 'Logs_20140328.StartLiveTail'
    SigV4Auth(Credentials(AKID1, SECRET1), 'logs', 'us-east-1').add_auth(req)
    conn = SIM.connection()
    conn.timeout = 30
    conn.request('POST', '/', data, dict(req.headers))
    return conn, conn.getresponse()


def decode_stream(resp, on_message=None):
    """Messages of a Live Tail answer, decoded by botocore as they arrive."""
    buf = EventStreamBuffer()
    out = []
    while True:
        data = resp.read1(4096)
        if not data:
            return out
        buf.add_data(data)
        for msg in buf:
            out.append(msg)
            if on_message:
                on_message(msg)


class LiveTailTest(LogsCase):
    def test_session(self):
        # Updates come a second apart (the simulator sleeps 1 s between them): 2.5 s leaves
        # the probe's Invoke, started on sessionStart, 2 s to land instead of 1 s, and a
        # late wake-up on a loaded machine may drop the second update but not the first.
        SIM.ok('POST', 'config', {'livetail_max_seconds': 2.5})
        lam = SIM.client('lambda')

        def invoke_once(msg):
            if msg.headers.get(':event-type') == 'sessionStart':
                threading.Thread(target=lam.invoke, kwargs={
                    'FunctionName': 'submit-feedback',
                    'Payload': json.dumps({'message': 'live-tail-probe'}).encode()}).start()
        conn, resp = live_tail_request({'logGroupIdentifiers': [GROUP_ARN + SUBMIT],
                                        'logEventFilterPattern': '"live-tail-probe"'})
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader('Content-Type'), 'application/vnd.amazon.eventstream')
        messages = decode_stream(resp, invoke_once)
        conn.close()
        kinds = [(m.headers[':message-type'], m.headers.get(':event-type') or m.headers.get(':exception-type'))
                 for m in messages]
        self.assertEqual(kinds[0], ('event', 'initial-response'))
        self.assertEqual(kinds[1], ('event', 'sessionStart'))
        self.assertEqual(kinds[-1], ('exception', 'SessionTimeoutException'))
        updates = [json.loads(m.payload) for m in messages if m.headers.get(':event-type') == 'sessionUpdate']
        self.assertIn(len(updates), (1, 2))
        start = json.loads(messages[1].payload)
        self.assertEqual(start['logGroupIdentifiers'], [GROUP_ARN + SUBMIT])
        self.assertEqual(start['logEventFilterPattern'], '"live-tail-probe"')
        results = [r for u in updates for r in u['sessionResults']]
        self.assertEqual(len(results), 1)
        self.assertIn('Received feedback: live-tail-probe', results[0]['message'])
        self.assertEqual(results[0]['logGroupIdentifier'], GROUP_ARN + SUBMIT)
        self.assertFalse(updates[0]['sessionMetadata']['sampled'])
        self.assertEqual(messages[0].headers[':content-type'], 'application/json')

    def test_small_writes_and_corrupt_crc(self):
        # One update at 1 s, none at 2 s: 1.9 s lets the update's wake-up be 0.9 s late
        # on a loaded machine instead of 0.3 s.
        SIM.ok('POST', 'config', {'livetail_max_seconds': 1.9, 'livetail_chunk_bytes': 7})
        conn, resp = live_tail_request({'logGroupIdentifiers': [GROUP_ARN + SUBMIT, GROUP_ARN + SPAM]})
        messages = decode_stream(resp)
        conn.close()
        self.assertEqual(messages[-1].headers[':exception-type'], 'SessionTimeoutException')
        self.assertEqual(len(messages), 4)
        SIM.ok('POST', 'config', {'livetail_corrupt_crc': True, 'livetail_chunk_bytes': None})
        conn, resp = live_tail_request({'logGroupIdentifiers': [GROUP_ARN + SUBMIT]})
        with self.assertRaises(ChecksumMismatch):
            decode_stream(resp)
        conn.close()

    def test_bad_requests_are_plain_json_errors(self):
        for body in ({'logGroupIdentifiers': [SUBMIT]},
                     {'logGroupIdentifiers': []},
                     {'logGroupIdentifiers': [GROUP_ARN + SUBMIT] * 11},
                     {'logGroupIdentifiers': [GROUP_ARN + SUBMIT, GROUP_ARN + SPAM], 'logStreamNames': ['x']},
                     {'logGroupIdentifiers': [GROUP_ARN + SUBMIT], 'logEventFilterPattern': '{ $.x = '}):
            conn, resp = live_tail_request(body)
            data = resp.read()
            conn.close()
            self.assertEqual(resp.status, 400, body)
            self.assertEqual(json.loads(data)['__type'].rpartition('#')[2], 'InvalidParameterException')
        conn, resp = live_tail_request({'logGroupIdentifiers': [GROUP_ARN + '/nope']})
        self.assertEqual((resp.status, json.loads(resp.read())['__type'].rpartition('#')[2]),
                         (400, 'ResourceNotFoundException'))
        conn.close()


class BenchKnobsTest(LogsCase):
    """POST /_sim/logs/fill and /_sim/logs/event, which bench/logs.sh relies on."""

    def test_fill(self):
        end = int(time.time()) - 10
        out = SIM.ok('POST', 'logs/fill', {'group': '/bench/fill', 'events': 30000, 'span_seconds': 600,
                                           'streams': 7, 'end': end})
        self.assertEqual((out['group_events'], out['start'], out['end']), (30000, end - 600, end))
        events, pages = self.filter_all(logGroupName='/bench/fill', startTime=(end - 600) * 1000,
                                        endTime=end * 1000)
        self.assertEqual(len(events), 30000)
        self.assertGreater(pages, 2)
        stamps = [e['timestamp'] for e in events]
        self.assertEqual(stamps, sorted(stamps))
        self.assertTrue((end - 600) * 1000 <= stamps[0] and stamps[-1] < end * 1000)
        self.assertLess(len(set(stamps)), len(stamps), 'no two events share a millisecond')
        self.assertEqual(len({e['logStreamName'] for e in events}), 7)
        self.assertTrue(all(e['timestamp'] < e['ingestionTime'] <= time.time() * 1000 for e in events))
        sizes = [len(e['message']) for e in events]
        self.assertLess(min(sizes), 60)
        self.assertGreater(max(sizes), 600)
        reports = [e['message'] for e in events if e['message'].startswith('REPORT')]
        self.assertGreater(len(reports), 3000)
        for message in reports:
            self.assertRegex(message, REPORT_RE)
        # The same seed gives the same content.
        SIM.ok('POST', 'logs/fill', {'group': '/bench/again', 'events': 30000, 'span_seconds': 600,
                                     'streams': 7, 'end': end})
        again, _ = self.filter_all(logGroupName='/bench/again')
        self.assertEqual([(e['timestamp'], e['message']) for e in again],
                         [(e['timestamp'], e['message']) for e in events])
        for bad in ({'group': '/bench/x', 'events': 0}, {'group': 'a b', 'events': 5},
                    {'group': '/bench/x', 'events': 5, 'span_seconds': 1},
                    {'group': '/bench/x', 'events': 5, 'end': end + 3600},
                    {'group': '/bench/x', 'events': True}):
            self.assertEqual(SIM.admin('POST', 'logs/fill', bad)[0], 400, bad)

    def test_marker(self):
        now = time.time() * 1000
        out = SIM.ok('POST', 'logs/event', {'group': '/bench/probe', 'message': 'probe-1'})
        self.assertEqual(out['timestamp'], out['ingestionTime'])
        self.assertLessEqual(abs(out['timestamp'] - now), 1000)
        found = self.logs.filter_log_events(logGroupName='/bench/probe')['events']
        self.assertEqual([e['message'] for e in found], ['probe-1'])
        # Not visible yet: the next read must come before the ingestion time, which a
        # stall of a loaded machine between two requests could pass with 1.5 s.
        late = SIM.ok('POST', 'logs/event', {'group': '/bench/probe', 'message': 'probe-2',
                                             'ingest_delay_ms': 4000})
        self.assertEqual(late['ingestionTime'] - late['timestamp'], 4000)
        self.assertEqual(len(self.logs.filter_log_events(logGroupName='/bench/probe')['events']), 1)
        time.sleep(max(0, late['ingestionTime'] / 1000 - time.time()) + 0.1)
        found = self.logs.filter_log_events(logGroupName='/bench/probe')['events']
        self.assertEqual([e['message'] for e in found], ['probe-1', 'probe-2'])

    def test_pause_leaves_nothing_after_it(self):
        """Traffic is made a second at a time: a pause must drop the current second's later
        invocations, or a test's line written after pausing is not the newest (console_access.sh)."""
        group = '/aws/lambda/submit-feedback'
        self.logs.filter_log_events(logGroupName=group, limit=1)  # traffic starts for readers
        made = SIM.ok('POST', 'traffic', {'rate': 1000})['generated_until']
        try:
            # The next second is made at the new rate when a reader first asks in it.
            for _ in range(400):
                self.logs.filter_log_events(logGroupName=group, limit=1)
                if SIM.ok('POST', 'traffic', {})['generated_until'] > made:
                    break
            SIM.ok('POST', 'traffic', {'paused': True})
            mark = SIM.ok('POST', 'logs/event', {'group': group, 'message': 'after-pause'})
            start = mark['timestamp'] - 10000
            events, _ = self.filter_all(logGroupName=group, startTime=start)
            self.assertGreater(len(events), 1, 'traffic made no lines in 10 s')
            newest = max(events, key=lambda e: (e['timestamp'], e['message'] == 'after-pause'))
            self.assertEqual(newest['message'], 'after-pause')
        finally:
            SIM.ok('POST', 'traffic', {'paused': False, 'rate': 2})


if __name__ == '__main__':
    unittest.main()

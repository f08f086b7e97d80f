"""The feedback application's resources: names, ids, configuration and tags.

Everything here is fixed (derived from util.SEED), so ids such as the REST API id are
the same on every run; ARNs are built for the region the caller signed for.
"""
import base64
import hashlib

from .util import ACCOUNT, SEED, b36, det_uuid, h64, hex32

TAGS = {'app': 'feedback', 'stage': 'prod'}
# The filler functions belong to another application of the same account.
WORKER_TAGS = {'app': 'workers', 'team': 'data'}
STACK_NAME = 'feedback-stack'
STACK_UUID = det_uuid(SEED, 'stack')
WORKERS_STACK = 'workers-stack'
WORKERS_STACK_UUID = det_uuid(SEED, 'stack', WORKERS_STACK)
# Resources "deployed" at this moment (2026-11-01T09:30:00Z).
DEPLOYED_AT = 1793525400.0

REST_API_ID = b36(h64(SEED, 'restapi'), 10)
REST_ROOT_ID = b36(h64(SEED, 'resource', '/'), 10)
REST_FEEDBACK_ID = b36(h64(SEED, 'resource', '/feedback'), 6)
REST_ITEM_ID = b36(h64(SEED, 'resource', '/feedback/{id}'), 6)
REST_DEPLOYMENT_ID = b36(h64(SEED, 'deployment'), 6)
HTTP_API_ID = b36(h64(SEED, 'httpapi'), 10)
HTTP_DEPLOYMENT_ID = b36(h64(SEED, 'httpdeployment'), 6)
# A WebSocket API outside the feedback stack, listed only once a test asks for
# it (POST /_sim/scenario {"websocket_api": true}): the stack's counts stay.
WS_API_ID = b36(h64(SEED, 'wsapi'), 10)
WS_API = {'enabled': False}
HTTP_ROUTES = [  # (routeId, routeKey, integrationId, function)
    (b36(h64(SEED, 'route', 1), 7), 'POST /feedback', b36(h64(SEED, 'integration', 1), 7), 'submit-feedback'),
    (b36(h64(SEED, 'route', 2), 7), 'GET /health', b36(h64(SEED, 'integration', 2), 7), 'submit-feedback'),
]
FEEDBACK_STREAM_LABEL = '2026-11-01T09:30:12.345'
ESM_UUID = det_uuid(SEED, 'esm', 'export-feedback')


def function_arn(region, name, qualifier=None):
    arn = f'arn:aws:lambda:{region}:{ACCOUNT}:function:{name}'
    return f'{arn}:{qualifier}' if qualifier else arn


def table_arn(region, name):
    return f'arn:aws:dynamodb:{region}:{ACCOUNT}:table/{name}'


def stream_arn(region):
    return f'{table_arn(region, "Feedback")}/stream/{FEEDBACK_STREAM_LABEL}'


def rest_api_arn(region, api_id=REST_API_ID):
    return f'arn:aws:apigateway:{region}::/restapis/{api_id}'


def http_api_arn(region, api_id=HTTP_API_ID):
    return f'arn:aws:apigateway:{region}::/apis/{api_id}'


def log_group_arn(region, name):
    """The logGroupArn form (no trailing ':*')."""
    return f'arn:aws:logs:{region}:{ACCOUNT}:log-group:{name}'


def alarm_arn(region, name):
    return f'arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:{name}'


def stack_id(region, name=STACK_NAME):
    uuid = STACK_UUID if name == STACK_NAME else WORKERS_STACK_UUID
    return f'arn:aws:cloudformation:{region}:{ACCOUNT}:stack/{name}/{uuid}'


def integration_uri(region, function):
    return (f'arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/'
            f'{function_arn(region, function)}/invocations')


def _role_name(logical, stack=STACK_NAME):
    return f'{stack}-{logical}Role-{b36(h64(SEED, "role", logical), 12).upper()}'


def _logical(name):
    return ''.join(part.capitalize() for part in name.split('-')) + 'Function'


class Function:
    def __init__(self, name, runtime, handler, timeout, memory, description, env=None,
                 code_size=None, layers=()):
        self.name = name
        self.runtime = runtime
        self.handler = handler
        self.timeout = timeout
        self.memory = memory
        self.description = description
        self.env = dict(env or {})
        self.code_size = code_size or 1024 + h64(SEED, 'codesize', name) % 40000
        self.logical_id = _logical(name)
        self.role_name = _role_name(self.logical_id.replace('Function', ''),
                                    WORKERS_STACK if name.startswith('worker-') else STACK_NAME)
        digest = hashlib.sha256(f'{SEED}:{name}:code'.encode()).digest()
        self.code_sha256 = base64.b64encode(digest).decode()
        self.revision_id = det_uuid(SEED, 'revision', name)
        self.last_modified = DEPLOYED_AT + h64(SEED, 'modified', name) % 86400
        self.versions = {}   # published version -> same configuration
        self.aliases = {}    # alias -> version
        self.alias_descriptions = {}  # alias -> Description
        self.alias_routing = {}       # alias -> {other version: weight}
        self.layers = list(layers)

    @property
    def tags(self):
        return WORKER_TAGS if self.name.startswith('worker-') else TAGS

    @property
    def stack(self):
        return WORKERS_STACK if self.name.startswith('worker-') else STACK_NAME

    @property
    def role_arn(self):
        return f'arn:aws:iam::{ACCOUNT}:role/{self.role_name}'

    @property
    def log_group(self):
        return CUSTOM_LOG_GROUPS.get(self.name, f'/aws/lambda/{self.name}')


# Functions whose LoggingConfig names a group of their own (Lambda's advanced
# logging controls): `logs FN` must read it, not /aws/lambda/FN.
CUSTOM_LOG_GROUPS = {'worker-42': '/shared/workers/worker-42'}


def _functions(workers=57):
    fns = [
        Function('submit-feedback', 'nodejs20.x', 'index.handler', 10, 256,
                 'Validates feedback posted through the API and stores it',
                 {'TABLE_NAME': 'Feedback'}),
        # A key in the environment, as people do: tiertop must never print or log it.
        Function('spam-filter', 'python3.12', 'app.handler', 3, 128,
                 'Scores a feedback message for spam',
                 {'SCORING_API_KEY': 'simsecret-5e1d9a7c3b04f2a8'}),
        Function('export-feedback', 'python3.12', 'app.handler', 60, 512,
                 'Exports feedback from the table stream and updates daily stats',
                 {'TABLE_NAME': 'Feedback', 'STATS_TABLE': 'FeedbackStats'}),
    ]
    fns[0].versions['1'] = True
    fns[0].aliases['live'] = '1'
    fns[0].alias_descriptions['live'] = 'What the API calls'
    for i in range(1, workers + 1):
        runtime = 'python3.12' if i % 3 else 'nodejs20.x'
        handler = 'app.handler' if runtime.startswith('python') else 'index.handler'
        fns.append(Function(f'worker-{i:02d}', runtime, handler, 30, 128 * (1 + i % 4),
                            f'Background worker {i}', {'QUEUE_INDEX': str(i)}))
    # A long history: its versions and aliases take two pages of 50 each.
    if workers >= 1:
        worker = fns[3]
        for v in range(1, 56):
            worker.versions[str(v)] = True
        for i in range(1, 52):
            worker.aliases[f'release-{i:02d}'] = str(i + 4)
        worker.alias_routing['release-51'] = {'54': 0.1}
    return fns


FUNCTIONS = _functions()
FUNCTIONS_BY_NAME = {f.name: f for f in FUNCTIONS}
DEFAULT_FUNCTIONS = len(FUNCTIONS)


def set_function_count(count):
    """Grow (or shrink back) the workers so that the account holds `count` functions
    (benchmarks: POST /_sim/scenario {"functions": 1000}). The lists are changed in place
    because the services read them through this module."""
    fns = _functions(count - 3)
    FUNCTIONS[:] = fns
    FUNCTIONS_BY_NAME.clear()
    FUNCTIONS_BY_NAME.update((f.name, f) for f in fns)
APP_FUNCTIONS = ('submit-feedback', 'spam-filter', 'export-feedback')

RUNTIME_VERSIONS = {
    'nodejs20.x': ('nodejs:20.v49', 'c9fd6dd0a1ce6e1ad7e4a58dc3b4bd12a64b23b4fd2d4e92d5c0f4b1e5b7a9d1'),
    'python3.12': ('python:3.12.v71', '4a7c2e5c1f0a1bd9e5ce4c5b41a2d8d81b3c3b0bd6a9ef1a0c7f2d6b5e8a3c4f'),
}


def runtime_version_arn(region, runtime):
    label, digest = RUNTIME_VERSIONS[runtime]
    return f'arn:aws:lambda:{region}::runtime:{digest}'


def runtime_label(runtime):
    return RUNTIME_VERSIONS[runtime][0]


# Log groups the application starts with (others appear when a function first runs).
LAMBDA_LOG_GROUPS = [f'/aws/lambda/{name}' for name in APP_FUNCTIONS]
API_LOG_GROUP = f'API-Gateway-Execution-Logs_{REST_API_ID}/prod'
# The prod stage's access log (a group its owner chose; the $default stage of the HTTP API
# has none, as a stage often does), in a JSON format whose fields are strings as API Gateway
# writes them: "$context.status" and the like are substituted inside the quotes.
ACCESS_LOG_GROUP = '/aws/apigateway/feedback-api-access'
ACCESS_LOG_FORMAT = ('{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",'
                     '"requestTime":"$context.requestTime","httpMethod":"$context.httpMethod",'
                     '"resourcePath":"$context.resourcePath","path":"$context.path",'
                     '"status":"$context.status","protocol":"$context.protocol",'
                     '"responseLength":"$context.responseLength",'
                     '"responseLatency":"$context.responseLatency",'
                     '"integrationLatency":"$context.integration.latency",'
                     '"integrationStatus":"$context.integration.status",'
                     '"integrationRequestId":"$context.integration.requestId"}')

ALARMS = [
    # name, namespace, metric, dims, stat, period, evaluation periods, datapoints, threshold, op, missing
    dict(name='submit-feedback-errors', namespace='AWS/Lambda', metric='Errors',
         dims=[('FunctionName', 'submit-feedback')], stat='Sum', period=60, evaluation_periods=1,
         datapoints=1, threshold=5.0, op='GreaterThanThreshold', missing='notBreaching',
         description='submit-feedback raised more than 5 errors in a minute'),
    dict(name='feedback-api-5xx', namespace='AWS/ApiGateway', metric='5XXError',
         dims=[('ApiName', 'feedback-api'), ('Stage', 'prod')], stat='Sum', period=60,
         evaluation_periods=3, datapoints=2, threshold=3.0, op='GreaterThanOrEqualToThreshold',
         missing='notBreaching', description='feedback-api answers 5XX'),
    dict(name='Feedback-throttles', namespace='AWS/DynamoDB', metric='WriteThrottleEvents',
         dims=[('TableName', 'Feedback')], stat='Sum', period=60, evaluation_periods=1,
         datapoints=1, threshold=0.0, op='GreaterThanThreshold', missing='notBreaching',
         description='Writes to the Feedback table are being throttled'),
    dict(name='export-feedback-duration-p99', namespace='AWS/Lambda', metric='Duration',
         dims=[('FunctionName', 'export-feedback')], extended='p99', period=300,
         evaluation_periods=1, datapoints=1, threshold=50000.0, op='GreaterThanThreshold',
         missing='missing', description='export-feedback close to its 60 s timeout'),
]
COMPOSITE_ALARMS = [
    dict(name='feedback-app-health',
         rule='ALARM("submit-feedback-errors") OR ALARM("feedback-api-5xx")',
         description='The feedback application is failing requests'),
]
SNS_TOPIC = 'feedback-alerts'


def sns_topic_arn(region):
    return f'arn:aws:sns:{region}:{ACCOUNT}:{SNS_TOPIC}'


STACKS = (STACK_NAME, WORKERS_STACK)


def stack_resources(region, stack=STACK_NAME):
    """(LogicalResourceId, PhysicalResourceId, ResourceType) of a stack, in template order."""
    out = []
    for fn in FUNCTIONS:
        if fn.stack == stack:
            out.append((fn.logical_id.replace('Function', 'Role'), fn.role_name, 'AWS::IAM::Role'))
            out.append((fn.logical_id, fn.name, 'AWS::Lambda::Function'))
    if stack == WORKERS_STACK:
        out.append(('WorkQueue', f'https://sqs.{region}.amazonaws.com/{ACCOUNT}/work-queue',
                    'AWS::SQS::Queue'))
        out.append(('WorkerAlertsTopic', f'arn:aws:sns:{region}:{ACCOUNT}:worker-alerts',
                    'AWS::SNS::Topic'))
        return out
    sub = FUNCTIONS_BY_NAME['submit-feedback']
    out += [
        ('SubmitFeedbackVersion1', function_arn(region, sub.name, '1'), 'AWS::Lambda::Version'),
        ('SubmitFeedbackAliaslive', function_arn(region, sub.name, 'live'), 'AWS::Lambda::Alias'),
        ('FeedbackTable', 'Feedback', 'AWS::DynamoDB::Table'),
        ('FeedbackStatsTable', 'FeedbackStats', 'AWS::DynamoDB::Table'),
        ('ExportFeedbackStreamMapping', ESM_UUID, 'AWS::Lambda::EventSourceMapping'),
        ('FeedbackApi', REST_API_ID, 'AWS::ApiGateway::RestApi'),
        ('FeedbackResource', REST_FEEDBACK_ID, 'AWS::ApiGateway::Resource'),
        ('FeedbackItemResource', REST_ITEM_ID, 'AWS::ApiGateway::Resource'),
        ('FeedbackPostMethod', f'{REST_API_ID}|{REST_FEEDBACK_ID}|POST', 'AWS::ApiGateway::Method'),
        ('FeedbackGetMethod', f'{REST_API_ID}|{REST_ITEM_ID}|GET', 'AWS::ApiGateway::Method'),
        ('FeedbackApiDeployment', REST_DEPLOYMENT_ID, 'AWS::ApiGateway::Deployment'),
        ('FeedbackApiProdStage', 'prod', 'AWS::ApiGateway::Stage'),
        ('SubmitFeedbackApiPermission',
         f'{STACK_NAME}-SubmitFeedbackApiPermission-{b36(h64(SEED, "perm", 1), 12).upper()}',
         'AWS::Lambda::Permission'),
        ('FeedbackHttpApi', HTTP_API_ID, 'AWS::ApiGatewayV2::Api'),
        ('FeedbackHttpApiDefaultStage', '$default', 'AWS::ApiGatewayV2::Stage'),
    ]
    for i, (route_id, key, integration_id, _) in enumerate(HTTP_ROUTES, 1):
        out.append((f'FeedbackHttpRoute{i}', route_id, 'AWS::ApiGatewayV2::Route'))
        out.append((f'FeedbackHttpIntegration{i}', integration_id, 'AWS::ApiGatewayV2::Integration'))
    out.append(('SubmitFeedbackHttpPermission',
                f'{STACK_NAME}-SubmitFeedbackHttpPermission-{b36(h64(SEED, "perm", 2), 12).upper()}',
                'AWS::Lambda::Permission'))
    for name in APP_FUNCTIONS:
        out.append((_logical(name).replace('Function', 'LogGroup'), f'/aws/lambda/{name}',
                    'AWS::Logs::LogGroup'))
    for alarm in ALARMS + COMPOSITE_ALARMS:
        logical = ''.join(p.capitalize() for p in alarm['name'].replace('_', '-').split('-')) + 'Alarm'
        kind = 'AWS::CloudWatch::CompositeAlarm' if 'rule' in alarm else 'AWS::CloudWatch::Alarm'
        out.append((logical, alarm['name'], kind))
    out.append(('AlertsTopic', sns_topic_arn(region), 'AWS::SNS::Topic'))
    return out


def tagged_resources(region, log_groups):
    """(ARN, tags) of every tagged resource, as the Resource Groups Tagging API lists them."""
    out = []
    for fn in FUNCTIONS:
        out.append((function_arn(region, fn.name), fn.tags))
    out.append((table_arn(region, 'Feedback'), TAGS))
    out.append((table_arn(region, 'FeedbackStats'), TAGS))
    out.append((rest_api_arn(region), TAGS))
    out.append((f'{rest_api_arn(region)}/stages/prod', TAGS))
    out.append((http_api_arn(region), TAGS))
    out.append((f'{http_api_arn(region)}/stages/$default', TAGS))
    for name in log_groups:
        out.append((log_group_arn(region, name), TAGS))
    for alarm in ALARMS + COMPOSITE_ALARMS:
        out.append((alarm_arn(region, alarm['name']), TAGS))
    out.append((sns_topic_arn(region), TAGS))
    out.append((stack_id(region), TAGS))
    return out


def hex_id(*parts):
    return hex32(*parts)

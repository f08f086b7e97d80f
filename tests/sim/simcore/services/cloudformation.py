"""CloudFormation (awsQuery only, XML; signing name `cloudformation`): ListStackResources
(NextToken, 100 per page), DescribeStackResources (at most 100, by StackName or
PhysicalResourceId), DescribeStacks, for the stacks `feedback-stack` (the application)
and `workers-stack` (the 57 filler functions, 116 resources); ListStacks (StackStatusFilter,
NextToken, two summaries per page so that clients must follow the pages), which also lists a
deleted stack and a nested one (ParentId, RootId) that a client looking for applications skips.

ListStackResources also knows `platform-stack`, whose resources are nested stacks: the
feedback application as an `AWS::CloudFormation::Stack` (its physical id is the nested
stack's ARN, as in AWS) and `tools-stack` as a SAM application (`AWS::Serverless::Application`),
which holds worker-01 and, so that clients must guard against loops (CloudFormation itself
cannot make one), platform-stack again."""
from ..feedback import resources as res
from ..feedback.util import ACCOUNT, SEED, decode_token, det_uuid, encode_token, h64, region_of
from ..protocols import QUERY
from .querykit import Stamp, query_response, unflatten

SERVICE = 'cloudformation'
PROTOCOL = QUERY
XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/'
API_VERSION = '2010-05-15'
PAGE = 100
DESCRIBE_MAX = 100


class _Fail(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _validation(message):
    return _Fail('ValidationError', message)


def action_of(req):
    return req.form().get('Action')


def handle(sim, req, reply, action, identity):
    params = req.form()
    try:
        if not action:
            raise _Fail('MissingAction', 'Missing Action')
        op = _OPERATIONS.get(action)
        if op is None:
            raise _Fail('InvalidAction', f'Could not find operation {action} for version {API_VERSION}')
        return query_response(action, op(params, region_of(req)), req.request_id, XMLNS)
    except _Fail as fail:
        return reply.error(fail.status, fail.code, fail.message)


PLATFORM_STACK = 'platform-stack'
TOOLS_STACK = 'tools-stack'
NESTING_STACKS = (PLATFORM_STACK, TOOLS_STACK)


def _nesting_id(region, name):
    return f'arn:aws:cloudformation:{region}:{ACCOUNT}:stack/{name}/{det_uuid(SEED, "stack", name)}'


def _nesting_resources(region, stack):
    if stack == PLATFORM_STACK:
        return [('FeedbackApp', res.stack_id(region), 'AWS::CloudFormation::Stack'),
                ('Tools', _nesting_id(region, TOOLS_STACK), 'AWS::Serverless::Application'),
                ('AlertsTopic', f'arn:aws:sns:{region}:{ACCOUNT}:platform-alerts', 'AWS::SNS::Topic')]
    return [('Worker', 'worker-01', 'AWS::Lambda::Function'),
            ('Platform', _nesting_id(region, PLATFORM_STACK), 'AWS::CloudFormation::Stack')]


def _listed_stack(name, region):
    """(stack name, rows) for ListStackResources, nesting stacks included."""
    for stack in NESTING_STACKS:
        if name in (stack, _nesting_id(region, stack)):
            return stack, _nesting_resources(region, stack)
    stack = _stack(name, region)
    return stack, res.stack_resources(region, stack)


def _stack(name, region):
    """The stack's name, given its name or its stack id."""
    for stack in res.STACKS:
        if name in (stack, res.stack_id(region, stack)):
            return stack
    raise _validation(f'Stack with id {name} does not exist')


def _when(logical):
    """Deterministic creation time of one resource, during the stack's deployment."""
    return Stamp(res.DEPLOYED_AT + 5 + h64('cfn', logical) % 170 + (h64('cfn-ms', logical) % 1000) / 1000)


def _list_stack_resources(params, region):
    name = params.get('StackName')
    if not name:
        raise _validation('1 validation error detected: Value null at \'stackName\' failed to '
                          'satisfy constraint: Member must not be null')
    stack, rows = _listed_stack(name, region)
    start = 0
    if params.get('NextToken'):
        state = decode_token(params['NextToken'], 'cfn-list')
        if state is None or state.get('s') != stack:
            raise _validation('Invalid NextToken')
        start = state['i']
    page = rows[start:start + PAGE]
    out = {'StackResourceSummaries': [{
        'LogicalResourceId': logical, 'PhysicalResourceId': physical, 'ResourceType': kind,
        'LastUpdatedTimestamp': _when(logical), 'ResourceStatus': 'CREATE_COMPLETE',
        'DriftInformation': {'StackResourceDriftStatus': 'NOT_CHECKED'},
    } for logical, physical, kind in page]}
    if start + PAGE < len(rows):
        out['NextToken'] = encode_token({'k': 'cfn-list', 's': stack, 'i': start + PAGE})
    return out


def _describe_stack_resources(params, region):
    name = params.get('StackName')
    physical_id = params.get('PhysicalResourceId')
    logical_id = params.get('LogicalResourceId')
    if name and physical_id:
        raise _validation('Stack name and physical resource id cannot both be specified')
    if not name and not physical_id:
        raise _validation('At least one of stack name or physical resource id must be specified')
    if name:
        stack = _stack(name, region)
        rows = res.stack_resources(region, stack)
    else:
        stack = next((s for s in res.STACKS
                      if any(p == physical_id for _, p, _ in res.stack_resources(region, s))), None)
        if stack is None:
            raise _validation(f'Stack for {physical_id} does not exist')
        rows = res.stack_resources(region, stack)
        if not logical_id:
            rows = [r for r in rows if r[1] == physical_id]
    if logical_id:
        rows = [r for r in rows if r[0] == logical_id]
    rows = rows[:DESCRIBE_MAX]
    return {'StackResources': [{
        'StackName': stack, 'StackId': res.stack_id(region, stack),
        'LogicalResourceId': logical, 'PhysicalResourceId': physical, 'ResourceType': kind,
        'Timestamp': _when(logical), 'ResourceStatus': 'CREATE_COMPLETE',
        'DriftInformation': {'StackResourceDriftStatus': 'NOT_CHECKED'},
    } for logical, physical, kind in rows]}


def _describe_stacks(params, region):
    name = params.get('StackName')
    stacks = [_stack(name, region)] if name else list(res.STACKS)
    return {'Stacks': [_stack_json(stack, region) for stack in stacks]}


def _stack_json(stack, region):
    if stack == res.WORKERS_STACK:
        return {
            'StackId': res.stack_id(region, stack),
            'StackName': stack,
            'Description': 'Background workers',
            'CreationTime': Stamp(res.DEPLOYED_AT - 86400 * 20),
            'RollbackConfiguration': {},
            'StackStatus': 'CREATE_COMPLETE',
            'DisableRollback': False,
            'NotificationARNs': [],
            'Capabilities': ['CAPABILITY_IAM'],
            'Tags': [{'Key': k, 'Value': v} for k, v in res.WORKER_TAGS.items()],
            'EnableTerminationProtection': False,
            'DriftInformation': {'StackDriftStatus': 'NOT_CHECKED'},
        }
    return {
        'StackId': res.stack_id(region),
        'StackName': res.STACK_NAME,
        'Description': 'Feedback application (API Gateway, Lambda, DynamoDB)',
        'CreationTime': Stamp(res.DEPLOYED_AT),
        'LastUpdatedTime': Stamp(res.DEPLOYED_AT + 180),
        'RollbackConfiguration': {},
        'StackStatus': 'UPDATE_COMPLETE',
        'DisableRollback': False,
        'NotificationARNs': [],
        'Capabilities': ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'],
        'Outputs': [
            {'OutputKey': 'ApiUrl', 'OutputValue':
                f'https://{res.REST_API_ID}.execute-api.{region}.amazonaws.com/prod/',
             'Description': 'REST API endpoint'},
            {'OutputKey': 'HttpApiUrl', 'OutputValue':
                f'https://{res.HTTP_API_ID}.execute-api.{region}.amazonaws.com/'},
        ],
        'Tags': [{'Key': k, 'Value': v} for k, v in res.TAGS.items()],
        'EnableTerminationProtection': False,
        'DriftInformation': {'StackDriftStatus': 'NOT_CHECKED'},
    }


LIST_PAGE = 2
OLD_STACK = 'feedback-stack-old'
NESTED_STACK = 'feedback-stack-AlarmsStack-1QX2W3E4R5T6'


def _summaries(region):
    """Every stack summary ListStacks knows: the two applications, a stack nested in the
    feedback stack and one deleted a day before the deployment."""
    app, workers = res.stack_id(region), res.stack_id(region, res.WORKERS_STACK)
    return [
        {'StackId': app, 'StackName': res.STACK_NAME, 'CreationTime': Stamp(res.DEPLOYED_AT),
         'LastUpdatedTime': Stamp(res.DEPLOYED_AT + 180), 'StackStatus': 'UPDATE_COMPLETE',
         'TemplateDescription': 'Feedback application (API Gateway, Lambda, DynamoDB)',
         'DriftInformation': {'StackDriftStatus': 'NOT_CHECKED'}},
        {'StackId': _nesting_id(region, NESTED_STACK), 'StackName': NESTED_STACK,
         'CreationTime': Stamp(res.DEPLOYED_AT + 60), 'StackStatus': 'CREATE_COMPLETE',
         'ParentId': app, 'RootId': app, 'DriftInformation': {'StackDriftStatus': 'NOT_CHECKED'}},
        {'StackId': _nesting_id(region, OLD_STACK), 'StackName': OLD_STACK,
         'CreationTime': Stamp(res.DEPLOYED_AT - 86400 * 40), 'DeletionTime': Stamp(res.DEPLOYED_AT - 86400),
         'StackStatus': 'DELETE_COMPLETE', 'DriftInformation': {'StackDriftStatus': 'NOT_CHECKED'}},
        {'StackId': workers, 'StackName': res.WORKERS_STACK, 'CreationTime': Stamp(res.DEPLOYED_AT - 86400 * 20),
         'StackStatus': 'CREATE_COMPLETE', 'TemplateDescription': 'Background workers',
         'DriftInformation': {'StackDriftStatus': 'NOT_CHECKED'}},
    ]


def _list_stacks(params, region):
    wanted = unflatten(params).get('StackStatusFilter') or []
    if not isinstance(wanted, list):
        raise _validation('StackStatusFilter must be a list')
    rows = [s for s in _summaries(region) if not wanted or s['StackStatus'] in wanted]
    start = 0
    if params.get('NextToken'):
        state = decode_token(params['NextToken'], 'cfn-stacks')
        if state is None or state.get('f') != sorted(wanted):
            raise _validation('Invalid NextToken')
        start = state['i']
    out = {'StackSummaries': rows[start:start + LIST_PAGE]}
    if start + LIST_PAGE < len(rows):
        out['NextToken'] = encode_token({'k': 'cfn-stacks', 'f': sorted(wanted), 'i': start + LIST_PAGE})
    return out


_OPERATIONS = {
    'ListStacks': _list_stacks,
    'ListStackResources': _list_stack_resources,
    'DescribeStackResources': _describe_stack_resources,
    'DescribeStacks': _describe_stacks,
}

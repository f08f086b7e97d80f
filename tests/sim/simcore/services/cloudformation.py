"""CloudFormation (awsQuery only, XML; signing name `cloudformation`): ListStackResources
(NextToken, 100 per page), DescribeStackResources (at most 100, by StackName or
PhysicalResourceId), DescribeStacks, for the stacks `feedback-stack` (the application)
and `workers-stack` (the 57 filler functions, 116 resources)."""
from ..feedback import resources as res
from ..feedback.util import decode_token, encode_token, h64, region_of
from ..protocols import QUERY
from .querykit import Stamp, query_response

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
    stack = _stack(name, region)
    rows = res.stack_resources(region, stack)
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


_OPERATIONS = {
    'ListStackResources': _list_stack_resources,
    'DescribeStackResources': _describe_stack_resources,
    'DescribeStacks': _describe_stacks,
}

"""Resource Groups Tagging API (awsJson1_1, X-Amz-Target
ResourceGroupsTaggingAPI_20170126.GetResources and .GetTagValues, signing name `tagging`).

Lists every tagged resource of the feedback application (resources CloudFormation made
also carry the aws:cloudformation:* tags). The last page's PaginationToken is "".
GetTagValues lists the values of one key over the same resources, sorted, TAG_VALUES_PAGE
per page (small, so that clients must follow the pages).
"""
from ..feedback import resources as res
from ..feedback.util import decode_token, encode_token, region_of
from ..protocols import JSON

SERVICE = 'tagging'
PROTOCOL = JSON
TARGET = 'ResourceGroupsTaggingAPI_20170126'
DEFAULT_PER_PAGE = 50
TAG_VALUES_PAGE = 1
MAX_PER_PAGE = 100


class _Fail(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def throttle_error(action):
    return 400, 'ThrottledException', 'Rate exceeded'


def action_of(req):
    prefix, _, op = (req.header('X-Amz-Target') or '').partition('.')
    return op if prefix == TARGET and op else None


def handle(sim, req, reply, action, identity):
    try:
        if action not in ('GetResources', 'GetTagValues'):
            raise _Fail('UnknownOperationException', '')
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            raise _Fail('SerializationException', 'Unable to parse the request body') from None
        if action == 'GetTagValues':
            return reply.json(_get_tag_values(sim, body, region_of(req)))
        return reply.json(_get_resources(sim, body, region_of(req)))
    except _Fail as fail:
        return reply.error(fail.status, fail.code, fail.message)


def _resource_type(arn):
    """(service, resource type) of an ARN, as ResourceTypeFilters name them."""
    parts = arn.split(':', 5)
    service, rest = parts[2], parts[5]
    if service == 'apigateway':
        segments = rest.strip('/').split('/')
        kind = segments[0]
        if len(segments) >= 4:
            kind += '/' + segments[2]
        return service, kind
    if service == 'sns':
        return service, 'topic'
    for sep in ('/', ':'):
        if sep in rest:
            return service, rest.split(sep, 1)[0]
    return service, rest


def _inventory(sim, region):
    logical = {}
    for stack in res.STACKS:
        for logical_id, physical, kind in res.stack_resources(region, stack):
            logical[(kind, physical)] = (stack, logical_id)
    kinds = {'lambda': 'AWS::Lambda::Function', 'dynamodb': 'AWS::DynamoDB::Table',
             'logs': 'AWS::Logs::LogGroup', 'cloudwatch': None, 'sns': 'AWS::SNS::Topic'}
    groups = [name for name, group in sorted(sim.app.logs.groups.items()) if group.tags]
    out = []
    for arn, tags in res.tagged_resources(region, groups):
        tags = dict(tags)
        service, kind = _resource_type(arn)
        physical = None
        if service == 'lambda':
            physical = arn.rsplit(':', 1)[1]
        elif service == 'dynamodb':
            physical = arn.rsplit('/', 1)[1]
        elif service == 'logs':
            physical = arn.split(':log-group:', 1)[1]
        elif service == 'cloudwatch':
            physical = arn.rsplit(':', 1)[1]
        elif service == 'sns':
            physical = arn
        elif service == 'apigateway':
            physical = arn.rstrip('/').split('/')[2] if kind in ('restapis', 'apis') else None
        lookup = None
        if service == 'cloudwatch':
            lookup = next((lid for (k, p), lid in logical.items()
                           if p == physical and k.startswith('AWS::CloudWatch::')), None)
        elif service == 'apigateway' and physical:
            wanted = 'AWS::ApiGateway::RestApi' if kind == 'restapis' else 'AWS::ApiGatewayV2::Api'
            lookup = logical.get((wanted, physical))
        elif kinds.get(service):
            lookup = logical.get((kinds[service], physical))
        if lookup:
            stack, logical_id = lookup
            tags.update({'aws:cloudformation:stack-name': stack,
                         'aws:cloudformation:logical-id': logical_id,
                         'aws:cloudformation:stack-id': res.stack_id(region, stack)})
        out.append((arn, tags))
    return out


def _get_resources(sim, body, region):
    per_page = body.get('ResourcesPerPage', DEFAULT_PER_PAGE)
    if isinstance(per_page, bool) or not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        raise _Fail('InvalidParameterException', 'ResourcesPerPage must be between 1 and 100.')
    tags_per_page = body.get('TagsPerPage')
    if tags_per_page is not None and (not isinstance(tags_per_page, int) or not 100 <= tags_per_page <= 500):
        raise _Fail('InvalidParameterException', 'TagsPerPage must be between 100 and 500.')
    filters = body.get('TagFilters') or []
    if not isinstance(filters, list) or len(filters) > 50:
        raise _Fail('InvalidParameterException', 'TagFilters must be a list of at most 50 filters.')
    types = body.get('ResourceTypeFilters')
    arns = body.get('ResourceARNList')
    if types and arns:
        raise _Fail('InvalidParameterException',
                    'ResourceTypeFilters and ResourceARNList cannot be used together.')
    if types is not None and (not isinstance(types, list) or len(types) > 100):
        raise _Fail('InvalidParameterException', 'ResourceTypeFilters must hold at most 100 types.')
    items = _inventory(sim, region)
    for f in filters:
        if not isinstance(f, dict) or not f.get('Key'):
            raise _Fail('InvalidParameterException', 'A tag filter needs a Key.')
        values = f.get('Values') or []
        items = [(arn, tags) for arn, tags in items
                 if f['Key'] in tags and (not values or tags[f['Key']] in values)]
    if types:
        def wanted(arn):
            service, kind = _resource_type(arn)
            return any(t == service or t == f'{service}:{kind}' for t in types)
        items = [(arn, tags) for arn, tags in items if wanted(arn)]
    if arns:
        items = [(arn, tags) for arn, tags in items if arn in set(arns)]
    token = body.get('PaginationToken')
    start = 0
    if token:
        state = decode_token(token, 'tagging')
        if state is None:
            raise _Fail('InvalidParameterException', 'The specified pagination token is not valid.')
        start = state['i']
    page = items[start:start + per_page]
    more = start + per_page < len(items)
    return {
        'PaginationToken': encode_token({'k': 'tagging', 'i': start + per_page}) if more else '',
        'ResourceTagMappingList': [{'ResourceARN': arn, 'Tags': [{'Key': k, 'Value': v}
                                                                 for k, v in tags.items()]}
                                   for arn, tags in page],
    }


def _get_tag_values(sim, body, region):
    key = body.get('Key')
    if not isinstance(key, str) or not key:
        raise _Fail('InvalidParameterException', 'Key is required.')
    values = sorted({tags[key] for _, tags in _inventory(sim, region) if key in tags})
    token = body.get('PaginationToken')
    start = 0
    if token:
        state = decode_token(token, 'tagvalues')
        if state is None or state.get('key') != key:
            raise _Fail('InvalidParameterException', 'The specified pagination token is not valid.')
        start = state['i']
    more = start + TAG_VALUES_PAGE < len(values)
    return {
        'PaginationToken': encode_token({'k': 'tagvalues', 'key': key, 'i': start + TAG_VALUES_PAGE}) if more else '',
        'TagValues': values[start:start + TAG_VALUES_PAGE],
    }

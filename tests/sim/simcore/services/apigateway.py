"""API Gateway (restJson1, signing name `apigateway`), REST APIs (v1) and HTTP APIs (v2):

v1: GetRestApis, GetRestApi, GetStages, GetStage, GetResources (embed=methods), GetTags
    - lists under "item", paginated with position/limit; timestamps in epoch seconds.
v2: GetApis, GetApi, GetStages, GetRoutes, GetIntegrations - lists under "items",
    paginated with nextToken/maxResults (a string); timestamps in ISO 8601.
"""
import json
from urllib.parse import parse_qsl, unquote

from ..feedback import resources as res
from ..feedback.util import ACCOUNT, decode_token, encode_token, region_of
from ..protocols import REST_JSON
from ..wire import Response
from .querykit import iso

SERVICE = 'apigateway'
PROTOCOL = REST_JSON

V1_DEFAULT_LIMIT = 25
V1_MAX_LIMIT = 500
CORAL = ':http://internal.amazon.com/coral/com.amazon.coral.service/'
_AUTH_CODES = ('UnrecognizedClientException', 'InvalidSignatureException',
               'IncompleteSignatureException', 'MissingAuthenticationTokenException',
               'ExpiredTokenException')


class _Fail(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def shape_error(reply, status, code, message, headers):
    header = code + CORAL if code in _AUTH_CODES else code
    return Response(status, json.dumps({'message': message}).encode(), 'application/json',
                    headers + [('x-amzn-ErrorType', header)])


def throttle_error(action):
    return 429, 'TooManyRequestsException', 'Too Many Requests'


def _parts(req):
    return [unquote(p) for p in req.path.split('/') if p]


def action_of(req):
    if req.method != 'GET':
        return None
    p = _parts(req)
    if p and p[0] == 'v2':
        p = p[1:]
        if p == ['apis']:
            return 'GetApis'
        if len(p) == 2 and p[0] == 'apis':
            return 'GetApi'
        if len(p) == 3 and p[0] == 'apis':
            return {'stages': 'GetStages', 'routes': 'GetRoutes',
                    'integrations': 'GetIntegrations'}.get(p[2])
        return None
    if p == ['restapis']:
        return 'GetRestApis'
    if len(p) == 2 and p[0] == 'restapis':
        return 'GetRestApi'
    if len(p) == 3 and p[0] == 'restapis':
        return {'stages': 'GetStages', 'resources': 'GetResources'}.get(p[2])
    if len(p) == 4 and p[0] == 'restapis' and p[2] == 'stages':
        return 'GetStage'
    if len(p) >= 2 and p[0] == 'tags':
        return 'GetTags'
    return None


def handle(sim, req, reply, action, identity):
    region = region_of(req)
    try:
        v2 = req.path.startswith('/v2/')
        op = (_V2_OPERATIONS if v2 else _OPERATIONS).get(action)
        if op is None:
            raise _Fail(404, 'NotFoundException', 'Invalid request path')
        out = op(req, _parts(req), _query(req), region)
        return Response(200, json.dumps(out).encode(), 'application/json', [])
    except _Fail as fail:
        return reply.error(fail.status, fail.code, fail.message)


def _query(req):
    pairs = parse_qsl(req.query, keep_blank_values=True)
    out = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def _one(q, name):
    values = q.get(name)
    return values[-1] if values else None


def _bad(message):
    return _Fail(400, 'BadRequestException', message)


# ---------------------------------------------------------------- v1

def _rest_api(region):
    return {
        'id': res.REST_API_ID,
        'name': 'feedback-api',
        'description': 'Feedback submission API',
        'createdDate': int(res.DEPLOYED_AT + 40),
        'apiKeySource': 'HEADER',
        'endpointConfiguration': {'types': ['REGIONAL'], 'ipAddressType': 'ipv4'},
        'tags': dict(res.TAGS, **{'aws:cloudformation:stack-name': res.STACK_NAME,
                                  'aws:cloudformation:logical-id': 'FeedbackApi',
                                  'aws:cloudformation:stack-id': res.stack_id(region)}),
        'disableExecuteApiEndpoint': False,
        'rootResourceId': res.REST_ROOT_ID,
    }


def _check_rest_api(api_id):
    if api_id != res.REST_API_ID:
        raise _Fail(404, 'NotFoundException', f'Invalid API identifier specified {ACCOUNT}:{api_id}')


def _v1_page(items, q):
    raw = _one(q, 'limit')
    limit = V1_DEFAULT_LIMIT
    if raw is not None:
        try:
            limit = int(raw)
        except ValueError:
            raise _bad(f"1 validation error detected: Value '{raw}' at 'limit' failed to satisfy "
                       'constraint: Member must be an integer') from None
        if not 1 <= limit <= V1_MAX_LIMIT:
            raise _bad(f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
                       f'constraint: Member must have value {"greater than or equal to 1" if limit < 1 else "less than or equal to 500"}')
    start = 0
    position = _one(q, 'position')
    if position:
        state = decode_token(position, 'apigw-pos')
        if state is None:
            raise _bad('Invalid position parameter')
        start = state['i']
    out = {'item': items[start:start + limit]}
    if start + limit < len(items):
        out['position'] = encode_token({'k': 'apigw-pos', 'i': start + limit})
    return out


def _get_rest_apis(req, parts, q, region):
    return _v1_page([_rest_api(region)], q)


def _get_rest_api(req, parts, q, region):
    _check_rest_api(parts[1])
    return _rest_api(region)


def _stage_v1(region):
    return {
        'deploymentId': res.REST_DEPLOYMENT_ID,
        'stageName': 'prod',
        'description': 'Production',
        'cacheClusterEnabled': False,
        'cacheClusterStatus': 'NOT_AVAILABLE',
        'methodSettings': {'*/*': {
            'metricsEnabled': True, 'loggingLevel': 'INFO', 'dataTraceEnabled': False,
            'throttlingBurstLimit': 500, 'throttlingRateLimit': 1000.0, 'cachingEnabled': False,
            'cacheTtlInSeconds': 300, 'cacheDataEncrypted': False,
            'requireAuthorizationForCacheControl': True,
            'unauthorizedCacheControlHeaderStrategy': 'SUCCEED_WITH_RESPONSE_HEADER'}},
        'tracingEnabled': False,
        'accessLogSettings': {'destinationArn': res.log_group_arn(region, res.ACCESS_LOG_GROUP),
                              'format': res.ACCESS_LOG_FORMAT},
        'tags': dict(res.TAGS),
        'createdDate': int(res.DEPLOYED_AT + 60),
        'lastUpdatedDate': int(res.DEPLOYED_AT + 61),
    }


def _get_stages(req, parts, q, region):
    _check_rest_api(parts[1])
    deployment = _one(q, 'deploymentId')
    stages = [_stage_v1(region)]
    if deployment is not None:
        stages = [s for s in stages if s['deploymentId'] == deployment]
    return {'item': stages}


def _get_stage(req, parts, q, region):
    _check_rest_api(parts[1])
    if parts[3] != 'prod':
        raise _Fail(404, 'NotFoundException', 'Invalid stage identifier specified')
    return _stage_v1(region)


def _method(region, verb, resource_id, embed):
    if not embed:
        return {}
    return {
        'httpMethod': verb,
        'authorizationType': 'NONE',
        'apiKeyRequired': False,
        'requestParameters': {'method.request.path.id': True} if verb == 'GET' else {},
        'methodIntegration': {
            'type': 'AWS_PROXY',
            'httpMethod': 'POST',
            'uri': res.integration_uri(region, 'submit-feedback'),
            'passthroughBehavior': 'WHEN_NO_MATCH',
            'contentHandling': 'CONVERT_TO_TEXT',
            'timeoutInMillis': 29000,
            'cacheNamespace': resource_id,
            'cacheKeyParameters': [],
        },
    }


def _get_resources(req, parts, q, region):
    _check_rest_api(parts[1])
    embed = 'methods' in q.get('embed', [])
    items = [
        {'id': res.REST_ROOT_ID, 'path': '/'},
        {'id': res.REST_FEEDBACK_ID, 'parentId': res.REST_ROOT_ID, 'pathPart': 'feedback',
         'path': '/feedback',
         'resourceMethods': {'POST': _method(region, 'POST', res.REST_FEEDBACK_ID, embed)}},
        {'id': res.REST_ITEM_ID, 'parentId': res.REST_FEEDBACK_ID, 'pathPart': '{id}',
         'path': '/feedback/{id}',
         'resourceMethods': {'GET': _method(region, 'GET', res.REST_ITEM_ID, embed)}},
    ]
    return _v1_page(items, q)


def _get_tags(req, parts, q, region):
    arn = unquote(req.path.split('/tags/', 1)[1])
    known = {res.rest_api_arn(region): dict(res.TAGS),
             f'{res.rest_api_arn(region)}/stages/prod': dict(res.TAGS),
             res.http_api_arn(region): dict(res.TAGS),
             f'{res.http_api_arn(region)}/stages/$default': dict(res.TAGS)}
    if arn not in known:
        raise _Fail(404, 'NotFoundException', 'Invalid resource identifier specified')
    return {'tags': known[arn]}


# ---------------------------------------------------------------- v2

def _iso(ts):
    return iso(int(ts))


def _http_api(region):
    return {
        'apiEndpoint': f'https://{res.HTTP_API_ID}.execute-api.{region}.amazonaws.com',
        'apiId': res.HTTP_API_ID,
        'apiKeySelectionExpression': '$request.header.x-api-key',
        'createdDate': _iso(res.DEPLOYED_AT + 80),
        'description': 'Feedback HTTP API',
        'disableExecuteApiEndpoint': False,
        'ipAddressType': 'ipv4',
        'name': 'feedback-http',
        'protocolType': 'HTTP',
        'routeSelectionExpression': '$request.method $request.path',
        'tags': dict(res.TAGS),
    }


def _ws_api(region):
    return {
        'apiEndpoint': f'wss://{res.WS_API_ID}.execute-api.{region}.amazonaws.com',
        'apiId': res.WS_API_ID,
        'apiKeySelectionExpression': '$request.header.x-api-key',
        'createdDate': _iso(res.DEPLOYED_AT + 85),
        'description': 'Live feedback notifications',
        'disableExecuteApiEndpoint': False,
        'name': 'feedback-live',
        'protocolType': 'WEBSOCKET',
        'routeSelectionExpression': '$request.body.action',
        'tags': {},
    }


def _v2_apis(region):
    return [_http_api(region)] + ([_ws_api(region)] if res.WS_API['enabled'] else [])


def _check_http_api(api_id):
    if api_id != res.HTTP_API_ID and not (res.WS_API['enabled'] and api_id == res.WS_API_ID):
        raise _Fail(404, 'NotFoundException', 'Invalid API identifier specified')


def _v2_page(items, q, kind):
    raw = _one(q, 'maxResults')
    limit = None
    if raw is not None:
        try:
            limit = int(raw)
        except ValueError:
            raise _bad('maxResults must be a number') from None
        if limit < 1:
            raise _bad('maxResults must be greater than or equal to 1')
    start = 0
    token = _one(q, 'nextToken')
    if token:
        state = decode_token(token, kind)
        if state is None:
            raise _bad('Invalid nextToken')
        start = state['i']
    chunk = items[start:] if limit is None else items[start:start + limit]
    out = {'items': chunk}
    if limit is not None and start + limit < len(items):
        out['nextToken'] = encode_token({'k': kind, 'i': start + limit})
    return out


def _get_apis(req, parts, q, region):
    return _v2_page(_v2_apis(region), q, 'apigw2-apis')


def _get_api(req, parts, q, region):
    _check_http_api(parts[2])
    return next(a for a in _v2_apis(region) if a['apiId'] == parts[2])


def _get_stages_v2(req, parts, q, region):
    _check_http_api(parts[2])
    stage = {
        'autoDeploy': True,
        'createdDate': _iso(res.DEPLOYED_AT + 90),
        'defaultRouteSettings': {'detailedMetricsEnabled': False},
        'deploymentId': res.HTTP_DEPLOYMENT_ID,
        'lastDeploymentStatusMessage': "Successfully deployed stage with deployment ID "
                                       f"'{res.HTTP_DEPLOYMENT_ID}'",
        'lastUpdatedDate': _iso(res.DEPLOYED_AT + 95),
        'routeSettings': {},
        'stageName': '$default',
        'stageVariables': {},
        'tags': dict(res.TAGS),
    }
    if parts[2] == res.WS_API_ID:
        stage = {'createdDate': _iso(res.DEPLOYED_AT + 96), 'deploymentId': res.HTTP_DEPLOYMENT_ID,
                 'defaultRouteSettings': {'detailedMetricsEnabled': False}, 'routeSettings': {},
                 'lastUpdatedDate': _iso(res.DEPLOYED_AT + 97), 'stageName': 'live', 'stageVariables': {},
                 'tags': {}}
    return _v2_page([stage], q, 'apigw2-stages')


def _get_routes(req, parts, q, region):
    _check_http_api(parts[2])
    routes = [{'apiKeyRequired': False, 'authorizationType': 'NONE', 'routeId': route_id,
               'routeKey': key, 'target': f'integrations/{integration_id}'}
              for route_id, key, integration_id, _ in res.HTTP_ROUTES if parts[2] == res.HTTP_API_ID]
    return _v2_page(routes, q, 'apigw2-routes')


def _get_integrations(req, parts, q, region):
    _check_http_api(parts[2])
    integrations = [{'connectionType': 'INTERNET', 'integrationId': integration_id,
                     'integrationMethod': 'POST', 'integrationType': 'AWS_PROXY',
                     'integrationUri': res.function_arn(region, function),
                     'payloadFormatVersion': '2.0', 'timeoutInMillis': 30000}
                    for _, _, integration_id, function in res.HTTP_ROUTES if parts[2] == res.HTTP_API_ID]
    return _v2_page(integrations, q, 'apigw2-integrations')


_OPERATIONS = {
    'GetRestApis': _get_rest_apis,
    'GetRestApi': _get_rest_api,
    'GetStages': _get_stages,
    'GetStage': _get_stage,
    'GetResources': _get_resources,
    'GetTags': _get_tags,
}
_V2_OPERATIONS = {
    'GetApis': _get_apis,
    'GetApi': _get_api,
    'GetStages': _get_stages_v2,
    'GetRoutes': _get_routes,
    'GetIntegrations': _get_integrations,
}

"""Request pipeline: classify, record, inject faults, verify the signature, check the host,
the operation and the quotas, dispatch."""
import re
import time
from dataclasses import dataclass

from . import faults, protocols, services, sigcheck
from .protocols import Reply
from .wire import accepts_gzip, gzip_response

# The operations tiertop calls, per signing name: the simulator refuses every other one the
# way the service refuses an unknown operation, so that a client calling something by a
# wrong name or path fails here as it would against AWS, and handlers nothing calls show up
# as dead. Simulator tests of such handlers start it with --all-operations.
SERVED_OPERATIONS = {
    'sts': {'GetCallerIdentity', 'AssumeRole', 'AssumeRoleWithWebIdentity'},
    'logs': {'DescribeLogGroups', 'FilterLogEvents', 'StartLiveTail'},
    'monitoring': {'GetMetricData', 'DescribeAlarms'},
    # PutItem: tiertop never writes, but e2e tests seed items with it (tests/e2e/replay.sh).
    'dynamodb': {'ListTables', 'DescribeTable', 'Scan', 'Query', 'GetItem', 'BatchGetItem', 'PutItem'},
    'lambda': {'ListFunctions', 'GetFunctionConfiguration', 'ListEventSourceMappings', 'Invoke',
               'ListVersionsByFunction', 'ListAliases'},
    # REST APIs and HTTP APIs alike (the simulator names both stage listings GetStages).
    'apigateway': {'GetRestApis', 'GetStages', 'GetResources', 'GetApis', 'GetRoutes',
                   'GetIntegrations'},
    'tagging': {'GetResources', 'GetTagValues'},
    'cloudformation': {'ListStacks', 'ListStackResources'},
}

# Host names of AWS endpoints: <prefix>[-fips].[<region>.][dualstack.]<dns suffix>.
_AWS_HOST_RE = re.compile(r'(?P<prefix>[a-z0-9-]+?)(?:-fips)?\.'
                          r'(?:(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+)\.)?(?:dualstack\.)?'
                          r'(?:amazonaws\.com(?:\.cn)?|api\.aws)(?::\d+)?\Z')
# Endpoint prefixes whose signing name differs.
_HOST_SIGNING_NAMES = {'stream-logs': 'logs'}
_SCOPE_REGION_RE = re.compile(r'Credential=[^/,\s]*/\d{8}/([^/,\s]+)/')


@dataclass
class Route:
    service: str
    protocol: str
    action: str
    module: object  # None when the simulator does not implement the service
    signed: bool


def classify(req):
    for module in services.UNSIGNED:
        action = module.match_unsigned(req)
        if action:
            return Route(module.SERVICE, module.PROTOCOL, action, module, signed=False)
    service = sigcheck.scope_service(req.header('Authorization'))
    protocol = protocols.detect(req)
    module = services.lookup(service, protocol)
    if module is not None:
        return Route(service, module.PROTOCOL, module.action_of(req), module, signed=True)
    return Route(service, protocol, protocols.guess_action(req, protocol), None, signed=True)


def process(sim, req):
    route = classify(req)
    select = getattr(route.module, 'select', None)
    if select is not None:
        # A service may answer in another protocol than the request used (CloudWatch
        # set up to behave like a query-only endpoint).
        module = select(sim, req)
        route = Route(route.service, module.PROTOCOL, route.action, module, route.signed)
    entry = sim.recorder.start(req, sim.now(), route.service, route.action)
    reply = Reply(req, route.protocol, getattr(route.module, 'XMLNS', protocols.STS_XMLNS),
                  route.module, route.action)
    try:
        resp = _respond(sim, req, route, reply, entry)
    except Exception:  # a simulator bug must not look like a dead server to the client
        sim.log.exception('handler failed for %s %s', req.method, req.path)
        resp = reply.server_error()
    finally:
        sim.recorder.finish(entry)
    # Lambda's Invoke is the one REST answer whose type is the function's, not the protocol's.
    if route.action != 'Invoke':
        resp.content_type = protocols.content_type(route.service, route.protocol, resp.content_type)
    if route.signed and _should_gzip(sim, req, resp):
        resp = gzip_response(resp)
        sim.recorder.update(entry, content_encoding='gzip')
    sim.recorder.update(entry, status=None if resp.disconnect == 'reset' else resp.status)
    sim.log.info('%s %s service=%s action=%s status=%s fault=%s', req.method, req.path,
                 route.service, route.action, resp.status, entry.get('fault'))
    return resp


def _respond(sim, req, route, reply, entry):
    fault = sim.faults.take(route.service, route.action)
    if fault is not None:
        sim.recorder.update(entry, fault=fault.kind)
        if fault.latency_ms:
            time.sleep(fault.latency_ms / 1000)
        resp = faults.fault_response(fault, reply, route.action, sim.now())
        if resp is not None:
            return resp
    identity = None
    if route.signed:
        mismatch = host_mismatch(req, route.service)
        if mismatch is not None:
            sim.recorder.update(entry, auth_error={'kind': 'signature', 'message': mismatch})
            return reply.auth_error('signature', mismatch)
        try:
            identity = sigcheck.verify(req, sim.state.identity, sim.now())
        except sigcheck.AuthFailure as failure:
            sim.recorder.update(entry, auth_error=failure.as_dict())
            sim.log.info('auth failure: %s', failure.as_dict())
            return reply.auth_error(failure.kind, failure.message)
    if route.module is None:
        # Only reachable with a valid signature, which makes it a probe for verification.
        return reply.error(400, 'UnknownOperationException',
                           f'The simulator does not implement service {route.service!r}')
    if route.protocol == protocols.JSON and not protocols.json_request_type_ok(req):
        sim.recorder.update(entry, refused='content type')
        return protocols.unknown_operation_xml()
    if route.signed and not sim.all_operations and route.action is not None \
            and route.action not in SERVED_OPERATIONS.get(route.service, ()):
        sim.recorder.update(entry, refused='unknown operation')
        return unknown_operation(req, reply, route)
    if route.signed and identity is not None:
        config = sim.state.config()
        if config['quotas']:
            quota = sim.quotas.take(route.service, route.action, identity.account,
                                    scope_region(req), config['quota_limits'])
            if quota is not None:
                sim.recorder.update(entry, throttled=quota)
                return reply.throttle()
    return route.module.handle(sim, req, reply, route.action, identity)


def _should_gzip(sim, req, resp):
    """Large answers go gzip-compressed when the client accepts it (config gzip_responses,
    gzip_min_bytes), so that a client's decompression is exercised on every run. Only AWS
    services do it: the instance and container credential endpoints never compress."""
    config = sim.state.config()
    return (config['gzip_responses'] and resp.stream is None and resp.disconnect != 'reset'
            and len(resp.body) >= config['gzip_min_bytes']
            and accepts_gzip([v for k, v in req.headers if k.lower() == 'accept-encoding'])
            and not any(name.lower() == 'content-encoding' for name, _ in resp.headers))


def unknown_operation(req, reply, route):
    """The answer each protocol gives for an operation the service does not have."""
    if route.protocol == protocols.QUERY:
        version = req.form().get('Version', '')
        return reply.error(400, 'InvalidAction',
                           f'Could not find operation {route.action} for version {version}')
    if route.protocol == protocols.JSON:
        return reply.error(400, 'UnknownOperationException', '')
    return reply.error(404, 'UnknownOperationException', 'Unknown operation')


def scope_region(req):
    match = _SCOPE_REGION_RE.search(req.header('Authorization') or '')
    return match.group(1) if match else None


def host_mismatch(req, service):
    """Why a request sent to an AWS host name cannot be for `service`, or None.

    Requests may reach the simulator under each service's own host name (a client that
    builds <service>.<region>.amazonaws.com itself, resolved to the simulator): signed for
    another service or region, AWS refuses them, and so does the simulator."""
    match = _AWS_HOST_RE.match((req.header('Host') or '').lower())
    if match is None or service is None:  # no credential scope: the signature check says so
        return None
    prefix = match.group('prefix')
    if _HOST_SIGNING_NAMES.get(prefix, prefix) != service:
        return f"Credential should be scoped to correct service: '{prefix}'. "
    region = match.group('region') or 'us-east-1'  # global endpoints sign for us-east-1
    if scope_region(req) != region:
        return f"Credential should be scoped to a valid region, not '{scope_region(req)}'. "
    return None

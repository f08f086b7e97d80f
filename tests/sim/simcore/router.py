"""Request pipeline: classify, record, inject faults, verify the signature, dispatch."""
import time
from dataclasses import dataclass

from . import faults, protocols, services, sigcheck
from .protocols import Reply


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
    return route.module.handle(sim, req, reply, route.action, identity)

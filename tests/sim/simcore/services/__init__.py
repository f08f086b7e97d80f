"""Service registry.

Signed services are keyed by (SigV4 signing name, protocol); a service is a module (or
object) with SERVICE, PROTOCOL, action_of(req) and handle(sim, req, reply, action,
identity), listed in SIGNED. CloudWatch is listed twice, once per protocol. Optional
hooks: shape_error/throttle_error (protocols.Reply), select(sim, req) (router), XMLNS.
Unsigned endpoints provide match_unsigned(req) -> action name or None instead of action_of.
"""
from . import (apigateway, awslambda, cloudformation, cloudwatch, container, dynamodb, imds, logs,
               sso, sso_oidc, sts, tagging)

SIGNED = {(module.SERVICE, module.PROTOCOL): module for module in (
    sts, awslambda, dynamodb, logs, cloudwatch.JSON_FRONT, cloudwatch.QUERY_FRONT, apigateway,
    tagging, cloudformation)}

# Tried in order before anything is treated as a signed request.
UNSIGNED = (sts, sso, sso_oidc, imds, container)


def lookup(service, protocol):
    """Handler module for a signed request, tolerating a protocol guess that missed
    (e.g. an STS call without a form Content-Type) when the service speaks only one."""
    module = SIGNED.get((service, protocol))
    if module is None:
        candidates = [m for (name, _), m in SIGNED.items() if name == service]
        if len(candidates) == 1:
            module = candidates[0]
    return module

"""The queries of the routes, one module per resource: what a route selects, inserts, updates.

A handler parses its request, checks the caller's scope (:mod:`matcher_service.policy`),
calls the queries here and answers. The queries never see the request or the response; a
few raise the service's errors (:mod:`matcher_service.errors`) for what is not found.
"""

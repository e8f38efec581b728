"""The web service of matcher: the library behind roles, a database and data governance.

``matcher serve`` starts it; :func:`matcher_service.app.create_app` builds the ASGI app.
The service depends on :mod:`matcher`, never the reverse.
"""

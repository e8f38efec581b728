"""The routers of the service, in the order they appear in the API docs."""

from service.routes import (
    analysis,
    audit,
    auth,
    contacts,
    data,
    firms,
    jobs,
    orders,
    organizations,
    public,
    shortlists,
    ties,
    ui,
    users,
    views,
    workshops,
)

ROUTERS = [
    auth.router,
    users.router,
    organizations.router,
    workshops.router,
    contacts.router,
    ties.router,
    firms.router,
    orders.router,
    shortlists.router,
    data.router,
    analysis.router,
    jobs.router,
    public.router,
    audit.router,
    views.router,
    ui.router,
]

"""Request and response bodies, one module per resource (``schemas.workshops``, ``schemas.orders`` ...).

Every body the service reads is an :class:`~matcher_service.schemas.base.Input`
(:mod:`matcher_service.schemas.base`); the names other modules import from the
package itself are re-exported here.
"""

from matcher_service.schemas.base import FREE_TEXT, Input, StrictInput, refuse_control_characters
from matcher_service.schemas.workshops import WorkshopIn, WorkshopOut, WorkshopPatch, workshop_fields

__all__ = [
    "FREE_TEXT",
    "Input",
    "StrictInput",
    "WorkshopIn",
    "WorkshopOut",
    "WorkshopPatch",
    "refuse_control_characters",
    "workshop_fields",
]

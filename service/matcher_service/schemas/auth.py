"""Sign-in answers: the token and the caller."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["MeOut", "TokenOut"]


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


class MeOut(BaseModel):
    user_id: int
    username: str
    role: str
    territories: list[str]
    organization_id: str | None
    firm_id: str | None

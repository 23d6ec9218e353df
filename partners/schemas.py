"""API schemas of partners."""

from datetime import date, datetime

from django.conf import settings

from ninja import Field, Schema


class KeyedOut(Schema):
    key: str
    name: str


class TierOut(KeyedOut):
    rank: int


class PartnerOut(Schema):
    id: int
    key: str
    name: str
    tier: TierOut
    type: KeyedOut
    region: KeyedOut


class UserOut(Schema):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str


class MeOut(Schema):
    user: UserOut
    partner: PartnerOut
    roles: list[KeyedOut]


class InvitationIn(Schema):
    email: str = Field(description="Who to invite; their account will sign in with this address.")
    roles: list[str] = Field(default_factory=list, description="Keys of the roles they will hold, e.g. `sales`.")


class InvitationOut(Schema):
    id: int
    email: str
    roles: list[KeyedOut]
    state: str = Field(description="`pending`, `expired`, `accepted` or `revoked`.")
    invited_by: str | None = Field(description="Who sent it (name or username), if still known.")
    created_at: datetime
    expires_at: datetime
    last_sent_at: datetime | None
    accepted_at: datetime | None
    revoked_at: datetime | None


class MemberOut(Schema):
    id: int = Field(description="The user's id.")
    username: str
    email: str
    first_name: str
    last_name: str
    roles: list[KeyedOut]
    is_active: bool
    last_login: datetime | None
    leaves_on: date | None


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=255, description="What the token is for, e.g. the integration.")
    expires_in_days: int = Field(
        default=settings.PARTNERHUB_TOKEN_DEFAULT_DAYS,
        ge=1,
        le=settings.PARTNERHUB_TOKEN_MAX_DAYS,
        description=f"Days it works, 1 to {settings.PARTNERHUB_TOKEN_MAX_DAYS}.",
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The token's first characters, to recognise it; never the whole token.")
    created: datetime
    expires_at: datetime | None = Field(description="Null: never (issued by an operator).")
    last_used_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself: shown this once only, keep it safe.")


class ErrorOut(Schema):
    detail: str

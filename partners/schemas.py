"""API schemas of partners."""

from ninja import Schema


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

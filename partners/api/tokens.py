"""Personal API tokens of the calling user (``/auth/tokens``): list, create (from a session only), revoke."""

from django.core.exceptions import ValidationError
from django.http import Http404

from ninja import Router, Status
from ninja.errors import HttpError

from .. import tokens
from ..schemas import ErrorOut, TokenCreatedOut, TokenIn, TokenOut

router = Router(tags=["auth"])

SESSION_ONLY = (
    "Personal tokens can only be created from a signed-in session, not with an API token: sign in and create it there."
)


def token_row(token, plaintext: str | None = None) -> dict:
    row = {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created": token.created,
        "expires_at": tokens.token_expires_at(token),
        "last_used_at": token.last_used_at,
    }
    if plaintext is not None:
        row["token"] = plaintext
    return row


def signed_in_with_token(request) -> bool:
    """Whether the request authenticated with an ``Authorization: Bearer`` token (else: its session)."""
    scheme, _, _credentials = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer"


@router.get(
    "/auth/tokens",
    url_name="auth_tokens",
    response=list[TokenOut],
    summary="My personal API tokens that still work",
    description="Name, when created, when it expires and when it was last used; never the token itself.",
)
def list_tokens(request):
    return [token_row(token) for token in tokens.tokens_of(user=request.auth)]


@router.post(
    "/auth/tokens",
    url_name="auth_tokens",
    response={201: TokenCreatedOut, 400: ErrorOut, 403: ErrorOut},
    summary="Create a personal API token (signed-in session only)",
    description="Answers the token once: it is stored only as a digest. A request made with a token gets 403: "
    "a token cannot create tokens.",
)
def create_token(request, payload: TokenIn):
    if signed_in_with_token(request):
        raise HttpError(403, SESSION_ONLY)
    try:
        token, plaintext = tokens.personal_token_create(
            user=request.auth, name=payload.name, expires_in_days=payload.expires_in_days, request=request
        )
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from None
    return Status(201, token_row(token, plaintext))


@router.delete(
    "/auth/tokens/{token_id}",
    response={204: None, 404: ErrorOut},
    summary="Revoke one of my personal API tokens",
    description="Refused from the next request on. Someone else's token answers 404.",
)
def revoke_token(request, token_id: int):
    token = tokens.tokens_of(user=request.auth).filter(pk=token_id).first()
    if token is None:
        raise Http404
    tokens.personal_token_revoke(token=token, request=request)
    return Status(204, None)

"""The errors of the LRS, each with the HTTP status xAPI asks for (Communication §3.2); views answer them."""


class XapiError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadRequest(XapiError):
    status = 400


class Unauthorized(XapiError):
    status = 401


class Forbidden(XapiError):
    status = 403


class NotFound(XapiError):
    status = 404


class Conflict(XapiError):
    status = 409


class PreconditionFailed(XapiError):
    status = 412


class TooLarge(XapiError):
    status = 413

"""Statement policies: rules other apps add to what the LRS accepts (e.g. elearning's cmi5 rules, cmi5 §9).

A policy is a callable ``policy(*, credential, statements)`` registered from its app's ``AppConfig.ready()``
with ``register_statement_policy``. ``statements_store`` runs every policy on each batch after validating
and authorising it, inside the transaction that stores it and before anything is written: a policy that
raises ``lrs.errors.Forbidden`` (403) or ``BadRequest`` (400) rejects the whole batch and nothing is stored.
``statements`` are the validated statements in the order sent, each with its ``id``; a policy decides for
itself which credentials it looks at (others: return at once) and should skip ids already stored (a
statement sent again unchanged is a no-op for the LRS).
"""

_policies: list = []


def register_statement_policy(policy) -> None:
    """Run ``policy`` before storing every statement batch (registering the same callable twice is a no-op)."""
    if policy not in _policies:
        _policies.append(policy)


def unregister_statement_policy(policy) -> None:
    if policy in _policies:
        _policies.remove(policy)


def statement_policies() -> tuple:
    """The policies registered, in the order they run."""
    return tuple(_policies)


def run_statement_policies(*, credential, statements: list[dict]) -> None:
    """Run the registered policies in order; the first that raises rejects the batch."""
    for policy in list(_policies):
        policy(credential=credential, statements=statements)

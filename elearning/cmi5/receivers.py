"""cmi5 plugs into the LRS: its statement policy (``lrs.policies``) and the progress of stored statements
(``core.signals.statement_stored``); connected from ``ElearningConfig.ready()``."""

from core.signals import statement_stored
from lrs.policies import register_statement_policy


def _statement_stored(sender, statement, credential, **kwargs):
    from .progress import cmi5_statement_recorded
    from .statements import is_session_credential

    if is_session_credential(credential):
        cmi5_statement_recorded(statement=statement, credential=credential)


def connect():
    from .rules import cmi5_statement_policy

    register_statement_policy(cmi5_statement_policy)
    statement_stored.connect(_statement_stored, dispatch_uid="elearning_cmi5_statement_stored")

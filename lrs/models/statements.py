"""Statements as sent (plus what the LRS sets), with indexed columns for the queries of GET statements.

``StatementAgent`` and ``StatementActivity`` list the agents and activities a statement mentions, so the
``agent`` filter (actor, object, and group members) and ``related_agents`` / ``related_activities`` are
plain indexed look-ups.
"""

from django.db import models


class StatementQuerySet(models.QuerySet):
    def returnable(self):
        """What queries may return: never a voided statement (xAPI 2.1.4)."""
        return self.filter(voided=False)


class Statement(models.Model):
    id = models.UUIDField(primary_key=True)
    #: The statement as sent, with ``id``, ``stored``, ``authority``, ``timestamp`` and ``version`` set.
    payload = models.JSONField()
    verb_id = models.CharField(max_length=2048, db_index=True)
    actor_ifi = models.CharField(max_length=64, blank=True, db_index=True)
    actor_label = models.CharField(max_length=255, blank=True)
    object_activity_id = models.CharField(max_length=2048, blank=True, db_index=True)
    #: The statement a StatementRef object points at, and the last statement of that chain of references.
    object_statement_id = models.UUIDField(null=True, blank=True, db_index=True)
    ref_root_id = models.UUIDField(null=True, blank=True, db_index=True)
    registration = models.UUIDField(null=True, blank=True, db_index=True)
    is_voiding = models.BooleanField(default=False)
    voided = models.BooleanField(default=False, db_index=True)
    timestamp = models.DateTimeField()
    stored = models.DateTimeField(db_index=True)
    credential = models.ForeignKey(
        "lrs.Credential", on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-stored", "-id"]
        indexes = [models.Index(fields=["stored", "id"], name="lrs_statement_stored_id")]

    def __str__(self):
        verb = self.verb_id.rsplit("/", 1)[-1]
        return f"{self.actor_label} {verb} {self.object_activity_id or self.object_statement_id or ''}".strip()


class StatementAgent(models.Model):
    class Relation(models.TextChoices):
        ACTOR = "actor"  # the actor, and each member of a group actor
        OBJECT = "object"  # an agent or group object, and its members
        RELATED = "related"  # authority, instructor, team, and a substatement's agents

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="agents")
    ifi = models.CharField(max_length=64)
    relation = models.CharField(max_length=8, choices=Relation.choices)

    class Meta:
        indexes = [models.Index(fields=["ifi", "relation"], name="lrs_statementagent_ifi")]

    def __str__(self):
        return f"{self.relation} {self.ifi[:12]}"


class StatementActivity(models.Model):
    class Relation(models.TextChoices):
        OBJECT = "object"
        RELATED = "related"  # context activities, and a substatement's activities

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="activities")
    activity_id = models.CharField(max_length=2048)
    relation = models.CharField(max_length=8, choices=Relation.choices)

    class Meta:
        indexes = [models.Index(fields=["activity_id"], name="lrs_statementactivity_id")]

    def __str__(self):
        return f"{self.relation} {self.activity_id}"

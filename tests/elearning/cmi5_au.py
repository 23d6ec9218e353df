"""A cmi5 AU driven from the tests: what an AU does over HTTP (fetch its token, read LMS.LaunchData, send
statements), through the Django test client, with ``transaction.on_commit`` callbacks run as in production."""

import json
import uuid
from urllib.parse import parse_qs, urlsplit

from elearning.cmi5 import vocabulary as v
from elearning.cmi5.launch import cmi5_launch_url

BASE = "http://testserver"


class Au:
    def __init__(self, client, session, token, commits):
        self.client, self.session, self.token, self.commits = client, session, token, commits
        self.url = cmi5_launch_url(session, token, base=BASE)
        query = parse_qs(urlsplit(self.url).query)
        self.params = {name: values[0] for name, values in query.items()}
        self.actor = json.loads(self.params["actor"])
        self.auth = None
        self.launch_data = None

    def fetch(self):
        response = self.client.post(urlsplit(self.params["fetch"]).path)
        body = response.json()
        if "auth-token" in body:
            self.auth = body["auth-token"]
        return response

    @property
    def headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Basic {self.auth}", "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}

    def state_query(self, state_id="LMS.LaunchData", **overrides) -> dict:
        return {
            "activityId": self.params["activityId"],
            "agent": json.dumps(self.actor),
            "registration": self.params["registration"],
            "stateId": state_id,
            **overrides,
        }

    def read_launch_data(self):
        response = self.client.get("/xapi/activities/state", self.state_query(), **self.headers)
        if response.status_code == 200:
            self.launch_data = json.loads(response.content)
        return response

    def start(self):
        assert self.fetch().status_code == 200 and self.auth
        assert self.read_launch_data().status_code == 200
        return self

    def statement(self, verb: str, *, result=None, defined=True, moveon=None, obj=None, **top) -> dict:
        context = json.loads(json.dumps(self.launch_data["contextTemplate"]))
        context["registration"] = self.params["registration"]
        categories = []
        if defined:
            categories.append({"id": v.CATEGORY_CMI5})
        if moveon if moveon is not None else (result and ("success" in result or "completion" in result)):
            categories.append({"id": v.CATEGORY_MOVEON})
        if categories:
            context["contextActivities"]["category"] = categories
        statement = {
            "id": str(uuid.uuid4()),
            "actor": self.actor,
            "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
            "object": obj or {"objectType": "Activity", "id": self.params["activityId"]},
            "context": context,
        }
        if result is not None:
            statement["result"] = result
        statement.update(top)
        return statement

    def initialized(self):
        return self.statement(v.INITIALIZED)

    def completed(self):
        return self.statement(v.COMPLETED, result={"completion": True, "duration": "PT30S"})

    def passed(self, scaled=1.0):
        return self.statement(v.PASSED, result={"success": True, "score": {"scaled": scaled}, "duration": "PT30S"})

    def failed(self, scaled=0.0):
        return self.statement(v.FAILED, result={"success": False, "score": {"scaled": scaled}, "duration": "PT30S"})

    def terminated(self, seconds=60):
        return self.statement(v.TERMINATED, result={"duration": f"PT{seconds}S"})

    def answered(self):
        return self.statement(
            "http://adlnet.gov/expapi/verbs/answered",
            defined=False,
            obj={"objectType": "Activity", "id": self.params["activityId"] + "/q1"},
            result={"response": "c"},
        )

    def send(self, *statements):
        body = list(statements) if len(statements) > 1 else statements[0]
        with self.commits(execute=True):
            return self.client.post(
                "/xapi/statements", json.dumps(body), content_type="application/json", **self.headers
            )

"""``make load``: the hub over HTTP under Locust, on the real stack with production settings (see ``run``)."""

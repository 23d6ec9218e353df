"""The xAPI resources over HTTP: plain Django views (xAPI has headers of its own), under ``/xapi/``."""

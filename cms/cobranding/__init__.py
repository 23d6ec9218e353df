"""Co-branded downloads: a partner's logo and name stamped onto a co-brandable PDF, made once per version and
partner and kept privately (``stamp``: the PDF work with fpdf2 and pypdf; ``services``: the cached copy)."""

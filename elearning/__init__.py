"""E-learning packages: SCORM 1.2, SCORM 2004 and cmi5 uploaded, validated, stored privately and versioned."""

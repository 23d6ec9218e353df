"""Certification programs, issued certificates, expiry, renewal and verification.

Filled in by the certifications issue.
"""

"""My team: a partner admin's people (members, invitations, roles, deactivation), each member's learning and
certifications, and the partner's tier compliance with its 30/60/90-day forecast.

Only partner admins (role ``admin``, ``partners.members.partner_administered_by``, the API's own check) get these
pages; everyone else, and anyone asking for another partner's member or invitation, gets 404. Reads and writes go
through the same selectors and services as the API (``partners.members``, ``partners.invitations``,
``certifications.selectors``).
"""

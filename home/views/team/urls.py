"""The paths of "My team", included under ``/team/`` by ``home.urls`` (names in the ``home`` namespace)."""

from django.urls import path

from . import company, compliance, invitations, members, people, scorecard

urlpatterns = [
    path("", members.team, name="team"),
    path("scorecard/", scorecard.scorecard, name="team_scorecard"),
    path("compliance/", compliance.compliance, name="team_compliance"),
    path("company/", company.company, name="team_company"),
    path("company/logo/", company.company_logo, name="team_company_logo"),
    path("invitations/", invitations.invite, name="team_invite"),
    path("invitations/<int:invitation_id>/resend/", invitations.resend, name="team_invitation_resend"),
    path("invitations/<int:invitation_id>/revoke/", invitations.revoke, name="team_invitation_revoke"),
    path("<int:user_id>/", members.member, name="team_member"),
    path("<int:user_id>/transcript/<str:file_format>/", members.member_transcript, name="team_member_transcript"),
    path("<int:user_id>/roles/", people.roles, name="team_member_roles"),
    path("<int:user_id>/deactivate/", people.deactivate, name="team_member_deactivate"),
    path("<int:user_id>/reactivate/", people.reactivate, name="team_member_reactivate"),
]

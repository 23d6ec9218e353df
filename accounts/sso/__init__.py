"""Single sign-on: each partner's identity provider (OIDC or SAML 2.0), and the vendor's for staff.

* ``connections``: which connection owns an e-mail address's domain, and the allauth app of each
  active ``accounts.SSOConnection`` (selectors);
* ``provisioning``: what an IdP's answer means here: refused (and why), the user created just in
  time in the connection's partner, and roles or staff groups set from its groups (services);
* ``adapter``: allauth's socialaccount adapter that plugs both into allauth's flows;
* ``backends``: the authentication backend that refuses a password for a domain an IdP owns.
"""

"""Who a member is and how they sign in: ``adapters`` plug the site's rules into allauth and
the auth backends, ``lookalikes`` refuses handles and names that pass for the team, and
``adminsite`` puts Django's admin behind the site's own sign-in."""

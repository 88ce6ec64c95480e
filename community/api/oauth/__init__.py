"""OAuth 2 for third-party apps (django-oauth-toolkit under ``/oauth/``).

An admin registers an app (``/host/apps/``); a member authorises it on the consent page,
the app exchanges the code for an access token (an hour) and a refresh token (replaced at
every use) and calls ``/api/v1/`` as that member, within the scopes the member granted,
which never exceed what the member's role allows (``community.api.tokens.allowed_scopes``).
The API reads an app's token through the same scope check as a personal token's
(``community.api.access``). Only the authorization-code grant with PKCE (S256) and the
refresh grant exist (``server.Server``)."""

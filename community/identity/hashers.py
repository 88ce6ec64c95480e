"""The password hasher members' passwords are stored with.

Argon2id with the parameters the OWASP Password Storage Cheat Sheet recommends (19 MiB of
memory, 2 passes, 1 lane): about 16 ms a check on a 2-core machine, where Django's own
Argon2 defaults (100 MiB, 8 lanes) take about 150 ms and PBKDF2 at Django 5.2's million
iterations about 200 ms, on every sign-in. A hash stored with other parameters or another
hasher still verifies and is rehashed with these at the member's next sign-in
(``must_update``).
"""
from django.contrib.auth.hashers import Argon2PasswordHasher


class MemberArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

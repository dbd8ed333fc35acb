"""API of organizations, members, credentials, the signed-in user and tokens."""

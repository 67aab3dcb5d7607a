from __future__ import annotations

from nsp.permissions import is_admin, user_roles


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    roles = user_roles(user) if user is not None else frozenset()
    return {"nav_roles": roles, "nav_is_admin": bool(user is not None and is_admin(user))}

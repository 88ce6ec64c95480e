from .events import EngagementEvent
from .invitations import Invitation
from .users import User

__all__ = ["EngagementEvent", "Invitation", "User"]

"""The platform-neutral conversation core: text, clicks, forms and files in; `Reply` out."""

from bot.core.conversation.core import Conversation, error_reply
from bot.core.conversation.surface import CLI, SLACK, TEAMS, Surface

__all__ = ["CLI", "SLACK", "TEAMS", "Conversation", "Surface", "error_reply"]

"""The platform-neutral conversation core: text, clicks, forms and files in; `Reply` out."""

from bot.core.conversation.core import Conversation, error_reply
from bot.core.conversation.requests import Clicked, Request, Submitted, Typed, as_action
from bot.core.conversation.surface import CLI, SLACK, TEAMS, Surface
from bot.store import Actor  # adapters build the Actor; they never import the store

__all__ = ["CLI", "SLACK", "TEAMS", "Actor", "Clicked", "Conversation", "Request", "Submitted",
           "Surface", "Typed", "as_action", "error_reply"]

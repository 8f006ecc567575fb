"""Microsoft Teams adapter (Bot Framework SDK for Python), kept isolated on purpose.

botbuilder-python is archived; its successor is the Microsoft 365 Agents SDK.
Everything that imports botbuilder lives in this package, so moving to the
Agents SDK means replacing `bot.teams`, not touching the core or the renderers.
"""

"""Slack adapter: Bolt listeners over the platform-neutral concierge.

`app.serve_events` serves POST /slack/events on the shared aiohttp server and
`app.run_socket_mode` receives the same traffic over Socket Mode.
"""

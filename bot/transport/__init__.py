"""What both chat adapters need from HTTP and asyncio, written once: no platform SDK here."""

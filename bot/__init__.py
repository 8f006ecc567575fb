"""AI Tool Concierge: tells employees which AI tools their organization approved for the job."""

__version__ = "0.1.0"

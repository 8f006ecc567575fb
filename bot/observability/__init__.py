"""Operations: Prometheus metrics and structured, privacy-safe logs.

Nothing in the core imports this package; the composition code (runtime, web,
CLI) wires it in, so the core stays free of metrics and logging libraries.
"""

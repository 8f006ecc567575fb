"""Leadership insights: candidate use cases from unmet requests, and the weekly digest."""

"""Pure builders of `Reply`s: all the concierge's wording lives in these modules."""

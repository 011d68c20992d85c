"""Views derived from the Plan model that several rules (and emit, next) share."""

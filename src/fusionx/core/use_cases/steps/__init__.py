"""Steps that commands and queries share (finding what the caller may touch, moving a
ticket, admitting an order...): they import neither commands nor queries."""

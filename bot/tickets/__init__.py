"""Tickets: complaints and hand-offs worked by staff. `service` holds every operation, `sla` the
business-hours clocks, `classify` the category and priority rules, `jobs` the outbound work."""

"""The conversation: a neutral `Incoming` in, an `Outcome` out through `pipeline.respond`, with the
handler registry, the per-customer state, the intent labels and the short words read by rule."""

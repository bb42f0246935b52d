"""Inbound HTTP endpoints: WeChat's server callback now, order-system pushes later."""

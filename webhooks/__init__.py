"""Inbound HTTP from outside systems other than WeChat: the order system's pushes."""

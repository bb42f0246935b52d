"""Clients for systems outside the bot: the shared store, the job queue, WeChat's API, order systems."""

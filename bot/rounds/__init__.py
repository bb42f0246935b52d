"""Group preorder rounds (团购接龙): domain rules here, chat in bot/handlers, HTTP in api.py."""

"""Orders and stock on the bot's side: who a customer is, what they may see, how we say it."""

"""The merchant's own answers (问答库): entries taught in the console, the API or a CSV file,
matched by retrieval over their phrasings, so a merchant teaches the bot without a developer
and without retraining the NLU."""

"""Members: one customer across channels (identities, merges), the points ledger, rewards, the
receipt check (收货反馈) after an order is signed for, `/api/members` and `members` commands."""

"""Mail notices: what goes out (compose), who is reminded of what (reminders), and the sender that
`planner serve --smtp-host …` runs over the store's outbox (sender)."""

"""Terminal UI: the one-shot candidate menu and the interactive prompt."""

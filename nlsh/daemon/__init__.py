"""The model daemon: keeps one `Pipeline` loaded and answers clients over a Unix socket.

`protocol` (wire format, file locations), `server` (the daemon), `client` (start on demand,
retry, restart), `commands` (what `nlsh serve` / `nlsh daemon ...` run), `widget` (the fast
entry point the shell key bindings call). Only `server` ever imports the model stack, and
only lazily; importing this package must stay cheap.
"""

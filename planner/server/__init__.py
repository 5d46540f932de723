"""The served side of planner: `planner serve`, Voilà with sign-in, kernel ownership and pools.

Nothing is imported here: an app's kernel imports `planner.server.handoff`, and must not load
jupyter_server or tornado with it."""

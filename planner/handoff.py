"""Kept for `planner.app.identity`, which imports the handoff names from here: they live in
`planner.server.handoff` (importing it loads nothing of jupyter_server)."""

from .server.handoff import KERNEL_PROOF_HEADER, SESSION_ENV, SESSION_HEADER, kernel_proof

__all__ = ["KERNEL_PROOF_HEADER", "SESSION_ENV", "SESSION_HEADER", "kernel_proof"]

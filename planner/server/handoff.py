"""What the server and an app's kernel agree on to pass who is there from one to the other.

Kept apart from the server's modules so that the kernel imports nothing of jupyter_server."""

from __future__ import annotations

import hashlib
import hmac

# the header Voilà hands to the kernel (VoilaConfiguration.http_header_envs): set by the server from
# the session it checked, after dropping whatever a browser sent under that name
SESSION_HEADER = "X-Planner-Session"
SESSION_ENV = "HTTP_X_PLANNER_SESSION"
# how a warm kernel proves, on Voilà's handoff socket, that it is the kernel it names
KERNEL_PROOF_HEADER = "X-Planner-Kernel"


def kernel_proof(key: bytes, kernel_id: str) -> str:
    """Only the kernel and the server hold the kernel's HMAC key (its connection file is private)."""
    return hmac.new(key, kernel_id.encode(), hashlib.sha256).hexdigest()

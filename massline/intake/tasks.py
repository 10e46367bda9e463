"""Background jobs of intake: retrain the routing model on a schedule."""

from __future__ import annotations

from massline.tasks import app


@app.task(name="massline.intake.retrain")
def retrain() -> str:
    """Train a candidate routing model on the city's decisions, evaluate it on the newest held-out
    examples, and promote it only if it beats the model routing now (massline.learning.retrain)."""
    from massline.learning.retrain import retrain as run

    version = run(by="scheduled retraining")
    return f"routing model v{version.version}: {version.decision}"

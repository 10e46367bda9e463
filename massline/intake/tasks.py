"""Background jobs of intake: retrain the routing model on a schedule."""

from __future__ import annotations

from massline.tasks import app


@app.task(name="massline.intake.retrain")
def retrain() -> str:
    """Retrain the routing model (MASSLINE_MODEL_PATH) and say what happened."""
    from .training import train_default_model

    return train_default_model(force=True)

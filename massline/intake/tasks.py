"""Background jobs of intake: route deferred submissions, and retrain the routing model on a schedule."""

from __future__ import annotations

from massline.tasks import app


@app.task(name="massline.intake.route")
def route(request_id: int) -> str:
    """Classify, route and sketch a request that was acknowledged before routing (intake.deferred)."""
    from .deferred import route_pending

    return route_pending(request_id)


@app.task(name="massline.intake.route_due")
def route_due() -> int:
    """Route the submissions still pending after a minute (the broker was down, a worker died)."""
    from .deferred import route_due as run

    return run()


@app.task(name="massline.intake.retrain")
def retrain() -> str:
    """Train a candidate routing model on the city's decisions, evaluate it on the newest held-out
    examples, and promote it only if it beats the model routing now (massline.learning.retrain)."""
    from massline.learning.retrain import retrain as run

    version = run(by="scheduled retraining")
    return f"routing model v{version.version}: {version.decision}"

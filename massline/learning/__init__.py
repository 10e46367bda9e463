"""Routing that learns from the dispatchers: training labels from every decision, scheduled retraining
that promotes a candidate only when it is better, and the model registry (docs/routing.md)."""

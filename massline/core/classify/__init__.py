"""Request classification: a calibrated text classifier trained from an organisation's history."""

from massline.core.classify.model import TextClassifier, prepare_text
from massline.core.classify.training import load_model, train_from_csv

__all__ = ["TextClassifier", "load_model", "prepare_text", "train_from_csv"]

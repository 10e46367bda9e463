"""Chinese and English text handling: normalisation, segmentation, encodings, redaction."""

"""massline: the mass line (從群眾中來,到群眾中去) as software."""

__version__ = "0.1.0"

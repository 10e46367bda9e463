"""Framework-free core of massline. Nothing under this package may import Django (a test enforces it)."""

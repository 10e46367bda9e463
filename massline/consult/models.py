"""Consultations (徵求意見): statements, votes, opinion groups."""

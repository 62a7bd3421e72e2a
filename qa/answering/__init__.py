"""Answering: sentence scoring, short answers and reading candidate sentences with the reading model."""

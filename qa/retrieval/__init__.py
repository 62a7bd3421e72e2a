"""Retrieval: rank fusion of the dense and lexical candidates, filters and the question's time frame."""

"""Petitions and reports: clemency and DNA-testing-motion packets assembled from the record."""

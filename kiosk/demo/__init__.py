"""Invented demo content (products, people, jobs) seeded into the separate demo database."""

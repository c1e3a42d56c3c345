"""Catalogue of Shandong's business-environment action plans: import, check, export, site."""

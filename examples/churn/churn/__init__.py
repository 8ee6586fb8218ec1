"""Churn prediction for the telecom team."""

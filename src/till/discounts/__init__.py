"""Discount codes a merchant hands out and a buyer types at checkout."""

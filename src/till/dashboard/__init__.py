"""The merchant dashboard: server-rendered pages over the domain services."""

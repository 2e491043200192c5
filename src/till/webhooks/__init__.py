"""Webhook endpoints, the event outbox and the delivery worker."""

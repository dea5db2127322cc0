"""`opdgen report`: who publishes and who is silent, per agency, from content and git history."""

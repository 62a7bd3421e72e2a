"""Command line and settings of newsdesk."""

"""Chat: turning a follow-up question into a standalone one from the earlier turns."""

"""The payment gateway: reading its signed notifications, and sending refunds out."""

"""The payment gateway: verifying and reading its signed notifications."""

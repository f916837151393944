"""Test helpers shared across suites: databases to test against and entity builders."""

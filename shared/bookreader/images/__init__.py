"""Illustrations: prompts from extracted descriptions, provider calls, validation and storage."""

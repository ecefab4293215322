"""The optional language-model assist: an OpenAI-compatible chat server writes the English
prompt from the passage, its characters and the book, and judges whether it can be drawn.

Off unless PROMPT_ASSIST_URL and PROMPT_ASSIST_MODEL are set. Every answer is validated
(`answer`), cached by content (`cache`), budgeted per user and rate-limited (`budget`), and any
failure falls back to the offline prompt (`assisted`): a picture is never lost to the assist.
"""

from bookreader.images.assist.assisted import AssistOutcome, AssistRequest, assist_prompt
from bookreader.images.assist.client import AssistConfig, assist_config

__all__ = ["AssistConfig", "AssistOutcome", "AssistRequest", "assist_config", "assist_prompt"]

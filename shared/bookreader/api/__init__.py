"""The HTTP contract: request and response models, the table of operations, and the OpenAPI
document and reference page generated from them."""

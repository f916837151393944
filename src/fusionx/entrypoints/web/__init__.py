"""Pages for people: server-rendered templates (Jinja2) over the same use cases as the JSON
API in ``entrypoints/http``, which never imports this package. See docs/pages.md."""

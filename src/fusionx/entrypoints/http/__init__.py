"""The HTTP entrypoint: the Litestar app factory, controllers, wire schemas and error mapping."""

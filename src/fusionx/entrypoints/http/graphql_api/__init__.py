"""The GraphQL read side: ``POST /api/v1/graphql``, over the same query use cases as the
REST routes (``docs/graphql.md``).

Resolvers call the query use cases with the caller's principal, so who may read what is
decided where it is for REST, once; this package only shapes the answer and bounds what
one request may ask for (``limits``).
"""

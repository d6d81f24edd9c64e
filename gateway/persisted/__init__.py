"""Persisted documents: Apollo's Automatic Persisted Queries and the trusted-document list.

``apq`` resolves a request's ``extensions.persistedQuery`` to a document; ``trusted`` holds the
allow-list (an Apollo persisted query manifest) that anonymous callers are held to in
production; ``manifest`` builds that manifest from ``gateway/trusted/*.graphql``.
"""

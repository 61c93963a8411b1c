"""Where the ``Me`` type of the schema being built lives.

Plugins add fields to ``Me`` (``oms_graphql_fields``), so each schema has its own ``Me``
class. Fields that return it annotate ``Annotated["Me", strawberry.lazy("oms.graphql.me_slot")]``;
``oms.graphql.schema.build_schema`` sets :data:`Me` while it builds a schema, and the
built schema keeps the class it used (``schema.me_type``).
"""

Me: type | None = None

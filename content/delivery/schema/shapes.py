"""JSON Schema building blocks for the hand-written documents of the delivery API."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
NULLABLE_STRING: Schema = {"type": ["string", "null"]}
TIMESTAMP: Schema = {"type": "string", "format": "date-time"}
POSITIVE_INTEGER: Schema = {"type": "integer", "minimum": 1}
DISCLAIMER: Schema = {
    "type": "string",
    "description": "The medical disclaimer, on the top-level object of every answer: show it "
    "with the content.",
}


def schema_path(name: str) -> str:
    return f"#/components/schemas/{name}"


def ref(name: str) -> dict[str, str]:
    return {"$ref": schema_path(name)}


def nullable(format: str) -> Schema:
    """A string in ``format``, or null."""
    return {**NULLABLE_STRING, "format": format}


def enum(*values: str) -> Schema:
    return {"type": "string", "enum": list(values)}


def const(value: str) -> Schema:
    return {"type": "string", "const": value}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def obj(properties: Schema, optional: Schema | None = None) -> Schema:
    """An object whose ``properties`` are all required, followed by the ``optional`` ones."""
    return {
        "type": "object",
        "properties": {**properties, **(optional or {})},
        "required": list(properties),
    }


def described(schema: Schema, description: str) -> Schema:
    return {**schema, "description": description}


def answer(properties: Schema) -> Schema:
    """The top-level object of an answer: its properties, then the disclaimer, all required."""
    return obj({**properties, "disclaimer": DISCLAIMER})


def page(item: str) -> Schema:
    """A page of a cursor-paginated list of ``item``."""
    link = nullable("uri")
    return answer({"next": link, "previous": link, "results": array(ref(item))})


def tagged_union(property_name: str, mapping: dict[str, str]) -> Schema:
    """One of the named schemas, told apart by the value of ``property_name``."""
    return {
        "oneOf": [ref(name) for name in mapping.values()],
        "discriminator": {
            "propertyName": property_name,
            "mapping": {value: schema_path(name) for value, name in mapping.items()},
        },
    }

"""The hand-written specs are valid OpenAPI 3.0 and complete against the
reference (docs/api-reference.md): every operation, parameter and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

OPENAPI = Path(__file__).resolve().parent.parent / "openapi"
PICKER = "photospicker.v1.yaml"
LIBRARY = "photoslibrary.v1.yaml"


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((OPENAPI / name).read_text())


@pytest.mark.parametrize("name", [PICKER, LIBRARY])
def test_spec_is_valid_openapi_3_0(name: str) -> None:
    spec = load(name)
    assert spec["openapi"].startswith("3.0.")
    validate(spec)


def test_validator_rejects_a_broken_spec() -> None:
    spec = load(PICKER)
    spec["paths"]["/v1/mediaItems"]["get"]["parameters"][0]["in"] = "body"
    with pytest.raises(OpenAPIValidationError):
        validate(spec)


OPERATIONS = {
    PICKER: {
        ("post", "/v1/sessions"): ("sessions_create", {"requestId": False}),
        ("get", "/v1/sessions/{sessionId}"): ("sessions_get", {"sessionId": True}),
        ("delete", "/v1/sessions/{sessionId}"): ("sessions_delete", {"sessionId": True}),
        ("get", "/v1/mediaItems"): ("media_items_list", {"sessionId": True, "pageSize": False, "pageToken": False}),
    },
    LIBRARY: {
        ("get", "/v1/mediaItems:batchGet"): ("media_items_batch_get", {"mediaItemIds": True}),
    },
}

# field -> (type, format); format None means "no format".
FIELDS: dict[str, dict[str, dict[str, tuple[str, str | None] | str]]] = {
    PICKER: {
        "PickingSession": {
            "id": ("string", None), "pickerUri": ("string", None), "pollingConfig": "PollingConfig",
            "expireTime": ("string", "date-time"), "pickingConfig": "PickingConfig", "mediaItemsSet": ("boolean", None),
        },
        "PollingConfig": {"pollInterval": ("string", "google-duration"), "timeoutIn": ("string", "google-duration")},
        "PickingConfig": {"maxItemCount": ("string", "int64")},
        "ListMediaItemsResponse": {"mediaItems": ("array", None), "nextPageToken": ("string", None)},
        "PickedMediaItem": {"id": ("string", None), "createTime": ("string", "date-time"), "type": "Type", "mediaFile": "MediaFile"},
        "MediaFile": {"baseUrl": ("string", None), "mimeType": ("string", None), "filename": ("string", None), "mediaFileMetadata": "MediaFileMetadata"},
        "MediaFileMetadata": {
            "width": ("integer", "int32"), "height": ("integer", "int32"), "cameraMake": ("string", None),
            "cameraModel": ("string", None), "photoMetadata": "PhotoMetadata", "videoMetadata": "VideoMetadata",
        },
        "PhotoMetadata": {
            "focalLength": ("number", "float"), "apertureFNumber": ("number", "float"),
            "isoEquivalent": ("integer", "int32"), "exposureTime": ("string", "google-duration"),
        },
        "VideoMetadata": {"fps": ("number", "double"), "processingStatus": "VideoProcessingStatus"},
    },
    LIBRARY: {
        "BatchGetMediaItemsResponse": {"mediaItemResults": ("array", None)},
        "MediaItemResult": {"status": "Status", "mediaItem": "MediaItem"},
        "Status": {"code": ("integer", "int32"), "message": ("string", None), "details": ("array", None)},
        "MediaItem": {
            "id": ("string", None), "description": ("string", None), "productUrl": ("string", None), "baseUrl": ("string", None),
            "mimeType": ("string", None), "mediaMetadata": "MediaMetadata", "contributorInfo": "ContributorInfo", "filename": ("string", None),
        },
        "MediaMetadata": {
            "creationTime": ("string", "date-time"), "width": ("string", "int64"), "height": ("string", "int64"),
            "photo": "Photo", "video": "Video",
        },
        "Photo": {
            "cameraMake": ("string", None), "cameraModel": ("string", None), "focalLength": ("number", "float"),
            "apertureFNumber": ("number", "float"), "isoEquivalent": ("integer", "int32"), "exposureTime": ("string", "google-duration"),
        },
        "Video": {"cameraMake": ("string", None), "cameraModel": ("string", None), "fps": ("number", "double"), "status": "VideoProcessingStatus"},
        "ContributorInfo": {"profilePictureBaseUrl": ("string", None), "displayName": ("string", None)},
    },
}

ENUMS = {
    PICKER: {"Type": ["TYPE_UNSPECIFIED", "PHOTO", "VIDEO"], "VideoProcessingStatus": ["UNSPECIFIED", "PROCESSING", "READY", "FAILED"]},
    LIBRARY: {"VideoProcessingStatus": ["UNSPECIFIED", "PROCESSING", "READY", "FAILED"]},
}

READ_ONLY = {
    PICKER: {"PickingSession": {"id", "pickerUri", "pollingConfig", "expireTime", "mediaItemsSet"}, "PollingConfig": {"pollInterval", "timeoutIn"}},
    LIBRARY: {"BatchGetMediaItemsResponse": {"mediaItemResults"}},
}


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return resolve(spec, node["allOf"][0])
    return node


def ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref") or (node.get("allOf") or [{}])[0].get("$ref")
    return ref.rsplit("/", 1)[1] if ref else None


@pytest.mark.parametrize("name", [PICKER, LIBRARY])
def test_every_operation_and_parameter(name: str) -> None:
    spec = load(name)
    for (method, path), (operation_id, parameters) in OPERATIONS[name].items():
        item = spec["paths"][path]
        operation = item[method]
        assert operation["operationId"] == operation_id
        assert operation["description"].strip()
        declared = {p["name"]: p for p in item.get("parameters", []) + operation.get("parameters", [])}
        assert set(declared) == set(parameters), path
        for parameter, required in parameters.items():
            assert declared[parameter].get("required", False) is required, parameter
            assert declared[parameter]["description"].strip()
        # Errors are 4XX/5XX sharing Google's envelope, never `default`.
        assert "default" not in operation["responses"]
        for error_range in ("4XX", "5XX"):
            assert operation["responses"][error_range] == {"$ref": "#/components/responses/GoogleError"}
    assert sum(len(item) for item in spec["paths"].values()) - sum(
        1 for item in spec["paths"].values() if "parameters" in item
    ) == len(OPERATIONS[name])


@pytest.mark.parametrize("name", [PICKER, LIBRARY])
def test_every_schema_has_every_field_with_its_type(name: str) -> None:
    spec = load(name)
    schemas = spec["components"]["schemas"]
    for schema_name, fields in FIELDS[name].items():
        schema = schemas[schema_name]
        assert schema["description"].strip()
        assert set(schema["properties"]) == set(fields), schema_name
        for field, expected in fields.items():
            node = schema["properties"][field]
            assert node["description"].strip() if "$ref" not in node else True, f"{schema_name}.{field}"
            if isinstance(expected, str):
                assert ref_name(node) == expected, f"{schema_name}.{field}"
            else:
                assert (node.get("type"), node.get("format")) == expected, f"{schema_name}.{field}"
            read_only = field in READ_ONLY[name].get(schema_name, set())
            assert node.get("readOnly", False) is read_only, f"{schema_name}.{field} readOnly"


@pytest.mark.parametrize("name", [PICKER, LIBRARY])
def test_enums_and_error_envelope(name: str) -> None:
    spec = load(name)
    schemas = spec["components"]["schemas"]
    for enum, values in ENUMS[name].items():
        assert schemas[enum]["enum"] == values
    error = schemas["ErrorBody"]["properties"]
    assert {"code", "message", "status", "details"} <= set(error)
    response = spec["components"]["responses"]["GoogleError"]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorEnvelope"}


def test_servers_scopes_and_limits() -> None:
    picker, library = load(PICKER), load(LIBRARY)
    assert picker["servers"] == [{"url": "https://photospicker.googleapis.com"}]
    assert library["servers"] == [{"url": "https://photoslibrary.googleapis.com"}]
    assert picker["security"] == [{"oauth2": ["https://www.googleapis.com/auth/photospicker.mediaitems.readonly"]}]
    assert library["security"] == [{"oauth2": ["https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata"]}]
    request_id = picker["paths"]["/v1/sessions"]["post"]["parameters"][0]["schema"]["pattern"]
    import re

    assert re.fullmatch(request_id, "123e4567-e89b-42d3-a456-426614174000")
    # Google documents the 8-4-4-4-12 form only: ids with other version/variant digits pass.
    assert re.fullmatch(request_id, "123e4567-e89b-02d3-0456-426614174000")
    assert not re.fullmatch(request_id, "123e4567e89b02d30456426614174000")
    assert not re.fullmatch(request_id, "not-a-uuid")
    ids = library["paths"]["/v1/mediaItems:batchGet"]["get"]["parameters"][0]
    assert (ids["style"], ids["explode"]) == ("form", True)
    assert (ids["schema"]["minItems"], ids["schema"]["maxItems"], ids["schema"]["uniqueItems"]) == (1, 50, True)


REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "api-reference.md"


def reference_tables() -> dict[str, set[str]]:
    """Field names of each `### Schema` table in docs/api-reference.md's Picker section."""
    tables: dict[str, set[str]] = {}
    schema = None
    for line in REFERENCE.read_text().split("## 3.")[0].splitlines():
        if line.startswith("### "):
            schema = line[4:].split(" ")[0]
        elif schema and line.startswith("| `"):
            tables.setdefault(schema, set()).add(line.split("`")[1])
    return tables


def test_the_projects_reference_and_the_picker_spec_name_the_same_fields() -> None:
    tables = reference_tables()
    assert {"PickingSession", "PollingConfig", "PickedMediaItem", "MediaFile", "MediaFileMetadata", "PhotoMetadata", "VideoMetadata"} <= set(tables)
    schemas = load(PICKER)["components"]["schemas"]
    for schema, fields in tables.items():
        assert set(schemas[schema]["properties"]) == fields, schema

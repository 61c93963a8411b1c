"""Warehouses and stock through the staff API: createWarehouse, updateWarehouse,
warehouses, adjustStock with its audit trail (setStock too), Variant.stockLevels, and
the low-stock threshold and query."""

from __future__ import annotations

import dataclasses

import pytest

from oms.config import Settings
from oms.graphql.common import to_global_id
from oms.inventory.models import Stock, StockAdjustment, Warehouse
from tests.conftest import ADDRESS, PLACE_ORDER

WAREHOUSE_FIELDS = "id code name priority address { name line1 city postalCode country }"
CREATE = f"""
mutation Create($input: WarehouseInput!) {{
  createWarehouse(input: $input) {{ warehouse {{ {WAREHOUSE_FIELDS} }} userErrors {{ field code message }} }}
}}
"""
UPDATE = f"""
mutation Update($id: ID!, $input: WarehouseInput!) {{
  updateWarehouse(id: $id, input: $input) {{ warehouse {{ {WAREHOUSE_FIELDS} }} userErrors {{ field code message }} }}
}}
"""
WAREHOUSES = f"query {{ warehouses {{ {WAREHOUSE_FIELDS} }} }}"
ADJUST = """
mutation Adjust($input: AdjustStockInput!) {
  adjustStock(input: $input) {
    variant { sku quantityAvailable stockLevels { warehouse { code } quantity reserved available } }
    userErrors { field code message }
  }
}
"""
SET_STOCK = """
mutation SetStock($input: SetStockInput!) {
  setStock(input: $input) { variant { sku quantityAvailable } userErrors { field code message } }
}
"""
TRAIL = """
query Trail($sku: String, $warehouse: String, $first: Int, $after: String) {
  stockAdjustments(sku: $sku, warehouse: $warehouse, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { sku variant { sku } warehouse { code } delta reason quantityAfter actor createdAt } }
  }
}
"""
THRESHOLD = """
mutation Threshold($input: SetLowStockThresholdInput!) {
  setLowStockThreshold(input: $input) {
    variant { stockLevels { warehouse { code } lowStockThreshold isLow } }
    userErrors { field code message }
  }
}
"""
LOW = """
query Low($first: Int, $after: String) {
  lowStock(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { variant { sku } warehouse { code } available lowStockThreshold isLow } }
  }
}
"""
STOCK_LEVELS = """
query Levels($slug: String) { product(slug: $slug) { variants { sku stockLevels { warehouse { code } quantity } } } }
"""
BERLIN = {"name": "oms Berlin", "line1": "Lagerstr. 1", "city": "Berlin", "postalCode": "10115", "country": "de"}


@pytest.fixture
def staff(oms_graphql, oms_accounts):
    return oms_graphql.as_(oms_accounts.staff)


async def _create(staff, **input_) -> dict:
    data = await staff.query(CREATE, {"input": {"name": "Warehouse", **input_}})
    return data["createWarehouse"]


# --- warehouses ---------------------------------------------------------------------------


async def test_create_list_and_update_a_warehouse(staff):
    created = await _create(staff, code="berlin", name="Berlin", address=BERLIN, priority=5)
    assert created["userErrors"] == []
    berlin = created["warehouse"]
    assert berlin["address"] == {"name": "oms Berlin", "line1": "Lagerstr. 1", "city": "Berlin",
                                 "postalCode": "10115", "country": "DE"}  # normalized
    await _create(staff, code="leeds", name="Leeds", priority=1)

    listed = (await staff.query(WAREHOUSES))["warehouses"]
    assert [(w["code"], w["priority"]) for w in listed] == [("leeds", 1), ("berlin", 5)]

    updated = await staff.query(UPDATE, {"id": berlin["id"], "input": {"code": "berlin-1", "name": "Berlin Nord"}})
    assert updated["updateWarehouse"]["userErrors"] == []
    row = await Warehouse.get(code="berlin-1")
    # A full replacement of code, name and address; the priority, omitted, is kept.
    assert (row.name, row.address, row.priority) == ("Berlin Nord", None, 5)


@pytest.mark.parametrize(
    ("input_", "errors"),
    [
        pytest.param({"code": " ", "name": "X"}, [("REQUIRED", ["code"])], id="empty-code"),
        pytest.param({"code": "a b", "name": "X"}, [("INVALID", ["code"])], id="space-in-code"),
        pytest.param({"code": "x" * 65, "name": "X"}, [("INVALID", ["code"])], id="long-code"),
        pytest.param({"code": "x", "name": ""}, [("REQUIRED", ["name"])], id="empty-name"),
        pytest.param({"code": "x", "name": "X", "priority": 10**7}, [("INVALID", ["priority"])], id="priority"),
        pytest.param(
            {"code": "x", "name": "X", "address": {**BERLIN, "city": " ", "country": "Germany"}},
            [("REQUIRED", ["address", "city"]), ("INVALID", ["address", "country"])],
            id="bad-address",
        ),
    ],
)
async def test_create_warehouse_refuses_bad_input(staff, input_, errors):
    created = await _create(staff, **input_)
    assert created["warehouse"] is None
    assert [(e["code"], e["field"]) for e in created["userErrors"]] == errors
    assert await Warehouse.all().count() == 0


async def test_a_warehouse_code_is_unique(staff):
    first = await _create(staff, code="berlin")
    again = await _create(staff, code="berlin")
    other = await _create(staff, code="leeds")
    renamed = await staff.query(UPDATE, {"id": other["warehouse"]["id"], "input": {"code": "berlin", "name": "L"}})

    assert first["userErrors"] == []
    assert [(e["code"], e["field"]) for e in again["userErrors"]] == [("INVALID", ["code"])]
    assert [(e["code"], e["field"]) for e in renamed["updateWarehouse"]["userErrors"]] == [("INVALID", ["code"])]
    assert await Warehouse.filter(code="berlin").count() == 1


async def test_update_refuses_an_unknown_warehouse_and_renaming_the_default(staff, catalog):
    default = await Warehouse.get(code="default")
    unknown = await staff.query(UPDATE, {"id": to_global_id("Warehouse", 999), "input": {"code": "x", "name": "X"}})
    bad_id = await staff.query(UPDATE, {"id": "nope", "input": {"code": "x", "name": "X"}})
    renamed = await staff.query(
        UPDATE, {"id": to_global_id("Warehouse", default.id), "input": {"code": "main", "name": "Main"}}
    )
    addressed = await staff.query(
        UPDATE, {"id": to_global_id("Warehouse", default.id), "input": {"code": "default", "name": "Main",
                                                                         "address": BERLIN}}
    )

    assert [(e["code"], e["field"]) for e in unknown["updateWarehouse"]["userErrors"]] == [("NOT_FOUND", ["id"])]
    assert [(e["code"], e["field"]) for e in bad_id["updateWarehouse"]["userErrors"]] == [("INVALID", ["id"])]
    assert [(e["code"], e["field"]) for e in renamed["updateWarehouse"]["userErrors"]] == [("INVALID", ["code"])]
    assert addressed["updateWarehouse"]["warehouse"]["address"]["city"] == "Berlin"


async def test_warehouses_are_for_staff_with_manage_catalog(oms_graphql, oms_accounts):
    for client in (oms_graphql, oms_graphql.as_(oms_accounts.customer)):
        body = await client.execute(WAREHOUSES)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
        created = (await client.query(CREATE, {"input": {"code": "x", "name": "X"}}))["createWarehouse"]
        assert [e["code"] for e in created["userErrors"]] == ["PERMISSION_DENIED"]
        adjusted = (await client.query(ADJUST, {"input": {"sku": "MUG", "delta": 1, "reason": "x"}}))["adjustStock"]
        assert [e["code"] for e in adjusted["userErrors"]] == ["PERMISSION_DENIED"]
    assert await Warehouse.all().count() == 0


# --- adjustments and the trail --------------------------------------------------------------


async def test_adjust_stock_adds_and_removes_units_on_the_trail(staff, catalog):
    await _create(staff, code="leeds", name="Leeds")
    added = await staff.query(ADJUST, {"input": {"sku": "MUG", "warehouse": "leeds", "delta": 7, "reason": "delivery"}})
    removed = await staff.query(ADJUST, {"input": {"sku": "MUG", "delta": -3, "reason": " broken "}})

    assert added["adjustStock"]["userErrors"] == []
    variant = removed["adjustStock"]["variant"]
    assert variant["quantityAvailable"] == 50 + 7 - 3
    assert {(s["warehouse"]["code"], s["quantity"]) for s in variant["stockLevels"]} == {("default", 47), ("leeds", 7)}

    trail = (await staff.query(TRAIL, {"sku": "MUG"}))["stockAdjustments"]
    rows = [(n["node"]["warehouse"]["code"], n["node"]["delta"], n["node"]["reason"], n["node"]["quantityAfter"],
             n["node"]["actor"], n["node"]["variant"]["sku"]) for n in trail["edges"]]
    assert rows == [  # newest first; make_product's setStock is the first entry
        ("default", -3, "broken", 47, "staff@example.com", "MUG"),
        ("leeds", 7, "delivery", 7, "staff@example.com", "MUG"),
        ("default", 50, "set", 50, "system", "MUG"),
    ]
    assert trail["totalCount"] == 3
    only_leeds = (await staff.query(TRAIL, {"warehouse": "leeds"}))["stockAdjustments"]
    assert [n["node"]["delta"] for n in only_leeds["edges"]] == [7]


async def test_set_stock_is_on_the_trail_with_reason_set(staff, catalog):
    await staff.query(SET_STOCK, {"input": {"sku": "MUG", "quantity": 20}})
    await staff.query(SET_STOCK, {"input": {"sku": "MUG", "quantity": 20}})
    refused = await staff.query(SET_STOCK, {"input": {"sku": "MUG", "quantity": -1}})

    assert [e["code"] for e in refused["setStock"]["userErrors"]] == ["INVALID"]
    trail = (await staff.query(TRAIL, {"sku": "MUG"}))["stockAdjustments"]["edges"]
    assert [(n["node"]["delta"], n["node"]["reason"], n["node"]["quantityAfter"], n["node"]["actor"])
            for n in trail] == [
        (0, "set", 20, "staff@example.com"),
        (-30, "set", 20, "staff@example.com"),
        (50, "set", 50, "system"),
    ]


async def test_the_trail_pages_newest_first(staff, catalog):
    for i in range(1, 6):
        await staff.query(ADJUST, {"input": {"sku": "MUG", "delta": i, "reason": f"r{i}"}})
    seen: list[str] = []
    after = None
    while True:
        page = (await staff.query(TRAIL, {"sku": "MUG", "first": 2, "after": after}))["stockAdjustments"]
        seen += [edge["node"]["reason"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["r5", "r4", "r3", "r2", "r1", "set"]


async def test_a_negative_adjustment_never_goes_below_reserved(staff, oms_graphql, catalog):
    placed = await oms_graphql.query(PLACE_ORDER, {"input": {
        "lines": [{"sku": "MUG", "quantity": 45}], "email": "guest@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": "k-1",
    }})
    assert placed["placeOrder"]["userErrors"] == []

    too_many = await staff.query(ADJUST, {"input": {"sku": "MUG", "delta": -6, "reason": "count"}})
    exact = await staff.query(ADJUST, {"input": {"sku": "MUG", "delta": -5, "reason": "count"}})
    again = await staff.query(ADJUST, {"input": {"sku": "MUG", "delta": -1, "reason": "count"}})

    assert too_many["adjustStock"]["variant"] is None
    errors = too_many["adjustStock"]["userErrors"]
    assert [(e["code"], e["field"]) for e in errors] == [("INVALID", ["delta"])]
    assert "45 reserved" in errors[0]["message"]
    assert exact["adjustStock"]["variant"]["stockLevels"] == [
        {"warehouse": {"code": "default"}, "quantity": 45, "reserved": 45, "available": 0}
    ]
    assert [e["code"] for e in again["adjustStock"]["userErrors"]] == ["INVALID"]
    stock = await Stock.get(variant__sku="MUG")
    assert (stock.quantity, stock.reserved) == (45, 45)
    assert await StockAdjustment.filter(reason="count").count() == 1  # refusals write nothing


@pytest.mark.parametrize(
    ("input_", "code", "field"),
    [
        pytest.param({"sku": "NOPE", "delta": 1, "reason": "x"}, "NOT_FOUND", ["sku"], id="unknown-sku"),
        pytest.param({"sku": "EBOOK", "delta": 1, "reason": "x"}, "INVALID", ["sku"], id="untracked"),
        pytest.param({"sku": "MUG", "delta": 0, "reason": "x"}, "INVALID", ["delta"], id="zero-delta"),
        pytest.param({"sku": "MUG", "delta": 2**31 - 1, "reason": "x"}, "INVALID", ["delta"], id="huge-delta"),
        pytest.param({"sku": "MUG", "delta": 1, "reason": "  "}, "REQUIRED", ["reason"], id="empty-reason"),
        pytest.param({"sku": "MUG", "delta": 1, "reason": "x" * 501}, "INVALID", ["reason"], id="long-reason"),
        pytest.param({"sku": "MUG", "delta": 1, "reason": "x", "warehouse": "mars"}, "NOT_FOUND", ["warehouse"],
                     id="unknown-warehouse"),
        pytest.param({"sku": "MUG", "delta": -1, "reason": "x", "warehouse": "leeds"}, "INVALID", ["delta"],
                     id="nothing-to-remove"),
    ],
)
async def test_adjust_stock_refuses_bad_input(staff, catalog, input_, code, field):
    await _create(staff, code="leeds", name="Leeds")
    data = (await staff.query(ADJUST, {"input": input_}))["adjustStock"]

    assert data["variant"] is None
    assert [(e["code"], e["field"]) for e in data["userErrors"]] == [(code, field)]
    assert await StockAdjustment.exclude(reason="set").count() == 0


async def test_adding_near_the_column_limit_is_refused_not_a_crash(staff, catalog):
    await staff.query(SET_STOCK, {"input": {"sku": "MUG", "quantity": 2**31 - 10}})
    data = (await staff.query(ADJUST, {"input": {"sku": "MUG", "delta": 100, "reason": "x"}}))["adjustStock"]
    assert [(e["code"], e["field"]) for e in data["userErrors"]] == [("INVALID", ["delta"])]


async def test_stock_levels_are_staff_only(oms_graphql, oms_accounts, catalog):
    staff_view = await oms_graphql.as_(oms_accounts.staff).query(STOCK_LEVELS, {"slug": "product-mug"})
    public = await oms_graphql.execute(STOCK_LEVELS, {"slug": "product-mug"})

    assert staff_view["product"]["variants"] == [
        {"sku": "MUG", "stockLevels": [{"warehouse": {"code": "default"}, "quantity": 50}]}
    ]
    assert public["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


# --- low stock ---------------------------------------------------------------------------------


@pytest.fixture
def oms_settings(oms_settings):
    return dataclasses.replace(oms_settings, low_stock_threshold=3)


async def test_low_stock_uses_the_row_threshold_or_the_store_default(staff, oms_app):
    from oms.testing import make_product

    for sku, stock in (("A", 3), ("B", 4), ("C", 10), ("D", 0)):
        await make_product(oms_app, product_type="physical", sku=sku, attributes={"weight_grams": 1}, stock=stock)
    set_c = await staff.query(THRESHOLD, {"input": {"sku": "C", "threshold": 10}})
    set_d = await staff.query(THRESHOLD, {"input": {"sku": "D", "threshold": 0}})

    assert set_c["setLowStockThreshold"]["variant"]["stockLevels"] == [
        {"warehouse": {"code": "default"}, "lowStockThreshold": 10, "isLow": True}
    ]
    assert set_d["setLowStockThreshold"]["userErrors"] == []
    low = (await staff.query(LOW))["lowStock"]
    # A: 3 <= default 3; B: 4 > 3; C: 10 <= its own 10; D: 0 <= its own 0.
    assert [(e["node"]["variant"]["sku"], e["node"]["available"]) for e in low["edges"]] == [
        ("A", 3), ("C", 10), ("D", 0)
    ]
    assert low["totalCount"] == 3

    cleared = await staff.query(THRESHOLD, {"input": {"sku": "C", "threshold": None}})
    assert cleared["setLowStockThreshold"]["variant"]["stockLevels"][0] == {
        "warehouse": {"code": "default"}, "lowStockThreshold": None, "isLow": False
    }
    page1 = (await staff.query(LOW, {"first": 1}))["lowStock"]
    page2 = (await staff.query(LOW, {"first": 1, "after": page1["pageInfo"]["endCursor"]}))["lowStock"]
    assert [e["node"]["variant"]["sku"] for e in page1["edges"] + page2["edges"]] == ["A", "D"]
    assert (page1["pageInfo"]["hasNextPage"], page2["pageInfo"]["hasNextPage"]) == (True, False)


async def test_reserved_units_count_against_low_stock(staff, oms_graphql, catalog):
    assert (await staff.query(LOW))["lowStock"]["totalCount"] == 0
    placed = await oms_graphql.query(PLACE_ORDER, {"input": {
        "lines": [{"sku": "MUG", "quantity": 47}], "email": "guest@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": "k-1",
    }})
    assert placed["placeOrder"]["userErrors"] == []
    low = (await staff.query(LOW))["lowStock"]
    assert [(e["node"]["variant"]["sku"], e["node"]["available"]) for e in low["edges"]] == [("MUG", 3)]


@pytest.mark.parametrize(
    ("input_", "code", "field"),
    [
        pytest.param({"sku": "MUG", "threshold": -1}, "INVALID", ["threshold"], id="negative"),
        pytest.param({"sku": "EBOOK", "threshold": 1}, "INVALID", ["sku"], id="untracked"),
        pytest.param({"sku": "MUG", "threshold": 1, "warehouse": "mars"}, "NOT_FOUND", ["warehouse"], id="warehouse"),
    ],
)
async def test_set_low_stock_threshold_refuses_bad_input(staff, catalog, input_, code, field):
    data = (await staff.query(THRESHOLD, {"input": input_}))["setLowStockThreshold"]
    assert [(e["code"], e["field"]) for e in data["userErrors"]] == [(code, field)]


def test_the_store_threshold_is_read_and_checked():
    assert Settings.from_env({"OMS_LOW_STOCK_THRESHOLD": "12"}).low_stock_threshold == 12
    with pytest.raises(ValueError, match="OMS_LOW_STOCK_THRESHOLD"):
        Settings.from_env({"OMS_LOW_STOCK_THRESHOLD": "-1"})
    with pytest.raises(ValueError, match="OMS_LOW_STOCK_THRESHOLD"):
        Settings.from_env({"OMS_LOW_STOCK_THRESHOLD": "few"})


async def test_a_warehouse_is_a_node_for_staff_only(oms_graphql, oms_accounts, staff):
    created = (await _create(staff, code="leeds", name="Leeds"))["warehouse"]
    node = "query Node($id: ID!) { node(id: $id) { ... on Warehouse { code name } } }"

    assert (await staff.query(node, {"id": created["id"]}))["node"] == {"code": "leeds", "name": "Leeds"}
    assert (await oms_graphql.as_(oms_accounts.customer).query(node, {"id": created["id"]}))["node"] is None

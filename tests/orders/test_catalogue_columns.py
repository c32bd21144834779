"""Catalogue columns for orders: stock, retailer id (SKU), services and their duration, from CSV and REST."""

from __future__ import annotations

import requests

from mtaabot.products import import_csv
from tests.webhook.conftest import App, create_shop


def test_csv_import_takes_the_order_columns_and_a_later_file_without_them_keeps_them(conn, wa_env):
    shop = create_shop(conn)
    report = import_csv(conn, shop["id"], "name,price,stock,sku,is_service,duration_minutes\n"
                                          "Sugar 1kg,190,25,SKU-1,,\n"
                                          "Box Braids,2500,,,true,240\n"
                                          "Bad Stock,10,-3,,,\n"
                                          "Bad Service,10,,,maybe,\n")
    assert report.inserted == 1 and report.updated == 1  # Sugar 1kg existed: now tracked
    assert [e["line"] for e in report.errors] == [4, 5] and "stock" in report.errors[0]["error"]
    rows = {r["name"]: r for r in conn.execute("SELECT * FROM products WHERE business_id = %s", (shop["id"],))}
    assert (rows["Sugar 1kg"]["stock"], rows["Sugar 1kg"]["retailer_id"]) == (25, "SKU-1")
    assert rows["Box Braids"]["is_service"] and rows["Box Braids"]["duration_minutes"] == 240
    again = import_csv(conn, shop["id"], "name,description,price,currency,is_available,metadata\n"
                                         "Sugar 1kg,Sukari,195,KES,true,\n")
    assert again.updated == 1
    sugar = conn.execute("SELECT * FROM products WHERE business_id = %s AND name = 'Sugar 1kg'",
                         (shop["id"],)).fetchone()
    assert (sugar["price"], sugar["stock"], sugar["retailer_id"]) == (195, 25, "SKU-1")


def test_rest_products_carry_stock_and_sku(app: App, conn, wa_env):
    shop = create_shop(conn)
    headers = {"Authorization": f"Bearer {shop['api_key']}"}
    made = requests.post(app.url + "/api/v1/products", json={"name": "Rice 2kg", "price": 320, "stock": 4,
                                                             "retailer_id": "SKU-RICE"}, headers=headers, timeout=10)
    assert made.status_code == 201, made.text
    assert made.json()["stock"] == 4 and made.json()["retailer_id"] == "SKU-RICE"
    bad = requests.post(app.url + "/api/v1/products", json={"name": "Oops", "price": 1, "stock": -1},
                        headers=headers, timeout=10)
    assert bad.status_code == 422 and any(d["field"] == "stock" for d in bad.json()["details"])
    pid = made.json()["id"]
    patched = requests.patch(f"{app.url}/api/v1/products/{pid}", json={"stock": 0}, headers=headers, timeout=10)
    assert patched.status_code == 200 and patched.json()["stock"] == 0 and patched.json()["retailer_id"] == "SKU-RICE"

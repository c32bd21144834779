"""REST billing API over HTTP: pay and status with the business API key; one business never sees another."""

from __future__ import annotations

import requests

from mtaabot.businesses import create_business


def test_pay_and_status_with_api_key(conn, business, fake_daraja, webhook_url):
    other = create_business(conn, name="Salon ya Wanjiru", whatsapp_number="0711000303")
    conn.commit()
    auth = {"Authorization": f"Bearer {business['api_key']}"}
    paid = requests.post(f"{webhook_url}/api/v1/billing/pay", json={"plan": "pro", "phone": "0712 345 678"},
                         headers=auth, timeout=10)
    assert paid.status_code == 202, paid.text
    payment = paid.json()
    assert payment["status"] == "pending" and payment["amount_kes"] == 2999 and payment["phone"] == "254712345678"
    assert fake_daraja.send_callback(payment["checkout_request_id"], 0, receipt="APIRCPT001").status_code == 200

    mine = requests.get(f"{webhook_url}/api/v1/billing", headers=auth, timeout=10).json()
    assert mine["status"] == "active" and mine["plan"] == "pro" and mine["payments"][0]["receipt"] == "APIRCPT001"
    theirs = requests.get(f"{webhook_url}/api/v1/billing",
                          headers={"Authorization": f"Bearer {other['api_key']}"}, timeout=10).json()
    assert theirs["status"] == "trial" and theirs["payments"] == [] and theirs["business"] == "Salon ya Wanjiru"


def test_api_rejects_bad_key_and_bad_input(conn, business, fake_daraja, webhook_url):
    url = f"{webhook_url}/api/v1/billing/pay"
    auth = {"Authorization": f"Bearer {business['api_key']}"}
    assert requests.get(f"{webhook_url}/api/v1/billing", timeout=10).status_code == 401
    assert requests.post(url, json={"plan": "pro", "phone": "0712345678"},
                         headers={"Authorization": "Bearer mtb_wrong"}, timeout=10).status_code == 401
    bad_phone = requests.post(url, json={"plan": "pro", "phone": "0712"}, headers=auth, timeout=10)
    assert bad_phone.status_code == 400 and "not a" in bad_phone.json()["error"]
    bad_plan = requests.post(url, json={"plan": "gold", "phone": "0712345678"}, headers=auth, timeout=10)
    assert bad_plan.status_code == 400 and "lite, pro, enterprise" in bad_plan.json()["error"]
    assert requests.post(url, data=b"[1,2", headers=auth, timeout=10).status_code == 400
    assert fake_daraja.requests_to("/mpesa/stkpush/v1/processrequest") == []
    fake_daraja.push_errors.append((503, {"errorCode": "503.001.01", "errorMessage": "Service unavailable"}))
    down = requests.post(url, json={"plan": "lite", "phone": "0712345678"}, headers=auth, timeout=10)
    assert down.status_code == 502 and "Service unavailable" in down.json()["error"]

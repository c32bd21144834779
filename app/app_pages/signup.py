"""Self-serve onboarding: open a shop, save the key once, products (CSV), WhatsApp, plan and M-Pesa.

Shown to visitors when the operator turned sign-up on (MTAABOT_DASHBOARD_SIGNUP), and to an owner whose
set-up is not finished: every step is remembered in the database, so it resumes where it stopped."""

from __future__ import annotations

import payflow
import streamlit as st
import ui
from ui import t

from mtaabot.dashboard import auth, i18n, onboarding, records

STEP_TITLES = {"key_saved_at": "signup.step_key", "catalogue_at": "signup.step_catalogue",
               "whatsapp_at": "signup.step_whatsapp", "plan_at": "signup.step_plan"}
TOTAL = len(onboarding.STEPS) + 1


def _heading(number: int, key: str) -> None:
    st.title(t("nav.setup"))
    st.progress(number / TOTAL, text=f"{t('signup.steps', n=number, total=TOTAL)} · {t(key)}")


def _problem(exc: onboarding.SignupProblem) -> None:
    st.error(t(exc.key, **exc.fields))


def _open_shop() -> None:
    if not onboarding.signup_enabled():
        st.title(t("nav.signup"))
        st.info(t("signup.off"))
        return
    ui.language_switch()
    _heading(1, "signup.step_shop")
    st.caption(t("signup.shop_intro"))
    name = st.text_input(t("signup.name"), key="signup_name", max_chars=120)
    samples = {tone: onboarding.sample_reply(tone, ui.lang(), name) for tone in onboarding.TONES}
    tone = st.radio(t("signup.tone"), list(onboarding.TONES), key="signup_tone",
                    format_func={x: t(f"signup.tone_{x}") for x in onboarding.TONES}.__getitem__,
                    captions=[t("signup.sample", reply=samples[x]) for x in onboarding.TONES])
    number = st.text_input(t("signup.whatsapp_number"), key="signup_number", placeholder=t("signup.whatsapp_help"))
    location = st.text_input(t("signup.location"), key="signup_location", placeholder=t("signup.location_placeholder"))
    hours = st.text_input(t("signup.hours"), key="signup_hours", placeholder=t("signup.hours_placeholder"))
    if st.button(t("signup.create"), key="signup_create", type="primary"):
        try:
            with ui.db() as conn:
                row = onboarding.open_shop(conn, name=name, tone=tone, whatsapp_number=number, location=location,
                                           opening_hours=hours)
        except onboarding.SignupProblem as exc:
            _problem(exc)
            return
        st.session_state["signup_api_key"] = (str(row["id"]), row["api_key"])
        st.session_state[ui.LANG_CHOSEN] = True  # keep the language they set the shop up in
        with ui.db() as conn:
            owner = auth.sign_in_owner(conn, row["api_key"])  # signed in exactly as with the key on the login page
        if owner is not None:
            ui.sign_in_as(owner)
        st.rerun()


def _save_key(business_id: str) -> None:
    kept = st.session_state.get("signup_api_key")
    st.subheader(t("signup.key_title"))
    if kept and kept[0] == business_id:
        st.warning(t("signup.key_once"))
        st.code(kept[1], language=None)
        st.download_button(t("signup.key_download"), data=f"MtaaBot API key: {kept[1]}\n",
                           file_name="mtaabot-key.txt", key="signup_key_download")
        saved = st.checkbox(t("signup.key_saved"), key="signup_key_saved")
    else:
        st.info(t("signup.key_gone"))
        saved = True
    if st.button(t("signup.continue"), key="signup_key_continue", type="primary", disabled=not saved):
        with ui.db() as conn:
            onboarding.mark(conn, business_id, "key_saved_at")
        st.session_state.pop("signup_api_key", None)  # never shown again
        st.rerun()


def _catalogue(business_id: str) -> None:
    st.caption(t("signup.catalogue_intro"))
    upload = st.file_uploader(t("products.csv_file"), type=["csv"], key="signup_csv")
    if upload is not None and st.button(t("products.import"), key="signup_import"):
        with ui.db() as conn:
            report = records.import_products(conn, business_id, upload.getvalue())
        st.session_state["signup_import_report"] = report
    report = st.session_state.get("signup_import_report")
    if report is not None:
        st.success(t("products.imported", inserted=report.inserted, updated=report.updated,
                     unchanged=report.unchanged))
        if report.errors:
            st.error(t("products.row_errors", n=len(report.errors)))
            ui.table("signup_csv_errors", [{t("products.line"): e.get("line"), t("products.name"): e.get("name") or "",
                                            t("products.error"): i18n.csv_error(ui.lang(), e["error"])}
                                           for e in report.errors], title_column=t("products.line"))
    with ui.db() as conn:
        count = len(records.product_rows(conn, business_id))
    st.caption(t("signup.catalogue_count", n=i18n.number(count)))
    cols = st.columns(2)
    if cols[0].button(t("signup.continue"), key="signup_catalogue_continue", type="primary", disabled=count == 0):
        _done("catalogue_at")
    if cols[1].button(t("signup.skip"), key="signup_catalogue_skip"):
        _done("catalogue_at")


def _whatsapp(business_id: str) -> None:
    st.caption(t("signup.whatsapp_intro"))
    connected = st.session_state.get("signup_connected")
    if connected and connected[0] == business_id:
        st.success(t(connected[1], **connected[2]))
        st.info(t("signup.webhook_hint", url=onboarding.webhook_url(), token=connected[3]))
        if st.button(t("signup.continue"), key="signup_whatsapp_continue", type="primary"):
            st.session_state.pop("signup_connected", None)
            _done("whatsapp_at")
        return
    with st.form("signup_whatsapp"):
        number_id = st.text_input(t("signup.phone_number_id"), key="signup_number_id")
        token = st.text_input(t("signup.access_token"), key="signup_token", type="password")
        tested = st.form_submit_button(t("signup.test_connection"), key="signup_test", type="primary")
    if tested:
        check = onboarding.check_whatsapp(number_id, token)
        if not check.ok:
            st.error(t(check.key, **check.fields))
        else:
            try:
                with ui.db() as conn:
                    verify = onboarding.connect_whatsapp(conn, business_id, number_id, token)
            except onboarding.SignupProblem as exc:
                _problem(exc)
            else:
                st.session_state["signup_connected"] = (business_id, check.key, check.fields, verify)
                st.rerun()
    if st.button(t("signup.skip"), key="signup_whatsapp_skip"):
        _done("whatsapp_at")


def _plan(business_id: str) -> None:
    st.caption(t("signup.plan_intro"))
    with ui.db() as conn:
        phone = records.owner_phone(conn, business_id) or (conn.execute(
            "SELECT whatsapp_number FROM businesses WHERE id = %s", (business_id,)).fetchone() or {}).get(
            "whatsapp_number") or ""
    payflow.plan_form(business_id, "signup_pay", phone)
    state = payflow.payment_status(business_id, "signup_pay")
    if state == "active":
        if st.button(t("signup.continue"), key="signup_plan_continue", type="primary"):
            _done("plan_at")
    elif st.button(t("signup.stay_on_trial"), key="signup_trial"):
        _done("plan_at")


def _done(step: str) -> None:
    with ui.db() as conn:
        row = onboarding.mark(conn, ui.require_user().business_id, step)
    if row is not None and row["completed_at"] is not None:
        st.session_state["setup_done"] = True
    st.rerun()


user = ui.current_user()
if user is None:
    _open_shop()
else:
    business_id, shop = ui.business()
    with ui.db() as conn:
        row = onboarding.progress(conn, business_id)
    step = onboarding.next_step(row)
    if step is None:
        st.title(t("nav.setup"))
        st.success(t("signup.done"))
        st.page_link("app_pages/overview.py", label=t("signup.go_overview"), icon=":material/insights:")
    else:
        _heading(onboarding.STEPS.index(step) + 2, STEP_TITLES[step])
        st.caption(shop)
        {"key_saved_at": _save_key, "catalogue_at": _catalogue, "whatsapp_at": _whatsapp,
         "plan_at": _plan}[step](business_id)

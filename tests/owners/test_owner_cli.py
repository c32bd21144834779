"""`mtaabot ask --customer OWNER_PHONE "PAUSE"` goes through the same owner-command path as WhatsApp: the real
console script, the owner set by `business create --owner-phone`, the JSON's `owner_command`."""

from __future__ import annotations

import json


def test_the_owner_steers_the_shop_from_the_command_line(run_cli, conn) -> None:
    made = run_cli("business", "create", "--name", "Skripti Duka", "--tone", "mtaa", "--whatsapp-number",
                   "0711000456", "--owner-phone", "0722000456")
    assert made.returncode == 0, made.stderr

    def ask(phone: str, text: str) -> dict:
        done = run_cli("ask", "--business", "Skripti Duka", "--customer", phone, text)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    stranger = ask("0733000456", "PAUSE")  # not an owner: a customer message, nothing paused
    assert stranger["owner_command"] is None and stranger["reply"]
    paused = ask("+254722000456", "SIMAMISHA")  # the owner's number in another spelling
    assert paused["owner_command"] == "pause" and "imesimamishwa" in paused["reply"]
    quiet = ask("0733000456", "Habari, mko wazi?")
    assert quiet["reply"] is None and quiet["owner_command"] is None  # stored, not answered
    assert conn.execute("SELECT count(*) AS n FROM messages WHERE content = 'Habari, mko wazi?'").fetchone()["n"] == 1
    resumed = ask("0722000456", "RESUME")
    assert resumed["owner_command"] == "resume"
    assert conn.execute("SELECT paused_at FROM businesses WHERE name = 'Skripti Duka'").fetchone()["paused_at"] is None
    # what the customer wrote during the pause is answered on RESUME, as the worker does over WhatsApp ("itazijibu
    # ikiwashwa": it stayed unanswered through `mtaabot ask`; customer tests s26, s27)
    kept = conn.execute("""SELECT r.content FROM messages m JOIN messages r ON r.reply_to = m.id
                           WHERE m.content = 'Habari, mko wazi?'""").fetchall()
    assert len(kept) == 1 and kept[0]["content"], kept

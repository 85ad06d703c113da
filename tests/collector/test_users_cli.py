"""`sangsuk-collector users`: the first admin from the terminal, the password never an argument."""

import io
import sys

import pytest

from collector.auth.accounts import Accounts
from collector.auth.passwords import PasswordRejectedError, check_new_password
from collector.cli import main
from collector.store import CollectorStore


def run(capsys, monkeypatch, db, *args, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["users", "--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out + err


def test_the_first_admin_is_made_with_the_password_from_stdin(tmp_path, capsys, monkeypatch):
    db = tmp_path / "c.sqlite3"
    code, said = run(
        capsys, monkeypatch, db, "add", "somchai", "--role", "admin", stdin="a fine admin phrase\n"
    )
    assert code == 0, said
    assert "somchai created with the admin role" in said
    with CollectorStore(db) as store:
        accounts = Accounts(store)
        _token, session = accounts.login("somchai", "a fine admin phrase", "127.0.0.1")
        assert session.operator.role == "admin"
        stored = accounts.operators.password_hash("somchai")
        assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert "a fine admin phrase" not in stored
        (added,) = [r for r in store.audit_rows() if r["kind"] == "operator"]
        assert added["detail"] == "operator somchai added as admin"


def test_db_may_come_last_as_the_readme_writes_it(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "c.sqlite3")
    monkeypatch.setattr(sys, "stdin", io.StringIO("a fine admin phrase\n"))
    assert main(["users", "add", "somchai", "--role", "admin", "--db", db]) == 0
    assert main(["users", "list", "--db", db]) == 0
    assert "somchai                  admin" in capsys.readouterr().out


def test_the_password_is_never_an_argument(tmp_path, capsys, monkeypatch):
    db = tmp_path / "c.sqlite3"
    code, said = run(
        capsys, monkeypatch, db, "add", "somchai", "--role", "admin", "--password", "x"
    )
    assert code == 2
    assert "unrecognized arguments: --password" in said


@pytest.mark.parametrize(
    ("args", "stdin", "says"),
    [
        (
            ("add", "Somchai!", "--role", "admin"),
            "a fine admin phrase\n",
            "A user name is 2 to 32 lowercase",
        ),
        (("add", "somchai", "--role", "admin"), "short\n", "at least 12 characters"),
        (("add", "somchai", "--role", "admin"), "somchai\n", "at least 12"),
        (("add", "somchai", "--role", "admin"), "password1234\n", "too easy to guess"),
        (("add", "somchai", "--role", "admin"), "somchaisomchai\n", "contains the user name"),
        (("add", "somchai", "--role", "admin"), "My name is SomChai!\n", "contains the user name"),
        (("add", "somchai", "--role", "admin"), "", "No password on stdin"),
        (("add", "somchai", "--role", "boss"), "a fine admin phrase\n", "invalid choice: 'boss'"),
        (("passwd", "nobody"), "a fine admin phrase\n", "There is no collector database"),
    ],
)
def test_bad_input_is_refused_in_words_and_changes_nothing(
    tmp_path, capsys, monkeypatch, args, stdin, says
):
    db = tmp_path / "c.sqlite3"
    code, said = run(capsys, monkeypatch, db, *args, stdin=stdin)
    assert code == 2
    assert says in said
    assert "Traceback" not in said
    if db.exists():
        with CollectorStore(db) as store:
            assert Accounts(store).operators.all() == []


def test_the_last_admin_stays_and_a_new_password_ends_the_sessions(tmp_path, capsys, monkeypatch):
    db = tmp_path / "c.sqlite3"
    run(capsys, monkeypatch, db, "add", "somchai", "--role", "admin", stdin="a fine admin phrase\n")
    for args in (("disable", "somchai"), ("role", "somchai", "viewer")):
        code, said = run(capsys, monkeypatch, db, *args)
        assert (code, "at least one enabled admin" in said) == (2, True)
    with CollectorStore(db) as store:
        token, _ = Accounts(store).login("somchai", "a fine admin phrase", None)
    code, said = run(capsys, monkeypatch, db, "passwd", "nobody", stdin="another fine phrase\n")
    assert (code, "There is no user called nobody" in said) == (2, True)
    code, said = run(capsys, monkeypatch, db, "passwd", "somchai", stdin="another fine phrase\n")
    assert code == 0, said
    with CollectorStore(db) as store:
        assert Accounts(store).session(token) is None
    code, said = run(capsys, monkeypatch, db, "list")
    assert "somchai" in said
    assert "admin" in said
    assert "enabled" in said


def test_a_password_may_not_contain_a_name_of_three_characters_or_more():
    for password, name in (("somchaisomchai", "somchai"), ("a fine SOM phrase", "som")):
        with pytest.raises(PasswordRejectedError) as refused:
            check_new_password(password, name)
        assert refused.value.key == "password.has_name"
    check_new_password("a fine about phrase", "ab")  # two letters: too likely by chance


def test_logout_ends_every_login_of_an_account_in_thai_then_english(tmp_path, capsys, monkeypatch):
    db = tmp_path / "c.sqlite3"
    run(capsys, monkeypatch, db, "add", "somchai", "--role", "officer", stdin="a fine phrase ok\n")
    with CollectorStore(db) as store:
        accounts = Accounts(store)
        tokens = [accounts.login("somchai", "a fine phrase ok", None)[0] for _ in range(2)]
    code, said = run(capsys, monkeypatch, db, "logout", "somchai")
    assert code == 0, said
    assert said.splitlines() == [
        "บัญชี somchai ถูกออกจากระบบทุกแห่งแล้ว ยุติการเข้าสู่ระบบ 2 แห่ง บัญชีและรหัสผ่านไม่เปลี่ยนแปลง",
        "Operator somchai: logged out everywhere, 2 sessions ended;"
        " the account and its password are unchanged.",
    ]
    with CollectorStore(db) as store:
        accounts = Accounts(store)
        assert [accounts.session(token) for token in tokens] == [None, None]
        accounts.login("somchai", "a fine phrase ok", None)  # still enabled, same password
        (row,) = [r for r in store.audit_rows() if r["reason"] == "logout_by_admin"]
        assert (row["kind"], row["source"], row["operator"]) == ("login", "cli", None)
        assert row["detail"] == (
            "operator somchai logged out everywhere by the server's command line: 2 sessions ended"
        )
    code, said = run(capsys, monkeypatch, db, "logout", "somchai", "--language", "en")
    assert (code, said) == (
        0,
        "Operator somchai: logged out everywhere, 1 session ended;"
        " the account and its password are unchanged.\n",
    )


def test_logout_of_an_unknown_name_is_refused(tmp_path, capsys, monkeypatch):
    db = tmp_path / "c.sqlite3"
    run(capsys, monkeypatch, db, "add", "somchai", "--role", "admin", stdin="a fine phrase ok\n")
    with CollectorStore(db) as store:
        token, _ = Accounts(store).login("somchai", "a fine phrase ok", None)
    code, said = run(capsys, monkeypatch, db, "logout", "nobody")
    assert code == 2
    assert "ไม่มีผู้ใช้ชื่อ nobody" in said
    assert "There is no user called nobody." in said
    assert "Traceback" not in said
    with CollectorStore(db) as store:
        assert Accounts(store).session(token) is not None  # nobody else's login was touched
        assert not [r for r in store.audit_rows() if r["reason"] == "logout_by_admin"]


def test_the_list_shows_thai_time_not_utc(tmp_path, capsys, monkeypatch):
    from wire.clock import thai_time_text

    db = tmp_path / "c.sqlite3"
    phrase = "a fine admin phrase\n"
    assert run(capsys, monkeypatch, db, "add", "somchai", "--role", "admin", stdin=phrase)[0] == 0
    assert run(capsys, monkeypatch, db, "add", "malee", "--role", "admin", stdin=phrase)[0] == 0
    assert run(capsys, monkeypatch, db, "disable", "somchai")[0] == 0
    with CollectorStore(db) as store:
        account = next(a for a in Accounts(store).operators.all() if a.name == "somchai")
    code, said = run(capsys, monkeypatch, db, "list")
    assert code == 0
    assert f"password set {thai_time_text(account.password_changed_at)}" in said
    assert f"disabled {thai_time_text(account.disabled_at)}" in said
    assert account.password_changed_at not in said  # the UTC ISO stamp
    assert "T" not in said.split("password set ")[1].split()[0]

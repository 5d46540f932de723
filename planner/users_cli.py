"""`planner users`: add users, roles and consortia, issue and revoke access keys, disable a user."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from . import limits
from .api import open_store
from .cli_common import Usage, db_path
from .errors import InvalidAction
from .fiscal_year import load_fiscal_year
from .links import key_link, public_url
from .mail.address import address_problem
from .text import Text

NOTICE_CHOICES = {
    "each": Text("都度", "each event"),
    "daily": Text("1日1回まとめ", "a daily digest"),
    "none": Text("なし", "none"),
}


def _refuse_address(address: str | None) -> None:
    """A bad address is said in Japanese and English whatever --lang says (it is often pasted by an
    administrator for someone else), and nothing is changed."""
    why = address_problem(address.strip()) if address and address.strip() else None
    if why:
        raise InvalidAction(f"{why[0]}\n{why[1]}", f"{why[1]}\n{why[0]}")


def cmd_users(args: argparse.Namespace, lang: str) -> int:
    base = None
    if args.users_cmd in ("link", "links"):
        base = public_url(args.public_url)
        if base is None:
            raise Usage(Text("--public-url は利用者が開くアドレス（例: https://planner.example.jp/planner/）で"
                             f"書いてください: {args.public_url!r}",
                             "--public-url must be the address people open (e.g. https://planner.example.jp/planner/): "
                             f"{args.public_url!r}")(lang))
    with open_store(db_path(args)) as store:
        if args.users_cmd == "add":
            _refuse_address(args.email)
            if args.consortium and args.consortium not in store.consortia():
                _register_consortium(store, args.consortium, lang)
            u = store.add_user(args.name, args.role, args.consortium, args.display_name or "", args.hub_name)
            shown = store.display_name(u.name)  # what the apps and workbooks will call them
            print(Text(f"利用者 {u.name}（{u.role}{' / ' + u.consortium if u.consortium else ''}）を追加しました。"
                       f"表示名: {shown}",
                       f"Added user {u.name} ({u.role}{' / ' + u.consortium if u.consortium else ''}). "
                       f"Shown as: {shown}")(lang))
            removed = limits.removed_note(limits.invisible_in(args.display_name or ""))
            if removed[0]:
                print(Text(*removed)(lang))
            if args.email:
                store.set_email(u.name, args.email)
                print(Text(f"メール: {args.email.strip()}", f"Mail: {args.email.strip()}")(lang))
        elif args.users_cmd == "set-email":
            _refuse_address(args.address)
            store.set_email(args.name, args.address)
            address = args.address.strip()
            print(Text(f"{args.name} のメールアドレス: {address or '（なし。メールは送りません）'}",
                       f"Mail address of {args.name}: {address or '(none; no mails are sent)'}")(lang))
        elif args.users_cmd == "set-notices":
            store.set_notices(args.name, args.choice)
            print(Text(f"{args.name} のメール通知: {NOTICE_CHOICES[args.choice].ja}",
                       f"Mail notices of {args.name}: {NOTICE_CHOICES[args.choice].en}")(lang))
        elif args.users_cmd == "list":
            live = {}
            for k in store.keys():
                if not k["revoked_at"]:
                    live[k["user"]] = live.get(k["user"], 0) + 1
            shown = store.display_names()  # a name made for whoever was given none, as the apps show it
            for u in store.users():
                state = "" if u.active else Text("  （無効）", "  (disabled)")(lang)
                hub = f"  JupyterHub: {u.hub_name}" if u.hub_name else ""
                address, choice = store.mail_settings(u.name)
                mail = f"  {Text('メール', 'mail')(lang)}: {address} ({NOTICE_CHOICES[choice](lang)})" \
                    if address else ""
                print(f"{u.name:24} {u.role:12} {u.consortium or '-':10} {Text('有効なキー', 'live keys')(lang)} "
                      f"{live.get(u.name, 0)}  {shown[u.name]}{state}{hub}{mail}")
        elif args.users_cmd == "set-hub-name":
            u = store.set_hub_name(args.name, args.hub_name or None)
            print(Text(f"{u.name} の JupyterHub の利用者名: {u.hub_name or '（なし）'}",
                       f"JupyterHub user of {u.name}: {u.hub_name or '(none)'}")(lang))
        elif args.users_cmd == "issue-key":
            print(store.issue_key(args.name))
        elif args.users_cmd == "link":
            if not store.user(args.name).active:
                print(Text(f"{args.name} は無効な利用者です。キーを発行しませんでした。",
                           f"{args.name} is disabled: no key was issued.")(lang), file=sys.stderr)
                return 1
            print(key_link(base, store.issue_key(args.name)))
        elif args.users_cmd == "links":
            return _links(store, args.role, base, args.output, lang)
        elif args.users_cmd == "revoke-key":
            n = store.revoke_keys(args.name)
            print(Text(f"{args.name} のアクセスキーを {n} 件失効させました。開いている画面は次の操作で終了します。",
                       f"Revoked {n} key(s) of {args.name}. Their open pages end at their next action.")(lang))
        elif args.users_cmd == "disable":
            n = store.disable_user(args.name)
            print(Text(f"{args.name} を無効にしました（サインイン {n} 件を終了。"
                             "開いている画面は次の操作で終了します）。",
                       f"Disabled {args.name} (ended {n} sign-in(s); open pages end at their next action).")(lang))
    return 0


def _links(store, role: str, base: str, output: str | None, lang: str) -> int:
    """A new key for every active user of `role`, as CSV rows (login, display name, link) for a mail merge."""
    shown = store.display_names()
    people = [u for u in store.users() if u.role == role and u.active]
    if not people:
        print(Text(f"役割 {role} の有効な利用者はいません。", f"There is no active user with role {role}.")(lang),
              file=sys.stderr)
        return 1
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(["login", "display_name", "link"])
    for u in people:
        out.writerow([u.name, shown[u.name], key_link(base, store.issue_key(u.name))])
    if output:
        # with a BOM: Excel (and so a mail merge in Word or Outlook) reads it as UTF-8, not Shift_JIS
        Path(output).write_text(buf.getvalue(), encoding="utf-8-sig", newline="")
        Path(output).chmod(0o600)  # live keys: for the administrator's eyes only
        print(Text(f"{len(people)} 人分のリンクを {output} に書きました（各人に新しいキーを発行）。",
                   f"Wrote {len(people)} link(s) to {output} (a new key for each person).")(lang), file=sys.stderr)
    else:
        sys.stdout.write(buf.getvalue())
    return 0


def _register_consortium(store, cid: str, lang: str) -> None:
    """A consortium named for a user must exist in some fiscal-year file; register it from the newest."""
    from .fiscal_year import available_years

    for year in reversed(available_years()):
        fy = load_fiscal_year(year)
        if cid in fy.consortia:
            store.add_consortium(cid, fy.consortia[cid].name_ja)
            return
    raise Usage(Text(f"コンソーシアム {cid!r} はどの年度データにもありません。",
                     f"Consortium {cid!r} is in no fiscal-year file.")(lang))


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    u = sub.add_parser("users", parents=[common], help="利用者とアクセスキー / users and access keys")
    us = u.add_subparsers(dest="users_cmd", required=True, metavar="ACTION")
    a = us.add_parser("add", parents=[common], help="利用者を追加 / add a user")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=["secretariat", "officer", "contractor", "analyst"])
    a.add_argument("--consortium", help="事務局のコンソーシアム / the secretariat's consortium")
    a.add_argument("--display-name")
    a.add_argument("--hub-name", metavar="HUB_USER",
                   help="この利用者としてサインインする JupyterHub の利用者名（JupyterHub のサービスのとき）/ "
                        "the JupyterHub user who signs in as this user (when planner runs as a hub service)")
    a.add_argument("--email", metavar="ADDRESS", help="通知を送るメールアドレス / where mail notices go")
    us.add_parser("list", parents=[common], help="利用者の一覧 / list users")
    se = us.add_parser("set-email", parents=[common],
                       help="通知のメールアドレス（空でメールなし）/ the address for mail notices (empty: none)")
    se.add_argument("name")
    se.add_argument("address")
    sn = us.add_parser("set-notices", parents=[common],
                       help="メール通知: each 都度 / daily 1日1回まとめ / none なし / how often a person is mailed")
    sn.add_argument("name")
    sn.add_argument("choice", choices=["each", "daily", "none"])
    sh = us.add_parser("set-hub-name", parents=[common],
                       help="JupyterHub の利用者を割り当てる（空で解除）/ map a JupyterHub user (empty: unmap)")
    sh.add_argument("name")
    sh.add_argument("hub_name", metavar="HUB_USER")
    ik = us.add_parser("issue-key", parents=[common], help="アクセスキーを発行 / issue an access key")
    ik.add_argument("name")
    lk = us.add_parser("link", parents=[common],
                       help="アクセスキーを発行し、サインイン用リンクを表示 / issue a key and print its sign-in link")
    lk.add_argument("name")
    lk.add_argument("--public-url", required=True, metavar="URL",
                    help="利用者が開くアドレス（例: https://planner.example.jp/planner/）/ the address people open")
    ls = us.add_parser("links", parents=[common],
                       help="役割の全員にキーを発行し、リンクを CSV（login, display_name, link）で出力 / "
                            "a key for every active user of a role, links as CSV for a mail merge")
    ls.add_argument("--role", required=True, choices=["secretariat", "officer", "contractor", "analyst"])
    ls.add_argument("--public-url", required=True, metavar="URL",
                    help="利用者が開くアドレス / the address people open")
    ls.add_argument("-o", "--output", metavar="FILE",
                    help="CSV を書くファイル（Excel 向けに BOM 付き UTF-8、所有者のみ読み取り可）/ write the CSV here "
                         "(UTF-8 with BOM for Excel, readable by its owner only)")
    rk = us.add_parser("revoke-key", parents=[common], help="アクセスキーを失効 / revoke a user's keys")
    rk.add_argument("name")
    du = us.add_parser("disable", parents=[common],
                       help="利用者を無効にし、サインインを終了 / disable a user and end their sign-ins")
    du.add_argument("name")
    u.set_defaults(func=cmd_users)

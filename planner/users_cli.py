"""`planner users`: add users, roles and consortia, issue and revoke access keys, disable a user."""

from __future__ import annotations

import argparse

from . import limits
from .api import open_store
from .cli_common import Usage, db_path
from .fiscal_year import load_fiscal_year
from .text import Text


def cmd_users(args: argparse.Namespace, lang: str) -> int:
    with open_store(db_path(args)) as store:
        if args.users_cmd == "add":
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
        elif args.users_cmd == "list":
            live = {}
            for k in store.keys():
                if not k["revoked_at"]:
                    live[k["user"]] = live.get(k["user"], 0) + 1
            shown = store.display_names()  # a name made for whoever was given none, as the apps show it
            for u in store.users():
                state = "" if u.active else Text("  （無効）", "  (disabled)")(lang)
                hub = f"  JupyterHub: {u.hub_name}" if u.hub_name else ""
                print(f"{u.name:24} {u.role:12} {u.consortium or '-':10} "
                      f"{Text('有効なキー', 'live keys')(lang)} {live.get(u.name, 0)}  {shown[u.name]}{state}{hub}")
        elif args.users_cmd == "set-hub-name":
            u = store.set_hub_name(args.name, args.hub_name or None)
            print(Text(f"{u.name} の JupyterHub の利用者名: {u.hub_name or '（なし）'}",
                       f"JupyterHub user of {u.name}: {u.hub_name or '(none)'}")(lang))
        elif args.users_cmd == "issue-key":
            print(store.issue_key(args.name))
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
    us.add_parser("list", parents=[common], help="利用者の一覧 / list users")
    sh = us.add_parser("set-hub-name", parents=[common],
                       help="JupyterHub の利用者を割り当てる（空で解除）/ map a JupyterHub user (empty: unmap)")
    sh.add_argument("name")
    sh.add_argument("hub_name", metavar="HUB_USER")
    ik = us.add_parser("issue-key", parents=[common], help="アクセスキーを発行 / issue an access key")
    ik.add_argument("name")
    rk = us.add_parser("revoke-key", parents=[common], help="アクセスキーを失効 / revoke a user's keys")
    rk.add_argument("name")
    du = us.add_parser("disable", parents=[common],
                       help="利用者を無効にし、サインインを終了 / disable a user and end their sign-ins")
    du.add_argument("name")
    u.set_defaults(func=cmd_users)

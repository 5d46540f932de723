"""The `planner` command. Library errors become messages here, and only here.

Exit status: 0 success, 1 refused input, 2 usage.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import unicodedata
from pathlib import Path

from . import reports_cli, users_cli, workbooks_cli, years_cli
from .api import open_store
from .cli_common import Usage, db_path, desk_of, finding_dict, format_finding, lang_of
from .errors import PlannerError
from .findings import Finding
from .fiscal_year import load_fiscal_year
from .japanese import circled, fiscal_year_label, japan_time, month_label
from .plan import is_cancelled
from .store import default_db_path
from .summary import summarize
from .text import Text
from .workflow import STATUS_LABELS

# -- commands ---------------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace, lang: str) -> int:
    from .demo import build_demo, keys_path

    db = db_path(args)
    if db.exists():
        if not args.force:
            print(Text(f"{db} はすでにあります。作り直すには --force を付けてください。",
                       f"{db} already exists. Add --force to create it anew.")(lang), file=sys.stderr)
            return 1
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), keys_path(db)):
            p.unlink(missing_ok=True)
    keys = build_demo(db)
    print(Text(f"デモ用データベースを作成しました: {db}", f"Demo store created: {db}")(lang))
    print(Text("デモ利用者とアクセスキー:", "Demo users and access keys:")(lang))
    for user, key in keys.items():
        print(f"  {user:24} {key}")
    return 0


def _others(store, fy, consortia: list[str]) -> dict[str, dict[int, int]]:
    """For each consortium, the others' events per month: the CLI holds the store file, so every plan
    counts, as in `planner load` and the officer's app."""
    from .load import monthly_load, others_by_month

    load = monthly_load([r.plan for r in store.plan_records(fy.year)], fy)
    return {cid: others_by_month(load, cid) for cid in consortia}


def _plan_json(rec, fy, others: dict[int, int]) -> dict:
    summary = summarize(rec.plan, fy, others=others)
    return {
        "consortium": rec.plan.consortium,
        "fiscal_year": rec.plan.fiscal_year,
        "status": rec.status,
        "revision": rec.revision,
        "comment": rec.comment,
        "updated_at": rec.updated_at,
        "updated_by": rec.updated_by,
        "budget": summary.budget,
        "points_used": summary.used,
        "points_left": summary.left,
        "lines": [{**ln.as_dict(), "points": f.points} for ln, f in zip(rec.plan.lines, summary.lines, strict=True)],
        "findings": [finding_dict(f) for f in summary.findings],
    }


def cmd_show(args: argparse.Namespace, lang: str) -> int:
    with open_store(db_path(args)) as store:
        fy = load_fiscal_year(args.fy)
        consortia = [args.consortium] if args.consortium else list(fy.consortia)
        for cid in consortia:
            if cid not in fy.consortia:
                known = ", ".join(fy.consortia)
                raise Usage(Text(f"コンソーシアム {cid!r} は{fy.label_ja}のデータにありません（{known}）。",
                                 f"Consortium {cid!r} is not in FY{fy.year} ({known}).")(lang))
        records = {cid: store.current(cid, args.fy) for cid in consortia}
        others = _others(store, fy, consortia)
    if args.consortium and records[args.consortium] is None:
        print(Text(f"{args.consortium} の{fy.label_ja}の計画はまだありません。",
                   f"There is no FY{args.fy} plan for {args.consortium} yet.")(lang), file=sys.stderr)
        return 1
    if args.format == "json":
        out = [_plan_json(r, fy, others[cid]) for cid, r in records.items() if r]
        print(json.dumps(out[0] if args.consortium else out, ensure_ascii=False, indent=2))
        return 0
    for cid, rec in records.items():
        c = fy.consortia[cid]
        if rec is None:
            print(Text(f"■ {c.name_ja} {fiscal_year_label(fy.year)}: 計画なし\n",
                       f"■ {c.name_en} {fiscal_year_label(fy.year, 'en')}: no plan\n")(lang))
            continue
        print(_format_plan(rec, fy, lang, others[cid]))
    return 0


def _format_plan(rec, fy, lang: str, others: dict[int, int], extra: list[Finding] = ()) -> str:
    c = fy.consortia[rec.plan.consortium]
    summary = summarize(rec.plan, fy, others=others)
    used, budget = summary.used, summary.budget or 0
    st = STATUS_LABELS[rec.status]
    out = [
        Text(f"■ {c.name_ja} {fiscal_year_label(fy.year)} 計画",
             f"■ {c.name_en} plan, {fiscal_year_label(fy.year, 'en')}")(lang),
        Text(f"  状態: {st[0]}   版: {rec.revision}   最終更新: {japan_time(rec.updated_at)} {rec.updated_by}",
             f"  Status: {st[1]}   Revision: {rec.revision}   "
             f"Last change: {japan_time(rec.updated_at, 'en')} {rec.updated_by}")(lang),
        Text(f"  予算 {budget} ポイント / 使用 {used} ポイント / 残り {budget - used} ポイント",
             f"  Budget {budget} points / used {used} / left {budget - used}")(lang),
    ]
    if rec.comment:
        out.append(Text(f"  担当者コメント: {rec.comment}", f"  Officer's comment: {rec.comment}")(lang))
    out.append(Text("  番号 メニュー 区分 数量 ポイント 実施月 件名",
                    "  No. Item Variant Qty Points Month Title")(lang))
    for n, (ln, facts) in enumerate(zip(rec.plan.lines, summary.lines, strict=True), start=1):
        item, var = facts.item, facts.variant
        item_s = f"{circled(ln.item)}{item.name(lang)}" if item else repr(ln.item)
        var_s = (var.name_en if lang == "en" else var.name_ja) if var else repr(ln.variant)
        gone = Text(" （中止）", " (cancelled)")(lang) if is_cancelled(ln) else ""
        out.append(f"  {n:>3} {item_s} {var_s} {ln.quantity} {facts.points} "
                   f"{month_label(ln.month, lang)} {ln.title}{gone}")
    findings = summary.findings + list(extra)
    if findings:
        out.append(Text("  指摘:", "  Findings:")(lang))
        out.extend("    " + format_finding(f, lang) for f in findings)
    return "\n".join(out) + "\n"


def cmd_copy(args: argparse.Namespace, lang: str) -> int:
    from .copying import copy_plan, points_changed

    if args.from_year == args.to_year:
        raise Usage(Text("--from と --to には別の年度を指定してください。",
                         "--from and --to must be different years.")(lang))
    with open_store(db_path(args)) as store:
        source_fy, target_fy = store.fiscal_year(args.from_year), store.fiscal_year(args.to_year)
        for fy in (source_fy, target_fy):
            if args.consortium not in fy.consortia:
                raise PlannerError(f"コンソーシアム {args.consortium!r} は{fy.label_ja}のデータにありません。",
                                   f"Consortium {args.consortium!r} is not in the FY{fy.year} data.")
        desk = desk_of(store, args.as_user)
        source = desk.find(args.consortium, args.from_year)
        if source is None or not source.plan.lines:
            raise PlannerError(f"{args.consortium} の{source_fy.label_ja}の計画には写せる行がありません。",
                               f"The FY{args.from_year} plan of {args.consortium} has no lines to copy.")
        target = desk.find(args.consortium, args.to_year)
        if target is not None and target.plan.lines:
            raise PlannerError(
                f"{args.consortium} の{target_fy.label_ja}の計画にはすでに {len(target.plan.lines)} 行あります。"
                "前年度の計画から作れるのは、行のない計画だけです（何も変更していません）。",
                f"The FY{args.to_year} plan of {args.consortium} already has {len(target.plan.lines)} line(s). "
                "Only a plan with no lines can be started from last year's (nothing was changed).")
        desk.save(copy_plan(source.plan, target_fy),
                  base_revision=target.revision if target else None)
        rec = store.current(args.consortium, args.to_year)
        others = _others(store, target_fy, [args.consortium])[args.consortium]
    print(Text(f"{source_fy.label_ja}の計画から {len(rec.plan.lines)} 行を写し、下書き（版 {rec.revision}）として"
                     "保存しました。実績は写していません。",
               f"Copied {len(rec.plan.lines)} line(s) from the FY{args.from_year} plan and saved them as a draft "
               f"(revision {rec.revision}). Results are not copied.")(lang))
    print(_format_plan(rec, target_fy, lang, others, points_changed(rec.plan, source_fy, target_fy)))
    return 0


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a width in terminal columns: a Japanese character takes two."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(0, width - used)
    return fill + text if right else text + fill


def cmd_load(args: argparse.Namespace, lang: str) -> int:
    from .load import monthly_load

    with open_store(db_path(args)) as store:
        fy = store.fiscal_year(args.fy)
        load = monthly_load([r.plan for r in store.plan_records(args.fy)], fy)
    if args.format == "json":
        print(json.dumps(load.as_dict(), ensure_ascii=False, indent=2))
        return 0
    ids = list(fy.consortia)
    cap = "-" if load.capacity is None else str(load.capacity)
    print(Text(f"■ {fiscal_year_label(fy.year)} 受託者の月別の負荷（イベント＝①〜⑥の数量、上限 {cap} 件／月）",
               f"■ Contractor's load per month, {fiscal_year_label(fy.year, 'en')} (events = quantities of ①–⑥, "
               f"capacity {cap} a month)")(lang))
    names = [fy.consortia[c].short_name(lang) for c in ids]
    print("  " + _pad(Text("月", "Month")(lang), 6) + "".join(_pad(n, 10, right=True) for n in names)
          + _pad(Text("合計", "Total")(lang), 10, right=True))
    for m in load.months:
        cells = "".join(_pad(str(m.by_consortium.get(c, 0)), 10, right=True) for c in ids)
        flag = Text("  ← 上限超過", "  ← over capacity")(lang) if m.over else ""
        print(f"  {_pad(month_label(m.month, lang), 6)}{cells}{_pad(str(m.events), 10, right=True)}{flag}")
    if load.capacity is None:
        print(Text("  この年度のデータには受託者の上限（[contractor] monthly_capacity）がありません。",
                   "  This year's data sets no contractor capacity ([contractor] monthly_capacity).")(lang))
    elif load.over:
        over = "・".join(month_label(m.month, "ja") for m in load.over)
        print(Text(f"  上限を超える月: {over}", "  Months over capacity: "
                   + ", ".join(month_label(m.month, "en") for m in load.over))(lang))
    return 0


def cmd_serve(args: argparse.Namespace, lang: str) -> int:
    mail = _mail_server(args, lang)  # checked before the server's (slow) imports
    from .server.app import BaseUrlError, Limits, Site, normalize_base_url, serve

    db = db_path(args)
    if not db.exists():
        print(Text(f"データベース {db} がありません。"
                         "`planner demo` で作るか、`planner users add` で利用者を登録してください。",
                   f"There is no store at {db}. Create one with `planner demo` or register users with "
                   "`planner users add`.")(lang), file=sys.stderr)
        return 1
    if not 0 < args.port < 65536:
        raise Usage(Text(f"ポート番号 {args.port} は使えません。", f"Port {args.port} is not valid.")(lang))
    if args.cull_after < 1:
        raise Usage(Text("--cull-after は1秒以上にしてください。", "--cull-after must be at least 1 second.")(lang))
    for name in ("idle_timeout", "max_age", "max_kernels", "max_kernels_per_user", "page_gone_after"):
        if getattr(args, name) < 1:
            flag = "--" + name.replace("_", "-")
            raise Usage(Text(f"{flag} は1以上にしてください。", f"{flag} must be at least 1.")(lang))
    limits = Limits(args.idle_timeout, args.max_age, args.max_kernels, args.max_kernels_per_user,
                    args.page_gone_after)
    try:
        base_url = normalize_base_url(args.base_url)
    except BaseUrlError:
        raise Usage(Text(f"--base-url {args.base_url!r} は使えません（英数字と - _ . / のパス、例 /planner/）。",
                         f"--base-url {args.base_url!r} is not valid (a path of letters, digits and - _ . /, "
                         "e.g. /planner/).")(lang)) from None
    if args.hub:
        from .server.hub import HubNotConfigured, configure

        # under the hub the service prefix is the base URL, unless one was given
        if args.base_url == "/" and os.getenv("JUPYTERHUB_SERVICE_PREFIX"):
            base_url = normalize_base_url(os.environ["JUPYTERHUB_SERVICE_PREFIX"])
        try:
            configure()
        except ImportError as exc:
            if not (exc.name or "").startswith("jupyterhub"):
                raise
            # the service would only restart in a loop: say what to install
            raise Usage(Text("--hub には jupyterhub が必要です。planner を入れたフォルダーで "
                             "`.venv/bin/pip install -e '.[hub]'` を実行してください。",
                             "--hub needs jupyterhub. In planner's folder, run "
                             "`.venv/bin/pip install -e '.[hub]'`.")(lang)) from None
        except HubNotConfigured as exc:
            raise Usage(Text(f"--hub には JupyterHub のサービスの設定（環境変数）が必要です: {exc}",
                             f"--hub needs the settings of a JupyterHub service (environment): {exc}")(lang)) from None
    sock = args.proxy_socket or ""
    if sock and not Path(sock).parent.is_dir():
        raise Usage(Text(f"--proxy-socket のフォルダー {Path(sock).parent} がありません。",
                         f"The folder of --proxy-socket, {Path(sock).parent}, does not exist.")(lang))
    if sock and Path(sock).exists() and not stat.S_ISSOCK(Path(sock).stat().st_mode):
        # a socket left by a stopped server is replaced; any other file is not ours to remove
        raise Usage(Text(f"--proxy-socket {sock} はソケットではないファイルです。別のパスを指定してください。",
                         f"--proxy-socket {sock} is a file that is not a socket. Choose another path.")(lang))
    return serve(port=args.port, db=db, lang=lang, pool_size=args.pool_size, cull_after=args.cull_after,
                 limits=limits, site=Site(base_url, str(Path(sock).resolve()) if sock else "", args.hub,
                                                  args.secure_cookie), mail=mail)


def _mail_server(args: argparse.Namespace, lang: str):  # -> MailServer | None
    """`serve`'s mail options, checked: none of them without --smtp-host; the password read from its file
    (never taken on the command line), and sent only over STARTTLS."""
    from email.utils import parseaddr
    from urllib.parse import urlsplit

    from .mail.address import address_problem
    from .mail.sender import MailServer

    given = [f for f in ("smtp_port", "smtp_starttls", "smtp_user", "smtp_password_file", "smtp_ca_file", "mail_from",
                         "public_url") if getattr(args, f)]
    if not args.smtp_host:
        if given:
            raise Usage(Text("メールの設定（--smtp-* など）には --smtp-host が必要です。",
                             "The mail options (--smtp-* and others) need --smtp-host.")(lang))
        return None
    port = args.smtp_port or 25
    if not 0 < port < 65536:
        raise Usage(Text(f"--smtp-port {port} は使えません。", f"--smtp-port {port} is not valid.")(lang))
    sender = parseaddr(args.mail_from or "")[1]
    if not args.mail_from or address_problem(sender) or any(c in args.mail_from for c in "\r\n"):
        raise Usage(Text("--mail-from に送信元のメールアドレス（例 planner@example.jp）を指定してください。",
                         "--mail-from needs the sender's address (e.g. planner@example.jp).")(lang))
    url = urlsplit(args.public_url or "")
    if url.scheme not in ("http", "https") or not url.hostname or url.query or url.fragment or url.username:
        raise Usage(Text("--public-url に利用者が開くアドレス（例 https://planner.example.jp/planner/）を指定して"
                         "ください（? や # を含めない）。",
                         "--public-url needs the address people open (e.g. https://planner.example.jp/planner/), "
                         "without ? or #.")(lang))
    password = ""
    if args.smtp_user or args.smtp_password_file:
        if not (args.smtp_user and args.smtp_password_file):
            raise Usage(Text("--smtp-user と --smtp-password-file は両方指定してください。",
                             "Give both --smtp-user and --smtp-password-file.")(lang))
        if not args.smtp_starttls:
            raise Usage(Text("パスワードを暗号化なしで送らないよう、--smtp-user には --smtp-starttls が必要です。",
                             "--smtp-user needs --smtp-starttls, so the password is never sent unencrypted.")(lang))
        try:
            password = Path(args.smtp_password_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise Usage(Text(f"--smtp-password-file を読めません（{type(exc).__name__}）。",
                             f"--smtp-password-file cannot be read ({type(exc).__name__}).")(lang)) from None
        if not password:
            raise Usage(Text("--smtp-password-file が空です。", "--smtp-password-file is empty.")(lang))
    if args.smtp_ca_file and not Path(args.smtp_ca_file).is_file():
        raise Usage(Text(f"--smtp-ca-file {args.smtp_ca_file} がありません。",
                         f"--smtp-ca-file {args.smtp_ca_file} does not exist.")(lang))
    return MailServer(args.smtp_host, port, args.mail_from.strip(), args.public_url, args.smtp_starttls,
                      args.smtp_user or "", password, args.smtp_ca_file or "")


def cmd_backup(args: argparse.Namespace, lang: str) -> int:
    from .store.backup import backup, dated_name

    r = backup(db_path(args), Path(args.into) / dated_name() if args.into else Path(args.output))
    print(Text(f"バックアップを作成しました: {r.path}（計画 {r.plans} 件、版 {r.revisions} 件、"
                     f"利用者 {r.users} 人、スキーマ {r.schema}、整合性検査 ok、所有者のみ読み取り可）",
               f"Backup written: {r.path} ({r.plans} plan(s), {r.revisions} revision(s), {r.users} user(s), "
               f"schema {r.schema}, integrity check ok, readable by its owner only)")(lang))
    return 0


def cmd_snapshot(args: argparse.Namespace, lang: str) -> int:
    from .store.backup import snapshot

    r = snapshot(db_path(args), Path(args.output), args.group)
    who = Text(f"所有者とグループ {args.group}", f"its owner and group {args.group}")(lang) if args.group else \
        Text("所有者とそのグループ", "its owner and the owner's group")(lang)
    print(Text(f"分析用のスナップショットを作成しました: {r.path}（計画 {r.plans} 件、版 {r.revisions} 件。"
                     f"アクセスキー・セッション・拒否の記録は含まない。{who}が読み取り可）",
               f"Snapshot for analysts written: {r.path} ({r.plans} plan(s), {r.revisions} revision(s); no keys, "
               f"sessions or refusals; readable by {who})")(lang))
    return 0


# -- parser -----------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help=f"データベースのパス / store path (else PLANNER_DB, else {default_db_path()})")
    common.add_argument("--lang", choices=["ja", "en"], default=argparse.SUPPRESS,
                        help="表示言語 / message language (else PLANNER_LANG, else ja)")

    p = argparse.ArgumentParser(prog="planner", parents=[common],
                                description="高度外国人材活躍地域コンソーシアム 支援事業メニュー計画ツール / "
                                            "program planner for the regional consortia")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    d = sub.add_parser("demo", parents=[common], help="デモ用データベースを作る / create the demo store")
    d.add_argument("--force", action="store_true", help="既存のファイルを作り直す / replace an existing store")
    d.set_defaults(func=cmd_demo)

    s = sub.add_parser("show", parents=[common], help="計画を表示する / print a plan")
    s.add_argument("--consortium", help="コンソーシアムID（省略時は全地域）/ consortium id (default: all)")
    s.add_argument("--fy", type=int, required=True, help="年度（西暦）/ fiscal year, e.g. 2025")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=cmd_show)

    sv = sub.add_parser("serve", parents=[common], help="Voilà でアプリを開く / serve the apps with Voilà")
    sv.add_argument("--port", type=int, default=8866, help="ポート番号 / port (default 8866)")
    sv.add_argument("--pool-size", type=int, default=6,
                    help="あらかじめ起動しておくカーネル数（アプリごと、0で無効、既定 6: 6 事務局が同時に開いても"
                         "待たない。1つ約 58 MiB、上限 --max-kernels に数える）/ preheated kernels per app (0: off; "
                         "default 6, so that the six secretariats opening the app at once do not wait; about 58 MiB "
                         "each, counted in --max-kernels)")
    sv.add_argument("--cull-after", type=int, default=30 * 60,
                    help="閉じたページのカーネルを止めるまでの秒数 / seconds before a closed page's kernel is stopped "
                         "(default 1800)")
    sv.add_argument("--idle-timeout", type=int, default=30 * 60, metavar="SECONDS",
                    help="操作がないままサインインが切れるまでの秒数 / seconds without activity that end a sign-in "
                         "(default 1800)")
    sv.add_argument("--max-age", type=int, default=12 * 60 * 60, metavar="SECONDS",
                    help="サインインの最長の秒数 / seconds after which a sign-in ends in any case (default 43200)")
    sv.add_argument("--max-kernels", type=int, default=40,
                    help="同時に開ける画面の総数 / pages (kernels) open at once in all (default 40)")
    sv.add_argument("--max-kernels-per-user", type=int, default=4,
                    help="1人が同時に開ける画面の数 / pages open at once per user (default 4)")
    sv.add_argument("--page-gone-after", type=int, default=60, metavar="SECONDS",
                    help="画面との接続が切れてこの秒数たったカーネルは、上限に達したときに先に止める / seconds "
                         "without a page connected after which a kernel is stopped first when its user reaches "
                         "the cap (default 60)")
    sv.add_argument("--base-url", default="/", metavar="PATH",
                    help="公開するパス（リバースプロキシの下、例 /planner/）/ path the apps are served under "
                         "(behind a reverse proxy, e.g. /planner/; default /)")
    sv.add_argument("--proxy-socket", metavar="PATH",
                    help="リバースプロキシ用の Unix ソケット（ここでだけ X-Real-IP と X-Forwarded-Proto を信用）/ "
                         "a Unix socket for the reverse proxy, the only place X-Real-IP and X-Forwarded-Proto "
                         "are believed")
    sv.add_argument("--secure-cookie", action="store_true",
                    help="セッションの Cookie に常に Secure を付ける（HTTPS を JupyterHub の前で終えるとき）/ always "
                         "mark the session cookie Secure (when HTTPS ends in front of JupyterHub)")
    sv.add_argument("--hub", action="store_true",
                    help="JupyterHub のサービスとして動かし、JupyterHub のログインでもサインインできるようにする"
                         "（JUPYTERHUB_* の環境変数）/ run as a JupyterHub service: people may also sign in with the "
                         "hub's login (JUPYTERHUB_* environment)")
    ml = sv.add_argument_group("メール通知 / mail notices (README: メール通知 / Mail notices)")
    ml.add_argument("--smtp-host", metavar="HOST", help="メールサーバー / the mail server (SMTP)")
    ml.add_argument("--smtp-port", type=int, metavar="PORT", help="そのポート（既定 25）/ its port (default 25)")
    ml.add_argument("--smtp-starttls", action="store_true", help="STARTTLS で暗号化する / encrypt with STARTTLS")
    ml.add_argument("--smtp-user", metavar="USER", help="SMTP 認証の利用者名 / the SMTP AUTH user")
    ml.add_argument("--smtp-password-file", metavar="FILE",
                    help="SMTP 認証のパスワードを書いたファイル（コマンドラインには書かない）/ a file holding the "
                         "SMTP AUTH password (never on the command line)")
    ml.add_argument("--smtp-ca-file", metavar="FILE",
                    help="メールサーバーの証明書を確かめる CA（自己署名の証明書ならそれ自体）/ a CA to verify the "
                         "mail server's certificate with (a self-signed certificate itself)")
    ml.add_argument("--mail-from", metavar="ADDR", help="送信元アドレス / the sender's address")
    ml.add_argument("--public-url", metavar="URL",
                    help="メールのリンクの先（利用者が開くアドレス）/ the address people open, for links in mails")
    sv.set_defaults(func=cmd_serve)

    years_cli.add_parser(sub, common)
    workbooks_cli.add_parser(sub, common)
    reports_cli.add_parser(sub, common)

    cp = sub.add_parser("copy", parents=[common],
                        help="前年度の計画から下書きを作る / start a draft from last year's plan")
    cp.add_argument("--consortium", required=True, help="コンソーシアムID / consortium id")
    cp.add_argument("--from", dest="from_year", type=int, required=True, metavar="YEAR",
                    help="写す元の年度 / the year to copy from")
    cp.add_argument("--to", dest="to_year", type=int, required=True, metavar="YEAR", help="写す先の年度 / the new year")
    cp.add_argument("--as", dest="as_user", required=True, metavar="USER", help="保存する利用者 / the user saving it")
    cp.set_defaults(func=cmd_copy)

    ld = sub.add_parser("load", parents=[common],
                        help="受託者の月別の負荷 / the contractor's events per month across all consortia")
    ld.add_argument("--fy", type=int, required=True, help="年度（西暦）/ fiscal year, e.g. 2025")
    ld.add_argument("--format", choices=["text", "json"], default="text")
    ld.set_defaults(func=cmd_load)

    bk = sub.add_parser("backup", parents=[common],
                        help="稼働中でも一貫したデータベースのコピーを作る / a consistent copy of the store, "
                             "also while the server runs")
    where = bk.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--output", metavar="FILE",
                       help="保存先（所有者のみ読み取り可で作成）/ where to write it (created readable by its "
                            "owner only)")
    where.add_argument("--into", metavar="DIR",
                       help="このフォルダーに日本時間の日付の名前 planner-YYYY-MM-DD.db で作成（サーバーの時間帯に"
                            "よらない）/ write DIR/planner-YYYY-MM-DD.db, dated by the day in Japan whatever the "
                            "server's time zone")
    bk.set_defaults(func=cmd_backup)

    sn = sub.add_parser("snapshot", parents=[common],
                        help="分析担当が読む、キーを含まないコピーを作る / a copy without keys for analysts to read")
    sn.add_argument("-o", "--output", required=True, metavar="FILE", help="保存先 / where to write it")
    sn.add_argument("--group", help="読み取りを許すグループ（例 analysts）/ the group that may read it (e.g. analysts)")
    sn.set_defaults(func=cmd_snapshot)

    users_cli.add_parser(sub, common)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    lang = lang_of(args)
    try:
        return args.func(args, lang)
    except Usage as e:
        print(str(e), file=sys.stderr)
        return 2
    except PlannerError as e:
        print(e.message(lang), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) left; not an error of ours
        sys.stderr.close()
        return 0

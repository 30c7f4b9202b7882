"""Security and reliability commands: ``habeas verify``, ``habeas backup``, ``habeas restore``,
``habeas check`` and ``habeas totp`` (docs/security.md)."""

from __future__ import annotations

import argparse
import sys

from habeas.cli import CommandError, setup_django


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify", help="check every custody chain and the audit log for edited or deleted records",
        description="Recompute the hash chain of every evidence item's chain of custody and of the audit "
                    "log. Exit 0 when all chains are intact; exit 1 naming each edited or deleted record.")
    p.set_defaults(handler=cmd_verify)

    p = sub.add_parser(
        "backup", help="back up the database and the stored files into one archive",
        description="Write one .tar.gz archive: the database (SQLite online backup, or pg_dump custom format "
                    "for PostgreSQL), the stored files, and a manifest with the SHA-256 of every member. "
                    "Safe while habeas is running.")
    p.add_argument("archive", metavar="ARCHIVE", help="the archive to write (e.g. habeas-2025-01-31.tar.gz)")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser(
        "restore", help="restore a backup archive into the data folder (HABEAS_HOME)",
        description="Check every member of the archive against its manifest, then restore the database and the "
                    "stored files. Refuses to overwrite a data folder that already holds data unless --force.")
    p.add_argument("archive", metavar="ARCHIVE")
    p.add_argument("--force", action="store_true", help="replace the existing database and stored files")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser(
        "check", help="run Django's deployment checks (check --deploy) on the current settings",
        description="Run Django's system checks including the deployment checks. Exit 0 when there is no "
                    "warning or error. Production settings: HABEAS_PRODUCTION=1 (see docs/security.md).")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("totp", help="second factor: add or remove a user's TOTP device",
                       description="Enrol a user for the optional TOTP second factor, or remove it.")
    p.add_argument("action", choices=["add", "remove", "status"])
    p.add_argument("username")
    p.set_defaults(handler=cmd_totp)



def cmd_verify(args) -> int:
    setup_django()
    from habeas.audit.chain import verify_all

    report = verify_all()
    if report.ok:
        print(f"habeas: all {report.chains} chains intact")
        return 0
    for problem in report.problems:
        print(problem)
    print(f"habeas: {len(report.problems)} problem{'s' if len(report.problems) != 1 else ''} "
          f"in {report.chains} chains", file=sys.stderr)
    return 1


def cmd_backup(args) -> int:
    setup_django()
    from habeas.audit.backup import backup

    summary = backup(args.archive)
    print(f"habeas: wrote {args.archive}: database ({summary['engine']}), {summary['files']} stored files, "
          f"{summary['bytes']} bytes")
    return 0


def cmd_restore(args) -> int:
    from habeas.audit.backup import BackupError, restore

    try:
        summary = restore(args.archive, force=args.force)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"habeas: restored {args.archive}: database ({summary['engine']}), {summary['files']} stored files")
    return 0


def cmd_check(args) -> int:
    """Every system check including the deployment checks. A failure: any error, and any warning of
    Django's security checks (tag ``security``) or of the security apps (axes, django-otp, habeas).
    Other warnings (e.g. API schema naming) are printed but do not fail the check."""
    setup_django(migrate=False)  # a check changes nothing
    from django.core import checks

    messages = checks.run_checks(include_deployment_checks=True)
    security_ids = {m.id for m in checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)}

    def fails(msg) -> bool:
        if msg.is_silenced():
            return False
        if msg.level >= checks.ERROR:
            return True
        return msg.level >= checks.WARNING and (
            msg.id in security_ids or str(msg.id).split(".")[0] in ("security", "axes", "otp", "habeas", "audit"))

    shown = [m for m in messages if not m.is_silenced() and m.level >= checks.INFO]
    failing = [m for m in shown if fails(m)]
    for msg in shown:
        print(("FAIL " if msg in failing else "note ") + str(msg), file=sys.stderr)
    if failing:
        print(f"habeas: {len(failing)} deployment problem{'s' if len(failing) != 1 else ''} "
              "(production settings: HABEAS_PRODUCTION=1, see docs/security.md)", file=sys.stderr)
        return 1
    print(f"habeas: deployment checks passed: no issues ({len(shown)} note{'s' if len(shown) != 1 else ''})")
    return 0


def cmd_totp(args) -> int:
    setup_django()
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        raise CommandError(f"no user {args.username!r}")
    if args.action == "add":
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        print("Add this account to an authenticator app (scan the URL as a QR code, or enter the key):")
        print(device.config_url)
        return 0
    if args.action == "remove":
        n, _ = TOTPDevice.objects.filter(user=user).delete()
        print(f"habeas: removed {n} TOTP device{'s' if n != 1 else ''} of {user.username}")
        return 0
    n = TOTPDevice.objects.filter(user=user, confirmed=True).count()
    print(f"{user.username}: {'TOTP enrolled' if n else 'password only'}")
    return 0
